"""CPT code numbers: format, category, section, and the course's own-words summaries.

CPT is (c) American Medical Association. The course uses code numbers with summaries written
in its own words (``data/cpt/cpt.csv``); it never reproduces AMA descriptors. Every number in
the table was read in the CMS CY 2026 physician fee schedule file, which also gives each code's
global surgical period.

A CPT code is five characters. Category I codes are five digits, in six sections by number
range; Category II (performance measurement) codes end in F; Category III (emerging
technology) codes end in T; proprietary laboratory analyses end in U.
"""
from __future__ import annotations

import re

from medcode import normalize, tables
from medcode.rules import say

__all__ = ["AMA_NOTICE", "SECTIONS", "is_valid_format", "is_valid", "codes", "category",
           "section", "summary", "subsection", "global_days", "is_add_on", "search",
           "answer_feedback"]

AMA_NOTICE = ("CPT codes, descriptions and other data only are copyright American Medical "
              "Association. All rights reserved. CPT is a registered trademark of the AMA. "
              "This course shows code numbers with summaries in its own words.")

# Category I sections by code range (first and last code of each range, inclusive).
SECTIONS = [
    ("00100", "01999", "Anesthesia"),
    ("10004", "69990", "Surgery"),
    ("70010", "79999", "Radiology"),
    ("80047", "89398", "Pathology and Laboratory"),
    ("90281", "99199", "Medicine"),
    ("99202", "99499", "Evaluation and Management"),
    ("99500", "99607", "Medicine"),
]

GLOBAL_MEANING = {
    "000": "0-day global: the procedure day only",
    "010": "10-day global: the procedure day and 10 days after",
    "090": "90-day global: the day before, the procedure day and 90 days after (major surgery)",
    "XXX": "global surgery concept does not apply",
    "YYY": "the Medicare contractor sets the global period",
    "ZZZ": "add-on code: included in the global period of its primary procedure",
    "MMM": "maternity code: the usual global concept does not apply",
}

_FORMAT = re.compile(r"^(\d{5}|\d{4}[FTU])$")


_TABLE = tables.CodeTable("cpt/cpt.csv", "code", "a CPT code")


def is_valid_format(code) -> bool:
    """True when ``code`` has CPT's shape: five digits, or four digits and F, T or U."""
    return bool(_FORMAT.match(tables.fold(code)))


def is_valid(code) -> bool:
    """True when ``code`` is one of the course's CPT codes (all read in the CMS 2026 file)."""
    return code in _TABLE


def codes() -> list[str]:
    """Every CPT code number in the course's table, sorted."""
    return _TABLE.codes()


def category(code) -> str:
    """"I", "II" (ends in F), "III" (ends in T) or "PLA" (ends in U), from the format."""
    key = tables.fold(code)
    if not is_valid_format(key):
        raise ValueError(f"{code!r} is not shaped like a CPT code (five digits, or four and F/T/U)")
    return {"F": "II", "T": "III", "U": "PLA"}.get(key[-1], "I")


def section(code) -> str:
    """The Category I section a code's number falls in, or its category name otherwise."""
    key = tables.fold(code)
    kind = category(key)
    if kind != "I":
        return {"II": "Category II", "III": "Category III", "PLA": "Proprietary Laboratory Analyses"}[kind]
    for first, last, name in SECTIONS:
        if first <= key <= last:
            return name
    raise ValueError(f"{code!r} is outside every Category I section range")


def summary(code) -> str:
    """The course's own-words summary of a code (not the AMA descriptor)."""
    return _TABLE.row(code)["summary"]


def subsection(code) -> str:
    """The subsection or body-system heading the course files a code under."""
    return _TABLE.row(code)["subsection"]


def global_days(code) -> str:
    """The Medicare global surgical period code (000, 010, 090, XXX, YYY, ZZZ) from CMS."""
    return _TABLE.row(code)["global_days"]


def is_add_on(code) -> bool:
    """True for add-on codes: reported only with a primary code (global period ZZZ)."""
    return global_days(code) == "ZZZ"


def search(text: str) -> list[tuple[str, str]]:
    """Codes whose summary or subsection contains every word of ``text``."""
    words = normalize.normalize_text(text).split()
    hits = []
    for code, row in sorted(_TABLE.rows().items()):
        haystack = normalize.normalize_text(f"{row['summary']} {row['subsection']}")
        if all(w in haystack for w in words):
            hits.append((code, row["summary"]))
    return hits


_NEW = {"99202", "99203", "99204", "99205"}
_ESTABLISHED = {"99211", "99212", "99213", "99214", "99215"}


def answer_feedback(answer, key) -> str | None:
    """Why ``answer`` is not the CPT code ``key``, computed from the code set, never naming the key.

    Called by :func:`medcode.checks.expect_code` (system="cpt"); the message opens with its
    rule's label (:mod:`medcode.rules`).
    """
    got, want = tables.fold(answer), tables.fold(key)
    if not got or got == want:
        return None
    if not is_valid_format(got):
        if re.match(r"^[A-V][0-9]{4}$", got):
            return say("code_set", f"{got} is a HCPCS Level II code (a letter and four digits); "
                       "this service is reported with a CPT code, five characters.")
        return say("not_a_code", "A CPT code is five characters: five digits, or four digits "
                   "and F, T or U.")
    if category(got) != category(want):
        return say("code_set", f"{got} is a Category {category(got)} code; this service is "
                   f"reported with a Category {category(want)} code.")
    if section(got) != section(want):
        return say("section", f"{got} is in the {section(got)} section; the service described "
                   "is in a different section of CPT.")
    if {got, want} <= _NEW | _ESTABLISHED:
        return _office_visit(got, want)
    if got in _TABLE:
        return say("descriptor", f"{got} is the right section, but it means: {summary(got)}. "
                   "Compare that with what the record documents.")
    return say("code_choice", f"{got} is not one of the codes in the course's CPT list; look it "
               "up again.")


def _office_visit(got: str, want: str) -> str:
    """An office visit code of the wrong patient status or the wrong level."""
    if (got in _NEW) != (want in _NEW):
        return say("patient_status", "New and established patients have different office visit "
                   "codes: a patient is established after any professional service from the "
                   "same physician, or one of the same specialty in the same group, within the "
                   "past three years.")
    return say("em_level", f"{got} is the right kind of visit at a different level: level it by "
               "medical decision making (problems, data, risk) or by total time on the date, "
               "and report whichever supports the higher level.")
