"""X12 835 remittance advice (version 005010X221A1) from a :class:`Remittance`.

The payer side of the conversation: :mod:`medcode.payers` decides claims and this module
writes its answer the way a payer's system would, so that :func:`medcode.claims.remit.parse_835`
and pyx12's ``x12valid`` can read it like any real ERA.
"""
from __future__ import annotations

import datetime as dt
from itertools import groupby

from .remit import Remittance
from .x837p import _Raw, _amount, _seg

__all__ = ["to_835"]

_FILING = {"PPO": "12", "HMO": "HM", "HDHP": "CI", "Medicare": "MB", "Medicaid": "MC"}


def _cas_segments(adjustments) -> list[str]:
    """One CAS per group code, each with up to six reason/amount pairs."""
    out = []
    ordered = sorted(adjustments, key=lambda a: a.group)
    for group, items in groupby(ordered, key=lambda a: a.group):
        items = list(items)
        for start in range(0, len(items), 6):
            pairs = []
            for adj in items[start:start + 6]:
                pairs += [adj.carc, _amount(adj.amount), ""]
            out.append(_seg("CAS", group, *pairs))
    return out


def _claim_segments(claim, filing: str) -> list[str]:
    last, _, first = claim.patient_name.rpartition(" ")[::-1] if " " in claim.patient_name \
        else (claim.patient_name, "", "")
    out = [_seg("CLP", claim.claim_id, claim.status, _amount(claim.charge), _amount(claim.paid),
                _amount(claim.patient_responsibility) if claim.patient_responsibility else "",
                filing, claim.payer_claim_number, "11", "1"),
           _seg("NM1", "QC", "1", last, first, "", "", "", "MI", claim.member_id)]
    out += _cas_segments(claim.adjustments)
    for line in claim.lines:
        out.append(_seg("SVC", _Raw(":".join(["HC", line.procedure, *line.modifiers])),
                        _amount(line.charge), _amount(line.paid), "", str(line.units)))
        if line.date:
            out.append(_seg("DTM", "472", line.date.strftime("%Y%m%d")))
        out += _cas_segments(line.adjustments)
        if line.allowed is not None and line.allowed > 0:
            out.append(_seg("AMT", "B6", _amount(line.allowed)))
        out += [_seg("LQ", "HE", remark) for remark in line.remarks]
    return out


def to_835(remit: Remittance, payer_id: str, plan_kind: str = "PPO",
           now: dt.datetime | None = None, control: int = 1) -> str:
    """The 835 interchange for ``remit``; ``payer_id`` identifies the sender."""
    now = now or dt.datetime.combine(remit.payment_date, dt.time(8, 0))
    handling = "I" if remit.total_paid > 0 else "H"
    body = [_seg("ST", "835", "0001"),
            _seg("BPR", handling, _amount(remit.total_paid), "C",
                 "CHK" if remit.total_paid > 0 else "NON", *[""] * 11,
                 remit.payment_date.strftime("%Y%m%d")),
            _seg("TRN", "1", remit.check_number, "1999999999"),
            _seg("N1", "PR", remit.payer),
            _seg("N3", "100 EXAMPLE PLAZA"), _seg("N4", "SPRINGFIELD", "IL", "62701"),
            _seg("PER", "BL", "PROVIDER SERVICES", "TE", "5555550199"),
            _seg("N1", "PE", remit.payee, "XX", remit.payee_npi)]
    filing = _FILING.get(plan_kind, "CI")
    for n, claim in enumerate(remit.claims, 1):
        body += [_seg("LX", str(n))] + _claim_segments(claim, filing)
    body.append(_seg("SE", str(len(body) + 1), "0001"))
    isa = ("ISA*00*" + " " * 10 + "*00*" + " " * 10 + "*ZZ*" + payer_id[:15].ljust(15)
           + "*ZZ*" + "EXAMPLECLINIC".ljust(15) + "*" + now.strftime("%y%m%d") + "*"
           + now.strftime("%H%M") + "*^*00501*" + f"{control:09d}" + "*0*T*:~")
    gs = _seg("GS", "HP", payer_id, "EXAMPLECLINIC", now.strftime("%Y%m%d"),
              now.strftime("%H%M"), str(control), "X", "005010X221A1")
    trailer = [_seg("GE", "1", str(control)), _seg("IEA", "1", f"{control:09d}")]
    return "\n".join([isa, gs] + body + trailer) + "\n"
