"""Compliance analytics on a practice's claim lines: what an auditor looks at first.

The OIG's General Compliance Program Guidance (November 2023) counts auditing and monitoring
among the seven elements of an effective compliance program. These functions are the first
pass of such an audit over a DataFrame of claim lines shaped like
:func:`medcode.claims.history.claim_history` (one row per line: provider_name, patient_id,
date_of_service, procedure, modifiers, em_level, em_patient, claim_id, line):

* ``em_distribution`` and ``em_outliers``: each provider's office E/M levels against peers, or
  against a national benchmark read from CMS public data with ``benchmark_from_cms``;
* ``modifier_outliers``: providers who append modifier 25 (or 59) far more often than peers;
* ``duplicates``: the same service for the same patient, day and provider billed again;
* ``unbundled``: a test billed beside a panel that already includes it, and an E/M on the day
  of a minor procedure or a preventive visit without modifier 25.

A flag is a reason to pull the records, never a finding of fraud: a provider whose patients
are sicker bills higher levels honestly. CPT is copyright American Medical Association; only
code numbers appear here.
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

__all__ = ["em_distribution", "em_outliers", "modifier_outliers", "duplicates", "unbundled",
           "benchmark_from_cms", "against_benchmark", "sample_batch", "PANELS"]

DATA = Path(__file__).resolve().parent / "data" / "audit"

# Organ- and disease-oriented panels and the tests each already includes (the panel
# definitions in the CPT code set's Pathology and Laboratory section; CMS NCCI Policy Manual,
# Chapter 10); 85025, the blood count with an automated differential, is not one of those panels
# but includes 85027, the count without it, so it is listed the same way. A panel's test billed
# again from the same collection is unbundling.
PANELS = {
    "80048": {"82310", "82374", "82435", "82565", "82947", "84132", "84295", "84520"},
    "80053": {"80048", "82040", "82247", "82310", "82374", "82435", "82565", "82947", "84075",
              "84132", "84155", "84295", "84450", "84460", "84520"},
    "80061": {"82465", "83718", "84478"},
    "85025": {"85027"},
}
# Minor procedures (joint injections, 0-day global period in the Medicare Physician Fee
# Schedule) seen in the course's data, and preventive visits: an E/M the same day needs modifier 25 to be paid
# apart from them (Medicare Claims Processing Manual, Chapter 12, sections 30.6.6 and 40.1).
MINOR_PROCEDURES = {"20610", "20611"}
PREVENTIVE_VISITS = {f"9938{n}" for n in range(1, 8)} | {f"9939{n}" for n in range(1, 8)} | {
    "G0438", "G0439"}
_EM_CODES = {f"9920{n}" for n in range(2, 6)} | {f"9921{n}" for n in range(1, 6)}
_SAME_SERVICE = ["patient_id", "date_of_service", "provider_name"]


def _has_modifier(modifiers: pd.Series, modifier: str) -> pd.Series:
    return modifiers.fillna("").str.split(",").apply(lambda mods: modifier in mods)


def em_distribution(frame: pd.DataFrame, patient: str = "established") -> pd.DataFrame:
    """Share of each provider's office E/M visits at each level (rows sum to 1), with counts."""
    em = frame[frame["em_patient"] == patient]
    shares = pd.crosstab(em["provider_name"], em["em_level"], normalize="index")
    shares.columns = [int(c) for c in shares.columns]
    shares["visits"] = em.groupby("provider_name").size()
    return shares


def _peer_z(hits: pd.Series, totals: pd.Series) -> pd.DataFrame:
    """Each provider's rate against everyone else's, with a two-proportion z-score.

    Comparing with the rest of the practice (not with the average that includes the provider)
    keeps one heavy biller from pulling the yardstick toward itself.
    """
    rate = hits / totals
    peer = (hits.sum() - hits) / (totals.sum() - totals)
    pooled = hits.sum() / totals.sum()
    spread = (pooled * (1 - pooled) * (1 / totals + 1 / (totals.sum() - totals))).apply(math.sqrt)
    return pd.DataFrame({"lines": totals, "rate": rate, "peer_rate": peer,
                         "difference": rate - peer, "z": ((rate - peer) / spread).fillna(0.0)})


def em_outliers(frame: pd.DataFrame, patient: str = "established", levels=(4, 5),
                z: float = 2.0) -> pd.DataFrame:
    """Providers whose share of high-level visits stands out from their peers'.

    ``flagged`` when the share is above the peers' by more than ``z`` standard errors
    (about a 1-in-40 chance of happening by luck alone at z = 2).
    """
    em = frame[frame["em_patient"] == patient]
    high = em["em_level"].isin(levels).groupby(em["provider_name"]).sum()
    table = _peer_z(high, em.groupby("provider_name").size())
    table["flagged"] = table["z"] > z
    return table.sort_values("z", ascending=False)


def modifier_outliers(frame: pd.DataFrame, modifier: str = "25", z: float = 2.0) -> pd.DataFrame:
    """How often each provider appends ``modifier``, against peers.

    Modifier 25 belongs on E/M lines, so its rate is per E/M line; any other modifier's rate
    (59 and its X{EPSU} subsets) is per non-E/M line.
    """
    is_em = frame["procedure"].isin(_EM_CODES)
    lines = frame[is_em] if modifier == "25" else frame[~is_em]
    hits = _has_modifier(lines["modifiers"], modifier).groupby(lines["provider_name"]).sum()
    table = _peer_z(hits, lines.groupby("provider_name").size())
    table["flagged"] = table["z"] > z
    return table.sort_values("z", ascending=False)


def duplicates(frame: pd.DataFrame) -> pd.DataFrame:
    """Lines that repeat an earlier line: same patient, day, provider, code and modifiers.

    The first line billed is kept as the original; every later copy (on another claim or on
    the same one) is returned, because that is the one to void or correct.
    """
    key = _SAME_SERVICE + ["procedure", "modifiers"]
    ordered = frame.sort_values(["claim_id", "line"])
    return ordered[ordered.duplicated(key, keep="first")]


def unbundled(frame: pd.DataFrame) -> pd.DataFrame:
    """Lines that should not be paid apart from another service that day, with the reason."""
    found = []
    for _, day in frame.groupby(_SAME_SERVICE):
        codes = set(day["procedure"])
        for index, row in day.iterrows():
            reason = _bundling_reason(row, codes)
            if reason:
                found.append({**row.to_dict(), "reason": reason, "index": index})
    columns = list(frame.columns) + ["reason"]
    if not found:
        return pd.DataFrame(columns=columns)
    return pd.DataFrame(found).set_index("index").rename_axis(None)[columns]


def _bundling_reason(row, codes: set[str]) -> str | None:
    code = row["procedure"]
    for panel, parts in PANELS.items():
        if panel in codes and code in parts:
            return f"{code} is already part of panel {panel} billed the same day"
    if code in _EM_CODES and not _has_modifier(pd.Series([row["modifiers"]]), "25").iloc[0]:
        if codes & MINOR_PROCEDURES:
            return f"E/M {code} on the day of minor procedure {min(codes & MINOR_PROCEDURES)} without modifier 25"
        if codes & PREVENTIVE_VISITS:
            return f"E/M {code} on the day of preventive visit {min(codes & PREVENTIVE_VISITS)} without modifier 25"
    return None


def benchmark_from_cms(cms: pd.DataFrame, patient: str = "established") -> pd.Series:
    """National share of each office E/M level, from CMS public utilisation data.

    ``cms`` is the CMS "Medicare Physician & Other Practitioners - by Geography and Service"
    file (data.cms.gov), read with pandas; the national rows (``Rndrng_Prvdr_Geo_Lvl`` =
    "National") give the total services (``Tot_Srvcs``) of each code (``HCPCS_Cd``), summed
    over facility and non-facility places of service. The course ships none of its figures:
    download the year you want to compare with and cite it.
    """
    codes = {f"9921{n}": n for n in range(1, 6)} if patient == "established" else {
        f"9920{n}": n for n in range(2, 6)}
    national = cms[(cms["Rndrng_Prvdr_Geo_Lvl"] == "National")
                   & cms["HCPCS_Cd"].astype(str).isin(codes)]
    # The data.cms.gov API sends numbers as text; the CSV download sends them as numbers.
    counts = pd.to_numeric(national["Tot_Srvcs"], errors="raise")
    services = counts.groupby(national["HCPCS_Cd"].astype(str).map(codes)).sum()
    return (services / services.sum()).rename("benchmark").rename_axis("level")


def against_benchmark(distribution: pd.DataFrame, benchmark: pd.Series) -> pd.DataFrame:
    """Each provider's share at each level minus the benchmark's, in percentage points."""
    levels = [lv for lv in benchmark.index if lv in distribution.columns]
    return (distribution[levels] - benchmark[levels]) * 100


def sample_batch() -> pd.DataFrame:
    """A synthetic week of claim lines from a new biller, for practising the audit checks."""
    batch = pd.read_csv(DATA / "new_biller_week.csv", dtype={"procedure": str, "modifiers": str},
                        keep_default_na=False, parse_dates=["date_of_service"])
    batch["em_level"] = pd.to_numeric(batch["em_level"], errors="coerce").astype("Int64")
    return batch
