"""Claim scrubbing: every problem a payer would reject, each with its CMS-1500 item number.

A scrubber runs before a claim leaves the office. It lists *all* findings at once so the
biller fixes them in one pass. Errors stop the claim (no 837P is written for it); warnings
are worth a look but do not.

Diagnosis codes are checked against the pinned ICD-10-CM release (:mod:`medcode.icd10cm`);
procedure codes against :mod:`medcode.cpt` and :mod:`medcode.hcpcs` (a code missing from the
course's lists is a warning: the lists are extracts, not the whole code sets); modifiers with
:mod:`medcode.modifiers`; NCCI procedure-to-procedure edits and MUEs with :mod:`medcode.ncci`,
one date of service at a time.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby

from .. import cpt, hcpcs, icd10cm, modifiers, ncci
from . import codes, npi
from .model import POINTER_LETTERS, Claim, ClaimError, loads

__all__ = ["Finding", "scrub", "scrub_json", "errors", "report", "is_billable_dx", "icd_problem"]


@dataclass(frozen=True)
class Finding:
    """One problem on a claim: the form item, what is wrong, and whether it stops the claim."""
    item: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{'ERROR' if self.severity == 'error' else 'warning'} item {self.item}: " \
               f"{self.message}"


def icd_problem(code: str) -> str | None:
    """Why a diagnosis cannot go on a claim, from the pinned ICD-10-CM release; None if it can."""
    return None if icd10cm.is_billable(code) else icd10cm.explain(code)


def is_billable_dx(code: str) -> bool:
    return icd_problem(code) is None


def _procedure_finding(code: str, where: str) -> list[Finding]:
    """A malformed code is an error; a well-formed code missing from the course's lists, a warning."""
    if hcpcs.is_valid(code) or cpt.is_valid(code):
        return []
    if cpt.is_valid_format(code):
        return [Finding(where, f"{code} is shaped like a CPT code but is not in the course's CPT "
                               "list; check it in the current CPT code book.", "warning")]
    if len(code) == 5 and code[0].isalpha() and code[1:].isdigit():
        return [Finding(where, f"{code} is not a HCPCS Level II code in the CMS table.")]
    return [Finding(where, f"{code!r} is neither a CPT code (five digits, or four digits and F, "
                           "T or U) nor a HCPCS Level II code (a letter and four digits).")]


def scrub(claim: Claim, today: dt.date | None = None) -> list[Finding]:
    """All findings on ``claim``, in form order. ``today`` is the submission date."""
    today = today or dt.date.today()
    found: list[Finding] = []
    found += _provider_findings(claim)
    found += _diagnosis_findings(claim)
    found += _condition_findings(claim)
    found += _filing_findings(claim, today)
    for n, line in enumerate(claim.lines, 1):
        found += _line_findings(claim, line, n, today)
    found += _edit_findings(claim)
    if claim.amount_paid > claim.total_charge:
        found.append(Finding("29", f"amount paid ${claim.amount_paid:.2f} is more than the "
                                   f"total charge ${claim.total_charge:.2f} (item 28)."))
    return found


def scrub_json(text: str, today: dt.date | None = None) -> list[Finding]:
    """Scrub a claim given as JSON text; a structural problem becomes a single finding."""
    try:
        claim = loads(text)
    except ClaimError as err:
        return [Finding(err.item, str(err).split(": ", 1)[1])]
    return scrub(claim, today)


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def report(findings: list[Finding]) -> str:
    """A plain-text list of findings, or a clean-claim message."""
    if not findings:
        return "Clean claim: no problems found."
    return "\n".join(str(f) for f in findings)


def _npi_finding(item: str, who: str, number: str) -> list[Finding]:
    problem = npi.explain(number)
    return [Finding(item, f"{who} NPI: {problem}")] if problem else []


def _provider_findings(claim: Claim) -> list[Finding]:
    found = _npi_finding("33a", "billing provider", claim.billing_provider.npi)
    found += _npi_finding("24J / 31", "rendering provider", claim.rendering_provider.npi)
    if claim.referring_provider:
        found += _npi_finding("17b", "referring provider", claim.referring_provider.npi)
    if claim.service_facility:
        found += _npi_finding("32a", "service facility", claim.service_facility.npi)
    if claim.relationship == "self" and (claim.insured.last, claim.insured.first) != \
            (claim.patient.last, claim.patient.first):
        found.append(Finding("6", "the patient is marked 'self' but the insured (item 4) is a "
                                  "different person.", "warning"))
    if claim.patient.birth_date and claim.patient.birth_date > claim.lines[0].from_date:
        found.append(Finding("3", "the patient's birth date is after the date of service."))
    return found


def _diagnosis_findings(claim: Claim) -> list[Finding]:
    found = []
    for letter, code in zip(POINTER_LETTERS, claim.diagnoses):
        problem = icd_problem(code)
        if problem:
            found.append(Finding(f"21{letter}", problem))
    if len(set(claim.diagnoses)) < len(claim.diagnoses):
        found.append(Finding("21", "the same diagnosis code is listed twice.", "warning"))
    used = {p for line in claim.lines for p in line.pointers}
    for letter, code in zip(POINTER_LETTERS, claim.diagnoses):
        if letter not in used:
            found.append(Finding(f"21{letter}", f"{code} is not pointed to by any service line "
                                                "(item 24E).", "warning"))
    return found


def _condition_findings(claim: Claim) -> list[Finding]:
    found = []
    if claim.condition.get("auto_accident") and not claim.condition.get("accident_state"):
        found.append(Finding("10b", "an auto accident needs the state where it happened."))
    first_day = min(line.from_date for line in claim.lines)
    if claim.onset_date and claim.onset_date > first_day:
        found.append(Finding("14", f"the onset date {claim.onset_date} is after the first date "
                                   f"of service {first_day}."))
    return found


def _one_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # February 29
        return day.replace(year=day.year + 1, day=28)


def _filing_findings(claim: Claim, today: dt.date) -> list[Finding]:
    """Medicare takes claims up to one calendar year after the date of service (42 CFR 424.44)."""
    if claim.payer.program != "medicare":
        return []
    return [Finding(f"24A, line {n}", f"the date of service {line.from_date} is more than one "
                                      "year ago: past Medicare's filing limit (42 CFR 424.44).")
            for n, line in enumerate(claim.lines, 1) if today > _one_year_after(line.from_date)]


def _line_findings(claim: Claim, line, n: int, today: dt.date) -> list[Finding]:
    found = []
    where = f", line {n}"
    if line.from_date > today:
        found.append(Finding("24A" + where, f"date of service {line.from_date} is in the future; "
                                            "a claim is sent after the service."))
    if not codes.is_place_of_service(line.place_of_service):
        found.append(Finding("24B" + where, f"{line.place_of_service!r} is not a CMS "
                                            "place-of-service code."))
    found += _procedure_finding(line.procedure, "24D" + where)
    for pointer in line.pointers:
        if pointer not in POINTER_LETTERS or claim.diagnosis_for(pointer) is None:
            found.append(Finding("24E" + where, f"pointer {pointer!r} does not point at a "
                                                "diagnosis listed in item 21."))
    if len(set(line.pointers)) < len(line.pointers):
        found.append(Finding("24E" + where, "the same pointer is listed twice."))
    if line.charge <= 0:
        found.append(Finding("24F" + where, "a service line needs a charge above $0.00."))
    if line.rendering_npi and line.rendering_npi != claim.rendering_provider.npi:
        found.append(Finding("24J" + where, "this line's rendering NPI differs from item 31; "
                             "send one claim per rendering provider."))
    return found


def _edit_findings(claim: Claim) -> list[Finding]:
    """Modifier conflicts, NCCI procedure-to-procedure edits and MUEs, from the coding engines."""
    lines = [{"code": ln.procedure, "modifiers": ln.modifiers, "units": ln.units}
             for ln in claim.lines]
    found = [Finding(f"24D, line {f['line']}", f"modifier {f['modifier']}: {f['problem']}",
                     f["severity"]) for f in modifiers.check(lines)]
    numbered = sorted(enumerate(claim.lines, 1), key=lambda pair: pair[1].from_date)
    for day, group in groupby(numbered, key=lambda pair: pair[1].from_date):
        group = list(group)
        where = {line.procedure: n for n, line in group}
        for f in ncci.check([lines[n - 1] for n, _ in group], on=day):
            if f["kind"] == "ptp":
                found.append(Finding(f"24D, line {where[f['column_2']]}", f"NCCI: {f['message']}",
                                     "warning" if f["bypassed"] else "error"))
            else:
                found.append(Finding(f"24G, line {where[f['code']]}", f"MUE: {f['message']}"))
    return found
