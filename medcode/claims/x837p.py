"""X12 837 professional claim (version 005010X222A1) from a scrubbed CMS-1500 claim.

The 837P is the electronic twin of the CMS-1500: HIPAA names it the standard for professional
claims (45 CFR 162.1102). Each paper item has a home in a loop and segment, e.g. item 21 in
the HI segment of loop 2300, item 24D in SV1 of loop 2400, item 33a in NM1*85 of loop 2010AA.

:func:`to_837p` refuses a claim with scrubber errors (a :class:`ClaimError` naming the items),
so it never writes a silently wrong interchange. The output passes pyx12's ``x12valid``.
"""
from __future__ import annotations

import datetime as dt

from .model import POINTER_LETTERS, Address, Claim, ClaimError, Person, Provider
from .scrub import errors, scrub

__all__ = ["to_837p", "SENDER_ID"]

SENDER_ID = "EXAMPLECLINIC"
_RELATIONSHIP = {"spouse": "01", "child": "19", "other": "G8"}
_PROGRAM = {"medicare": "MB", "medicaid": "MC", "tricare": "CH", "champva": "VA",
            "group": "CI", "feca": "WC", "other": "ZZ"}


def _clean(text) -> str:
    """Upper-case X12 text without the separator characters * ~ : ^."""
    return " ".join(str(text).upper().translate(str.maketrans("*~:^", "    ")).split())


def _seg(*elements) -> str:
    parts = [_clean(e) if not isinstance(e, _Raw) else str(e) for e in elements]
    while parts and parts[-1] == "":
        parts.pop()
    return "*".join(parts) + "~"


class _Raw(str):
    """An element that holds component separators on purpose (HC:99213:25, ABK:E119)."""


def _amount(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _d8(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _address(address: Address, zip9: bool = False) -> list[str]:
    postcode = address.zip.replace("-", "")
    if zip9 and len(postcode) == 5:
        postcode += "9998"  # billing provider needs ZIP+4; 9998 marks "unknown" (example data)
    return [_seg("N3", address.street), _seg("N4", address.city, address.state, postcode)]


def _person_name(code: str, person: Person, id_code: str = "", ident: str = "") -> str:
    return _seg("NM1", code, "1", person.last, person.first, person.middle, "", "",
                id_code, ident)


def _provider_name(code: str, provider: Provider) -> str:
    if provider.last:
        return _seg("NM1", code, "1", provider.last, provider.first, "", "", "", "XX",
                    provider.npi)
    return _seg("NM1", code, "2", provider.name, "", "", "", "", "XX", provider.npi)


def _envelope_start(claim: Claim, now: dt.datetime, control: int) -> list[str]:
    isa = ("ISA*00*" + " " * 10 + "*00*" + " " * 10 + "*ZZ*" + SENDER_ID.ljust(15) + "*ZZ*"
           + _clean(claim.payer.payer_id)[:15].ljust(15) + "*" + now.strftime("%y%m%d") + "*"
           + now.strftime("%H%M") + "*^*00501*" + f"{control:09d}" + "*0*T*:~")
    return [isa,
            _seg("GS", "HC", SENDER_ID, claim.payer.payer_id, now.strftime("%Y%m%d"),
                 now.strftime("%H%M"), str(control), "X", "005010X222A1")]


def _header(claim: Claim, now: dt.datetime) -> list[str]:
    billing = claim.billing_provider
    return [_seg("ST", "837", "0001", "005010X222A1"),
            _seg("BHT", "0019", "00", claim.claim_id, now.strftime("%Y%m%d"),
                 now.strftime("%H%M"), "CH"),
            _seg("NM1", "41", "2", billing.name, "", "", "", "", "46", SENDER_ID),
            _seg("PER", "IC", "BILLING OFFICE", "TE",
                 "".join(ch for ch in (billing.address.phone or "5555550100") if ch.isdigit())),
            _seg("NM1", "40", "2", claim.payer.name, "", "", "", "", "46", claim.payer.payer_id)]


def _billing_loop(claim: Claim) -> list[str]:
    billing = claim.billing_provider
    return ([_seg("HL", "1", "", "20", "1"), _provider_name("85", billing)]
            + _address(billing.address, zip9=True)
            + [_seg("REF", "EI", claim.federal_tax_id)])


def _subscriber_loop(claim: Claim) -> list[str]:
    self_pay = claim.relationship == "self"
    insured = claim.insured
    out = [_seg("HL", "2", "1", "22", "0" if self_pay else "1"),
           _seg("SBR", "P", "18" if self_pay else "", insured.group_number, "" if
                insured.group_number else insured.plan_name, "", "", "", "",
                _PROGRAM[claim.payer.program]),
           _person_name("IL", insured, "MI", insured.id)]
    out += _address(insured.address)
    out.append(_seg("DMG", "D8", _d8(insured.birth_date), insured.sex))
    out.append(_seg("NM1", "PR", "2", claim.payer.name, "", "", "", "", "PI",
                    claim.payer.payer_id))
    if not self_pay:
        patient = claim.patient
        out += [_seg("HL", "3", "2", "23", "0"), _seg("PAT", _RELATIONSHIP[claim.relationship]),
                _person_name("QC", patient)]
        out += _address(patient.address)
        out.append(_seg("DMG", "D8", _d8(patient.birth_date), patient.sex))
    return out


def _related_causes(claim: Claim) -> _Raw | str:
    causes = [code for key, code in (("employment", "EM"), ("auto_accident", "AA"),
                                     ("other_accident", "OA")) if claim.condition.get(key)]
    if not causes:
        return ""
    parts = causes + [""] * (3 - len(causes))
    if "AA" in causes:
        parts.append(_clean(claim.condition["accident_state"]))
    return _Raw(":".join(parts).rstrip(":"))


def _claim_loop(claim: Claim) -> list[str]:
    first_pos = claim.lines[0].place_of_service
    out = [_seg("CLM", claim.claim_id, _amount(claim.total_charge), "", "",
                _Raw(f"{first_pos}:B:1"), "Y", "A" if claim.accept_assignment else "C",
                "Y" if claim.insured_signature_on_file else "N",
                "Y" if claim.patient_signature_on_file else "N", "", _related_causes(claim))]
    if claim.onset_date:
        out.append(_seg("DTP", "431", "D8", _d8(claim.onset_date)))
    if claim.amount_paid:
        out.append(_seg("AMT", "F5", _amount(claim.amount_paid)))
    if claim.prior_authorization:
        out.append(_seg("REF", "G1", claim.prior_authorization))
    codes = [c.replace(".", "") for c in claim.diagnoses]
    out.append(_seg("HI", *[_Raw(f"{'ABK' if i == 0 else 'ABF'}:{c}")
                            for i, c in enumerate(codes)]))
    if claim.referring_provider:
        out.append(_provider_name("DN", claim.referring_provider))
    if claim.rendering_provider.npi != claim.billing_provider.npi:
        out.append(_provider_name("82", claim.rendering_provider))
    if claim.service_facility:
        out.append(_provider_name("77", claim.service_facility))
        out += _address(claim.service_facility.address)
    if claim.other_insurance:
        out += _other_subscriber_loop(claim.other_insurance)
    return out


def _other_subscriber_loop(other) -> list[str]:
    """Loops 2320/2330A/2330B: the other plan (items 9, 9a, 9d), secondary to this claim's."""
    relationship = "18" if other.relationship == "self" else _RELATIONSHIP[other.relationship]
    return [_seg("SBR", "S", relationship, other.group_number, "", "", "", "", "", "CI"),
            _seg("OI", "", "", "Y", "", "", "Y"),
            _seg("NM1", "IL", "1", other.last, other.first, "", "", "", "MI", other.member_id),
            _seg("NM1", "PR", "2", other.payer_name, "", "", "", "", "PI", other.payer_id)]


def _line_loop(claim: Claim, n: int, line) -> list[str]:
    procedure = ":".join(["HC", line.procedure, *line.modifiers])
    pointers = ":".join(str(POINTER_LETTERS.index(p) + 1) for p in line.pointers)
    dates = (_seg("DTP", "472", "D8", _d8(line.from_date)) if line.to_date == line.from_date
             else _seg("DTP", "472", "RD8", f"{_d8(line.from_date)}-{_d8(line.to_date)}"))
    out = [_seg("LX", str(n)),
           _seg("SV1", _Raw(procedure), _amount(line.charge), "UN", str(line.units),
                line.place_of_service if line.place_of_service != claim.lines[0].place_of_service
                else "", "", _Raw(pointers), "", "Y" if line.emergency else ""),
           dates]
    return out


def to_837p(claim: Claim, now: dt.datetime | None = None, control: int = 1) -> str:
    """The 837P interchange for ``claim``, one segment per line.

    Raises :class:`ClaimError` listing every scrubber error instead of writing a wrong claim.
    ``now`` fixes the interchange date and time (for reproducible output).
    """
    now = now or dt.datetime.now().replace(second=0, microsecond=0)
    problems = errors(scrub(claim, today=now.date()))
    if problems:
        raise ClaimError(problems[0].item, "the claim did not pass the scrubber, so no 837P "
                         "was written:\n" + "\n".join(str(p) for p in problems))
    body = _header(claim, now) + _billing_loop(claim) + _subscriber_loop(claim) \
        + _claim_loop(claim)
    for n, line in enumerate(claim.lines, 1):
        body += _line_loop(claim, n, line)
    body.append(_seg("SE", str(len(body) + 1), "0001"))
    trailer = [_seg("GE", "1", str(control)), _seg("IEA", "1", f"{control:09d}")]
    return "\n".join(_envelope_start(claim, now, control) + body + trailer) + "\n"
