"""HCPCS Level II: the CMS code set for supplies, drugs, DME, ambulance and services CPT lacks.

The table (``data/hcpcs/hcpcs.csv``) is an extract of the CMS Alpha-Numeric HCPCS file of
January 2026 with the CMS long descriptors, checked again against the October 2026 update; see
its SOURCE.md for the releases and the checks. A code is *valid* here when it is in that table:
any other string -- a CPT code, a typo, a code from another set, a code CMS discontinued before
2026 -- is not. A code CMS discontinued during 2026 stays in the table, marked in column
``october_2026``, so it is valid (older claims carry it) but not *current*.

Drug (J) codes are billed in units of the dose in their descriptor ("per 15 mg", "up to 50 mg",
"1 mg"); :func:`units` turns a dose given into the units to report.
"""
from __future__ import annotations

import math
import re

from medcode import checks, tables
from medcode.rules import say

__all__ = ["SECTIONS", "codes", "describe", "is_valid", "is_current", "section", "search",
           "unit_dose", "units", "answer_feedback"]

# Section headings of the CMS Level II file, by first letter.
SECTIONS = {
    "A": "Transportation services, including ambulance, medical and surgical supplies",
    "B": "Enteral and parenteral therapy",
    "C": "Outpatient prospective payment system (hospital outpatient)",
    "D": "Dental procedures",
    "E": "Durable medical equipment",
    "G": "Procedures and professional services (temporary)",
    "H": "Behavioral health and substance use treatment services",
    "J": "Drugs administered other than oral method",
    "K": "Durable medical equipment for Medicare administrative contractors (temporary)",
    "L": "Orthotic and prosthetic procedures and devices",
    "M": "Medical services",
    "P": "Pathology and laboratory services",
    "Q": "Miscellaneous services (temporary)",
    "R": "Diagnostic radiology services",
    "S": "Temporary national codes (non-Medicare)",
    "T": "National codes established for state Medicaid agencies",
    "U": "Coronavirus laboratory tests",
    "V": "Vision, hearing and speech-language pathology services",
}


_TABLE = tables.CodeTable("hcpcs/hcpcs.csv", "code", "a HCPCS Level II code")


def codes() -> list[str]:
    """Every HCPCS Level II code in the course's table, sorted."""
    return _TABLE.codes()


def is_valid(code) -> bool:
    """True when ``code`` (any case, spaces ignored) is a Level II code in the CMS table."""
    return code in _TABLE


def is_current(code) -> bool:
    """True when a claim today may carry the code: listed with no termination date in the CMS
    HCPCS 2026 January file (column ``in_hcpcs_2026``) and not discontinued by the October 2026
    update (column ``october_2026``)."""
    row = _TABLE.get(code)
    return bool(row and row["in_hcpcs_2026"] == "yes" and row["october_2026"] != "terminated")


def describe(code) -> str:
    """The CMS descriptor of a code; KeyError with a plain message if it is not in the table."""
    return _TABLE.row(code)["description"]


def section(code) -> str:
    """The Level II section a code's first letter places it in (e.g. J: drugs)."""
    letter = tables.fold(code)[:1]
    if letter not in SECTIONS:
        raise KeyError(f"{code!r} does not start with a HCPCS Level II section letter (A-V)")
    return SECTIONS[letter]


def search(text: str) -> list[tuple[str, str]]:
    """Codes whose descriptor contains every word of ``text`` (any order, any case)."""
    words = checks.normalize_text(text).split()
    return [(c, row["description"]) for c, row in sorted(_TABLE.rows().items())
            if all(w in checks.normalize_text(row["description"]) for w in words)]


_DOSE = re.compile(r"(?:per|up to|,)\s*([\d,.]+)\s*(mg|mcg|microgram|micrograms|gm|g|gram|grams|"
                   r"units|unit|ml|cc|iu|meq)\b", re.I)
_TO_MG = {"mg": 1.0, "mcg": 0.001, "microgram": 0.001, "micrograms": 0.001,
          "g": 1000.0, "gm": 1000.0, "gram": 1000.0, "grams": 1000.0}


def unit_dose(code) -> tuple[float, str] | None:
    """The dose one billing unit stands for, from the descriptor: J1885 -> (15.0, "mg")."""
    match = _DOSE.search(describe(code))
    if not match:
        return None
    return float(match.group(1).replace(",", "")), match.group(2).lower()


def _same_unit(amount: float, unit: str, wanted: str) -> float:
    unit, wanted = unit.lower(), wanted.lower()
    if unit == wanted:
        return amount
    if unit in _TO_MG and wanted in _TO_MG:
        return amount * _TO_MG[unit] / _TO_MG[wanted]
    raise ValueError(f"cannot convert {unit} to {wanted}")


def units(code, dose: float, unit: str) -> int:
    """Units to report for ``dose`` ``unit`` of a drug code: the dose divided by the descriptor's
    amount, rounded **up** (a partial unit is billed as a whole unit).

    >>> units("J1885", 60, "mg")   # ketorolac, per 15 mg
    4
    """
    per = unit_dose(code)
    if per is None:
        raise ValueError(f"{code} has no dose in its descriptor: {describe(code)}")
    given = _same_unit(dose, unit, per[1])
    return max(1, math.ceil(round(given / per[0], 6)))


def answer_feedback(answer, key) -> str | None:
    """Why ``answer`` is not the HCPCS code ``key``, from the code set, without naming the key.

    Called by :func:`medcode.checks.expect_code` (system="hcpcs") when a student's code is wrong;
    the message opens with its rule's label (:mod:`medcode.rules`).
    """
    got = tables.fold(answer)
    if not got:
        return None
    if got.isdigit():
        return say("code_set", f"{got} is a CPT (Level I) code; this item asks for a HCPCS Level "
                   "II code, a letter followed by four digits.")
    if got not in _TABLE:
        return say("not_a_code", f"{got} is not a HCPCS Level II code in the course's CMS table. "
                   "Look the item up in the Level II index, then confirm the code in the tabular "
                   "list.")
    want = tables.fold(key)
    if got[:1] != want[:1]:
        return say("section", f"{got} is in section {got[0]} ({SECTIONS[got[0]].lower()}); the "
                   "item described is coded from a different section.")
    return say("descriptor", f"{got} is the right section but a different item: it reads "
               f"\"{describe(got)}\". {_words_to_check(got, want)}")


def _words_to_check(got: str, want: str) -> str:
    """Point at the words of the student's descriptor that the key's descriptor lacks."""
    words = lambda code: set(re.findall(r"[a-z0-9]+", describe(code).lower()))  # noqa: E731
    own = sorted(words(got) - words(want))
    if 0 < len(own) <= 4:
        return (f"Check {', '.join(repr(w) for w in own)} against the record: "
                "that is where this descriptor differs.")
    return "Compare every word of the descriptor with the record."
