"""Remittance: what a payer paid and why, read from an X12 835, and posted to a patient ledger.

An 835 (electronic remittance advice, ERA) answers claims: for each claim (CLP) and service
line (SVC) the charge, the payment and every adjustment (CAS) as a group code plus a CARC
number, with RARC remarks (LQ). The adjustments explain the gap exactly::

    charge = paid + sum of adjustments        (on every line and every claim)

Group codes decide who owes the gap: CO (contractual) and PI are written off, PR is the
patient's to pay, OA is neither. :class:`Ledger` posts a remittance that way.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import codes

__all__ = ["Adjustment", "ServicePayment", "ClaimPayment", "Remittance", "parse_835",
           "RemitError", "Ledger", "CLAIM_STATUS"]

CLAIM_STATUS = {"1": "processed as primary", "2": "processed as secondary",
                "3": "processed as tertiary", "4": "denied", "22": "reversal of previous payment"}


class RemitError(ValueError):
    """An 835 that cannot be read, with the segment at fault."""


@dataclass(frozen=True)
class Adjustment:
    group: str
    carc: str
    amount: float

    @property
    def meaning(self) -> str:
        """Group and reason in the course's own words."""
        try:
            reason = codes.carc(self.carc)
        except ValueError:
            reason = f"CARC {self.carc} (not in the course's list)"
        return f"{self.group}-{self.carc}: {reason}"


@dataclass
class ServicePayment:
    procedure: str
    modifiers: list[str]
    charge: float
    paid: float
    units: int
    date: dt.date | None
    adjustments: list[Adjustment] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    allowed: float | None = None

    def total(self, group: str) -> float:
        """The sum of this line's adjustments in one group (CO, PR, OA, PI)."""
        return round(sum(a.amount for a in self.adjustments if a.group == group), 2)

    @property
    def patient_responsibility(self) -> float:
        return self.total("PR")

    def balances(self) -> bool:
        """True when charge = paid + adjustments, as every 835 line must."""
        return abs(self.charge - self.paid - sum(a.amount for a in self.adjustments)) < 0.005


@dataclass
class ClaimPayment:
    claim_id: str
    status: str
    charge: float
    paid: float
    patient_responsibility: float
    payer_claim_number: str
    patient_name: str = ""
    member_id: str = ""
    lines: list[ServicePayment] = field(default_factory=list)
    adjustments: list[Adjustment] = field(default_factory=list)

    @property
    def status_text(self) -> str:
        return CLAIM_STATUS.get(self.status, f"status {self.status}")

    @property
    def denied(self) -> bool:
        return self.status == "4"


@dataclass
class Remittance:
    payer: str
    payee: str
    payee_npi: str
    check_number: str
    payment_date: dt.date
    total_paid: float
    method: str = "ACH"
    claims: list[ClaimPayment] = field(default_factory=list)

    def summary(self) -> str:
        """The remittance as plain text, one claim and its lines after another."""
        out = [f"Remittance from {self.payer} to {self.payee} (NPI {self.payee_npi})",
               f"{self.method} {self.check_number} on {self.payment_date}: "
               f"${self.total_paid:,.2f}"]
        for claim in self.claims:
            out.append(f"\nClaim {claim.claim_id} for {claim.patient_name} "
                       f"({claim.status_text}): charged ${claim.charge:,.2f}, paid "
                       f"${claim.paid:,.2f}, patient owes ${claim.patient_responsibility:,.2f}")
            out += [f"  claim adjustment {a.meaning} ${a.amount:,.2f}" for a in claim.adjustments]
            for line in claim.lines:
                mods = "-" + "-".join(line.modifiers) if line.modifiers else ""
                out.append(f"  {line.date} {line.procedure}{mods} x{line.units}: charged "
                           f"${line.charge:,.2f}, paid ${line.paid:,.2f}")
                out += [f"    {a.meaning} ${a.amount:,.2f}" for a in line.adjustments]
                for remark in line.remarks:
                    out.append(f"    remark {remark}: {_remark(remark)}")
        return "\n".join(out)


def _remark(code: str) -> str:
    try:
        return codes.rarc(code)
    except ValueError:
        return "(not in the course's list)"


# --------------------------------------------------------------------------- parsing

def _segments(text: str) -> list[list[str]]:
    text = text.strip()
    if not text.startswith("ISA") or len(text) < 106:
        raise RemitError("an 835 starts with an ISA segment; this text does not.")
    element, terminator = text[3], text[105]
    return [seg.strip().split(element) for seg in text.split(terminator) if seg.strip()]


def _float(value: str, segment: str) -> float:
    try:
        return round(float(value), 2)
    except ValueError:
        raise RemitError(f"{segment}: {value!r} is not an amount.") from None


def _date(value: str) -> dt.date:
    return dt.datetime.strptime(value, "%Y%m%d").date()


def _cas(seg: list[str]) -> list[Adjustment]:
    """A CAS segment holds up to six reason/amount(/quantity) triples for one group."""
    group, found = seg[1], []
    for i in range(2, len(seg), 3):
        if seg[i]:
            if i + 1 >= len(seg):
                raise RemitError(f"CAS: reason {seg[i]} has no amount.")
            found.append(Adjustment(group, seg[i], _float(seg[i + 1], "CAS")))
    return found


def parse_835(text: str) -> Remittance:
    """Read an 835 into a :class:`Remittance`; a malformed file raises :class:`RemitError`."""
    segments = _segments(text)
    state = _ParseState(component=text.strip()[104])
    for number, seg in enumerate(segments, 1):
        try:
            state.read(seg)
        except (IndexError, ValueError) as err:
            if isinstance(err, RemitError):
                raise
            raise RemitError(f"segment {number} ({seg[0]}) is incomplete or malformed: "
                             f"{'*'.join(seg)[:80]}") from None
    return state.finish()


class _ParseState:
    """What the parser has read so far: the payment, the current claim and line."""

    def __init__(self, component: str):
        self.component = component
        self.remit: Remittance | None = None
        self.claim: ClaimPayment | None = None
        self.line: ServicePayment | None = None
        self.names: dict[str, tuple[str, str]] = {}

    def read(self, seg: list[str]) -> None:
        tag = seg[0]
        if tag == "BPR":
            self.remit = Remittance("", "", "", "", _date(seg[16]), _float(seg[2], "BPR"),
                                    "ACH" if seg[4] == "ACH" else "check")
        elif self.remit is None and tag not in ("ISA", "GS", "ST"):
            raise RemitError(f"{tag} before BPR: the payment header is missing.")
        elif tag == "TRN":
            self.remit.check_number = seg[2]
        elif tag == "N1":
            self.names[seg[1]] = (seg[2], seg[4] if len(seg) > 4 else "")
        elif tag == "CLP":
            self._claim(seg)
        elif tag == "NM1" and seg[1] == "QC" and self.claim:
            self.claim.patient_name = f"{seg[4] if len(seg) > 4 else ''} {seg[3]}".strip().title()
            self.claim.member_id = seg[9] if len(seg) > 9 else ""
        elif tag == "SVC" and self.claim:
            self._service(seg)
        elif tag == "DTM" and seg[1] == "472" and self.line:
            self.line.date = _date(seg[2])
        elif tag == "CAS" and self.claim:
            (self.line.adjustments if self.line else self.claim.adjustments).extend(_cas(seg))
        elif tag == "AMT" and seg[1] == "B6" and self.line:
            self.line.allowed = _float(seg[2], "AMT")
        elif tag == "LQ" and self.line:
            self.line.remarks.append(seg[2])

    def _claim(self, seg: list[str]) -> None:
        patient = seg[5] if len(seg) > 5 and seg[5] else "0"
        self.claim = ClaimPayment(seg[1], seg[2], _float(seg[3], "CLP"), _float(seg[4], "CLP"),
                                  _float(patient, "CLP"), seg[7] if len(seg) > 7 else "")
        self.remit.claims.append(self.claim)
        self.line = None

    def _service(self, seg: list[str]) -> None:
        parts = seg[1].split(self.component)
        units = int(float(seg[5])) if len(seg) > 5 and seg[5] else 1
        self.line = ServicePayment(parts[1], parts[2:], _float(seg[2], "SVC"),
                                   _float(seg[3], "SVC"), units, None)
        self.claim.lines.append(self.line)

    def finish(self) -> Remittance:
        if self.remit is None:
            raise RemitError("no BPR segment: this is not an 835 payment.")
        self.remit.payer = self.names.get("PR", ("", ""))[0].title()
        payee, self.remit.payee_npi = self.names.get("PE", ("", ""))
        self.remit.payee = payee.title()
        return self.remit


# --------------------------------------------------------------------------- ledger

@dataclass(frozen=True)
class Entry:
    date: dt.date
    claim_id: str
    description: str
    charge: float = 0.0
    payment: float = 0.0
    adjustment: float = 0.0


class Ledger:
    """A patient account: charges, insurance payments, write-offs and patient payments.

    The balance is what the patient owes once the payer has answered: charges minus insurance
    payments minus contractual (CO/PI) and other (OA) adjustments minus patient payments.
    """

    def __init__(self, patient: str):
        self.patient = patient
        self.entries: list[Entry] = []

    def charge(self, claim) -> None:
        """Post a claim's line charges (a :class:`medcode.claims.model.Claim`)."""
        for line in claim.lines:
            self.entries.append(Entry(line.from_date, claim.claim_id,
                                      f"charge {line.procedure}", charge=line.charge))

    def post(self, remit: Remittance, claim_id: str | None = None) -> None:
        """Post a remittance's payments and write-offs; PR stays on the patient's balance."""
        for claim in remit.claims:
            if claim_id and claim.claim_id != claim_id:
                continue
            self.entries.append(Entry(remit.payment_date, claim.claim_id,
                                      f"{remit.payer} payment ({remit.check_number})",
                                      payment=claim.paid))
            adjustments = claim.adjustments + [a for ln in claim.lines for a in ln.adjustments]
            for adj in adjustments:
                if adj.group != "PR":
                    self.entries.append(Entry(remit.payment_date, claim.claim_id,
                                              f"write-off {adj.group}-{adj.carc}",
                                              adjustment=adj.amount))

    def patient_payment(self, day: dt.date, amount: float, claim_id: str = "") -> None:
        self.entries.append(Entry(day, claim_id, "patient payment", payment=amount))

    @property
    def balance(self) -> float:
        return round(sum(e.charge - e.payment - e.adjustment for e in self.entries), 2)

    def table(self):
        """The ledger as a pandas DataFrame with a running balance."""
        import pandas as pd

        frame = pd.DataFrame([e.__dict__ for e in self.entries])
        frame["balance"] = (frame.charge - frame.payment - frame.adjustment).cumsum().round(2)
        return frame
