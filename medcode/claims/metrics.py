"""Revenue-cycle metrics on a claim history (one row per claim line, as :mod:`history` makes).

The definitions are the ones billing offices use, each written out so a student can check it
by hand on a small table:

* **clean-claim rate**: claims accepted on first submission / claims submitted;
* **denial rate**: claims with at least one denied line / claims the payer has answered
  (a claim still pending has not been answered);
* **denials by reason**: denied claims per CARC, with the share of all denials;
* **days in A/R**: outstanding insurance A/R / average daily charges over the last
  ``days`` days (90 by default). Outstanding A/R here is the charge of every line still
  pending or denied and not yet resolved;
* **aging buckets**: outstanding A/R by days since the date of service: 0-30, 31-60, 61-90,
  91-120, over 120;
* **net collection rate**: payments (payer plus patient) / (charges - contractual
  adjustments), on lines the payer has answered; contractual adjustments are CO and PI
  write-downs, so what is left is what the practice could have collected.
"""
from __future__ import annotations

import pandas as pd

__all__ = ["clean_claim_rate", "denial_rate", "denials_by_reason", "outstanding",
           "days_in_ar", "bucket", "aging", "net_collection_rate", "summary", "plot_aging",
           "plot_denials", "BUCKETS"]

BUCKETS = ["0-30", "31-60", "61-90", "91-120", "over 120"]


def _claims(lines: pd.DataFrame) -> pd.DataFrame:
    """One row per claim: whether it was clean, answered and denied."""
    return lines.groupby("claim_id").agg(
        clean=("clean_claim", "first"),
        answered=("status", lambda s: (s != "pending").all()),
        denied=("status", lambda s: (s == "denied").any()))


def clean_claim_rate(lines: pd.DataFrame) -> float:
    """Share of claims accepted on first submission, as a percentage."""
    return round(100 * _claims(lines).clean.mean(), 1)


def denial_rate(lines: pd.DataFrame) -> float:
    """Share of answered claims with a denied line, as a percentage."""
    claims = _claims(lines)
    answered = claims[claims.answered]
    return round(100 * answered.denied.mean(), 1)


def denials_by_reason(lines: pd.DataFrame) -> pd.DataFrame:
    """Denied claims per group code and CARC, most frequent first, with their share."""
    from .codes import carc

    denied = lines[lines.status == "denied"].drop_duplicates(["claim_id", "carc_code"])
    table = (denied.groupby(["carc_group", "carc_code"]).claim_id.nunique()
             .rename("claims").reset_index().sort_values("claims", ascending=False))
    table["percent"] = (100 * table.claims / table.claims.sum()).round(1)
    table["meaning"] = table.carc_code.map(carc)
    return table.reset_index(drop=True)


def outstanding(lines: pd.DataFrame) -> pd.DataFrame:
    """Lines still owed by the payer: pending, or denied and not resolved."""
    return lines[lines.status.isin(["pending", "denied"])]


def days_in_ar(lines: pd.DataFrame, as_of, days: int = 90) -> float:
    """Outstanding A/R divided by the average daily charges of the last ``days`` days."""
    as_of = pd.Timestamp(as_of)
    recent = lines[(lines.date_of_service > as_of - pd.Timedelta(days=days))
                   & (lines.date_of_service <= as_of)]
    daily = recent.charge.sum() / days
    return round(outstanding(lines).charge.sum() / daily, 1)


def bucket(days: int) -> str:
    """The aging bucket of a balance ``days`` old: "0-30", "31-60", ... "over 120"."""
    for label, upper in zip(BUCKETS, (30, 60, 90, 120)):
        if days <= upper:
            return label
    return BUCKETS[-1]


def aging(lines: pd.DataFrame, as_of) -> pd.DataFrame:
    """Outstanding A/R in the five aging buckets by days since the date of service."""
    owed = outstanding(lines)
    age = (pd.Timestamp(as_of) - owed.date_of_service).dt.days
    buckets = pd.Categorical(age.map(bucket), categories=BUCKETS, ordered=True)
    table = owed.groupby(buckets, observed=False).agg(lines=("charge", "size"),
                                                      amount=("charge", "sum"))
    table["percent"] = (100 * table.amount / table.amount.sum()).round(1)
    table.index.name = "days since service"
    return table


def net_collection_rate(lines: pd.DataFrame) -> float:
    """(Payer + patient payments) / (charges - contractual adjustments), as a percentage."""
    paid = lines[lines.status == "paid"]
    contractual = (paid.charge - paid.allowed).sum()
    collectable = paid.charge.sum() - contractual
    return round(100 * (paid.paid.sum() + paid.patient_paid.sum()) / collectable, 1)


def summary(lines: pd.DataFrame, as_of) -> pd.Series:
    """The headline numbers in one table."""
    return pd.Series({
        "claims": lines.claim_id.nunique(),
        "clean-claim rate (%)": clean_claim_rate(lines),
        "denial rate (%)": denial_rate(lines),
        "days in A/R": days_in_ar(lines, as_of),
        "net collection rate (%)": net_collection_rate(lines),
        "outstanding A/R ($)": round(outstanding(lines).charge.sum(), 2),
    })


def plot_aging(lines: pd.DataFrame, as_of, ax=None):
    """A bar chart of outstanding A/R by aging bucket."""
    table = aging(lines, as_of)
    ax = table.amount.plot.bar(ax=ax, color="#c0392b", rot=0)
    ax.set_ylabel("outstanding A/R ($)")
    ax.set_title("A/R aging by days since the date of service")
    return ax


def plot_denials(lines: pd.DataFrame, ax=None):
    """A horizontal bar chart of denied claims by CARC."""
    table = denials_by_reason(lines)
    labels = table.carc_group + "-" + table.carc_code
    ax = pd.Series(table.claims.values, index=labels).sort_values().plot.barh(
        ax=ax, color="#2c3e50")
    ax.set_xlabel("denied claims")
    ax.set_title("Denials by reason (group code and CARC)")
    return ax
