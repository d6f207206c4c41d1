"""HCPCS Level II: the CMS code set for supplies, drugs, DME, ambulance and services CPT lacks.

The table (``data/hcpcs/hcpcs.csv``) holds every Level II code of the CMS Alpha-Numeric HCPCS
file of January 2026 (8,623 codes, CMS long and short descriptors) and the codes the October
2026 update added; see its SOURCE.md for the releases, the copies read and what was checked.

A code is *valid* on a date of service when the table has it, it had taken effect and it had
not been discontinued. Termination dates are known for the codes listed in SOURCE.md (read in
CMS's files); the January file also carries some codes CMS discontinued years ago whose dates
were not read (status ``listed``), and those are still taken as valid -- SOURCE.md says so.

Drug (J) codes are billed in units of the dose in their descriptor ("per 15 mg", "up to 50 mg",
"1 mg"); :func:`units` turns a dose given into the units to report.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from functools import lru_cache

from medcode import checks, tables
from medcode.rules import say

__all__ = ["SECTIONS", "codes", "describe", "is_valid", "is_current", "status", "section", "search",
           "unit_dose", "units", "answer_feedback", "YEAR"]

YEAR = 2026   # the year of the CMS files loaded: dates of service in it can be checked

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
_FIRST, _LAST = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)


def _date_of_service(on) -> tuple[dt.date, dt.date]:
    """The span of dates ``on`` stands for: the whole year for None, else that one day."""
    if on is None:
        return _FIRST, _LAST
    if isinstance(on, dt.datetime):
        on = on.date()
    if isinstance(on, str):
        text = on.strip()
        for form in ("%Y-%m-%d", "%m/%d/%Y"):
            try:
                on = dt.datetime.strptime(text, form).date()
                break
            except ValueError:
                continue
    if not isinstance(on, dt.date):
        raise ValueError(f"{on!r} is not a date of service: write it as 'YYYY-MM-DD' or "
                         "'MM/DD/YYYY', for example '2026-03-15'.")
    if on.year != YEAR:
        raise ValueError(f"{on.isoformat()} is outside {YEAR}: the course loads the CMS HCPCS "
                         f"files of {YEAR}, so it can check dates of service in {YEAR} only.")
    return on, on


def _live(row: dict, first: dt.date, last: dt.date) -> bool:
    """True when the code was in effect on some day from ``first`` to ``last``."""
    start = row["effective_date"] and dt.date.fromisoformat(row["effective_date"])
    end = row["term_date"] and dt.date.fromisoformat(row["term_date"])
    return (not start or start <= last) and (not end or end >= first)


def is_valid(code, on=None) -> bool:
    """True when ``code`` (any case, spaces ignored) is a Level II code a claim may carry.

    ``on`` is the date of service (a ``date`` or 'YYYY-MM-DD' / 'MM/DD/YYYY' text); without
    it, any date of service in 2026. A date outside 2026 raises ValueError.
    """
    first, last = _date_of_service(on)
    row = _TABLE.get(code)
    return bool(row) and _live(row, first, last)


def status(code) -> str:
    """What is known of a code's dates: "live" (no termination date, read in CMS's file),
    "terminated" (its termination date read), "listed" (in the file; dates not read), or ""
    for a code the table does not have. See SOURCE.md."""
    row = _TABLE.get(code)
    return row["status"] if row else ""


def is_current(code) -> bool:
    """True when a claim may carry the code after the latest update loaded (October 2026)."""
    return is_valid(code, on=_LAST)


def codes(on=None) -> list[str]:
    """Every Level II code valid on ``on`` (default: on some 2026 date of service), sorted."""
    first, last = _date_of_service(on)
    return [code for code, row in sorted(_TABLE.rows().items()) if _live(row, first, last)]


def describe(code) -> str:
    """The CMS descriptor of a code; KeyError with a plain message if it is not in the table."""
    return _TABLE.row(code)["description"]


def section(code) -> str:
    """The Level II section a code's first letter places it in (e.g. J: drugs)."""
    letter = tables.fold(code)[:1]
    if letter not in SECTIONS:
        raise KeyError(f"{code!r} does not start with a HCPCS Level II section letter (A-V)")
    return SECTIONS[letter]


@lru_cache(maxsize=1)
def _searchable() -> tuple[tuple[str, str, str], ...]:
    """(code, descriptor, " word word ...") for every code valid in 2026, built once: a word
    typed is then found at the start of a descriptor word with one substring test."""
    return tuple((code, row["description"], " " + " ".join(_search_words(
        row["description"] + " " + row["short_description"])))
        for code, row in sorted(_TABLE.rows().items()) if _live(row, _FIRST, _LAST))


def _search_words(text: str) -> list[str]:
    words = checks.normalize_text(text).replace("-", " ").replace("/", " ").split()
    return [w.strip("(),.;:") for w in words]


def search(text, limit: int | None = None) -> list[tuple[str, str]]:
    """Codes valid in 2026 whose descriptor holds every word of ``text`` (any order, any case;
    a word matches the start of a descriptor word, so "walk" finds "walker"), those with the
    descriptors that begin with the first word typed first, then the shortest. Not text, or no words: an empty list."""
    if not isinstance(text, str):
        return []
    wanted = [w for w in _search_words(text) if w]
    if not wanted:
        return []
    found = [(code, desc) for code, desc, words in _searchable()
             if all(" " + want in words for want in wanted)]
    found.sort(key=lambda hit: (not _search_words(hit[1])[0].startswith(wanted[0]),
                                len(hit[1]), hit[0]))
    return found[:limit] if limit else found


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
    if not is_valid(got):
        return say("not_a_code", f"{got} is not a HCPCS Level II code a 2026 claim may carry (CMS "
                   "HCPCS files of 2026). Look the item up in the Level II index (hcpcs.search), "
                   "then confirm the code and its descriptor.")
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
