"""Guards on the course's own-words CPT summaries and CPT-modifier descriptions.

CPT descriptors are AMA text; the course may show code numbers with its own short summaries
only. These checks catch the tell-tale marks of a pasted descriptor (the AMA's "and/or", its
"(eg, ...)" example lists, semicolon-chained qualifiers, "each additional" add-on phrasing and
long qualifier strings) on every row, so a future copy-paste fails the build.
"""
import csv
import re
from pathlib import Path

import pytest

from medcode import cpt, modifiers

DATA = Path(__file__).resolve().parents[1] / "medcode" / "data"
CPT_ROWS = list(csv.DictReader((DATA / "cpt" / "cpt.csv").open(newline="")))
CPT_MODIFIER_ROWS = [row for row in csv.DictReader((DATA / "modifiers" / "modifiers.csv").open(newline=""))
                     if row["level"] == "CPT"]

# Descriptor conventions the course's own words never use.
DESCRIPTOR_MARKS = {
    "and/or": re.compile(r"\band\s*/\s*or\b", re.I),
    "an '(eg' or '(e.g.' example list": re.compile(r"\(\s*e\.?\s*g\b", re.I),
    "'each additional'": re.compile(r"\beach additional\b", re.I),
    "'first or only'": re.compile(r"\bfirst or only\b", re.I),
    "'including'": re.compile(r"\bincluding\b", re.I),
}
MAX_CHARS = 100


def _problems(text: str) -> list[str]:
    """Every reason ``text`` reads like a pasted descriptor rather than a course summary."""
    found = [name for name, pattern in DESCRIPTOR_MARKS.items() if pattern.search(text)]
    if len(text) > MAX_CHARS:
        found.append(f"{len(text)} characters (limit {MAX_CHARS})")
    if text.count(";") > 1:
        found.append("a chain of semicolon-separated qualifiers")
    return found


@pytest.mark.parametrize("text,expected", [
    ("Aspiration and/or injection, major joint (eg, knee)", ["and/or", "an '(eg' or '(e.g.' example list"]),
    ("Closed treatment; without manipulation; each additional", ["'each additional'",
                                                                 "a chain of semicolon-separated qualifiers"]),
    ("x" * 101, ["101 characters (limit 100)"]),
    ("Needle drainage or injection of a large joint such as knee or shoulder; no ultrasound", []),
])
def test_the_style_rules_catch_descriptor_marks(text, expected):
    assert _problems(text) == expected


def test_every_cpt_row_has_a_summary_in_course_style():
    assert len(CPT_ROWS) == len(cpt.codes()) >= 400
    bad = {row["code"]: _problems(row["summary"]) for row in CPT_ROWS}
    assert all(row["summary"].strip() for row in CPT_ROWS)
    assert {code: why for code, why in bad.items() if why} == {}


def test_summaries_tell_codes_apart():
    # Two codes with one summary would leave a student no way to choose between them.
    seen = {}
    for row in CPT_ROWS:
        seen.setdefault(row["summary"].casefold(), []).append(row["code"])
    assert [codes for codes in seen.values() if len(codes) > 1] == []


def test_add_on_codes_say_so_and_only_they_do():
    # CMS global period ZZZ marks an add-on; the summary must tell the student.
    for row in CPT_ROWS:
        assert ("add-on" in row["summary"]) == cpt.is_add_on(row["code"]), row["code"]


def test_cpt_modifier_descriptions_are_course_summaries():
    assert {row["modifier"] for row in CPT_MODIFIER_ROWS} >= {"25", "26", "50", "51", "59", "76", "77", "91"}
    for row in CPT_MODIFIER_ROWS:
        description = modifiers.describe(row["modifier"])
        assert description.endswith("(course summary)"), row["modifier"]
        assert _problems(description) == [], row["modifier"]


def test_modifier_rows_have_exactly_the_table_columns():
    # An unquoted comma would spill text into an unnamed column and cut when_to_use short.
    rows = csv.DictReader((DATA / "modifiers" / "modifiers.csv").open(newline=""))
    assert [row["modifier"] for row in rows if None in row] == []
