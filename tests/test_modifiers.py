"""The modifier table against its source, the CMS HCPCS file of January 2026.

medcode/data/modifiers/SOURCE.md says how each HCPCS modifier row was confirmed (listed in the
file, no termination date, long descriptor copied as CMS wrote it); these tests keep the table
honest when rows are added. The CPT rows are the course's own words (tests/test_cpt_wording.py).
"""
import csv
from pathlib import Path

import pytest

from medcode import modifiers

TABLE = Path(__file__).resolve().parents[1] / "medcode" / "data" / "modifiers" / "modifiers.csv"


def _rows(level: str) -> list[dict]:
    with TABLE.open(newline="", encoding="utf-8") as fh:
        return [row for row in csv.DictReader(fh) if row["level"] == level]


def test_every_hcpcs_modifier_is_confirmed_in_the_2026_file_and_has_a_descriptor():
    rows = _rows("HCPCS")
    unconfirmed = [r["modifier"] for r in rows if r["in_hcpcs_2026"] != "yes"]
    undescribed = [r["modifier"] for r in rows if not r["description"].strip()]
    assert len(rows) >= 40
    assert not unconfirmed, f"HCPCS modifiers not confirmed in the CMS 2026 January file: {unconfirmed}"
    assert not undescribed, f"HCPCS modifiers without a CMS descriptor: {undescribed}"


def test_cpt_modifiers_claim_no_hcpcs_confirmation():
    # The CMS file lists Level II modifiers only; a "yes" on a CPT row would be a false claim.
    rows = _rows("CPT")
    assert rows and [r["modifier"] for r in rows if r["in_hcpcs_2026"]] == []


def test_modifiers_are_unique_two_character_codes_of_the_right_level():
    codes = modifiers.modifiers()
    assert len(codes) == len(set(codes))
    assert [m for m in codes if len(m) != 2] == []
    assert {modifiers.level(m) for m in codes if m.isdigit()} == {"CPT"}
    assert {modifiers.level(m) for m in codes if not m.isdigit()} == {"HCPCS"}


def test_hcpcs_descriptors_are_cms_text_not_course_summaries():
    assert [r["modifier"] for r in _rows("HCPCS") if "course summary" in r["description"]] == []


@pytest.mark.parametrize("mod,descriptor", [
    ("GA", "Waiver of liability statement issued as required by payer policy, individual case"),
    ("RT", "Right side (used to identify procedures performed on the right side of the body)"),
    ("XU", "Unusual non-overlapping service, the use of a service that is distinct because it "
           "does not overlap usual components of the main service"),
    ("PT", "Colorectal cancer screening test; converted to diagnostic test or other procedure"),
])
def test_multi_line_descriptors_are_joined_as_cms_wrote_them(mod, descriptor):
    assert modifiers.describe(mod) == descriptor


def test_tc_carries_the_full_2026_long_descriptor_not_the_short_one():
    text = modifiers.describe("TC")
    assert text != "Technical component"
    assert text.startswith("Technical component; under certain circumstances")
    assert text.endswith("used to build customary and prevailing profiles")


def test_every_anatomic_modifier_the_engine_names_is_in_the_table():
    assert sorted(m for m in modifiers.ANATOMIC if not modifiers.is_valid(m)) == []
    assert modifiers.describe("RI") == "Ramus intermedius coronary artery"


def test_feedback_quotes_only_the_first_clause_of_a_long_descriptor():
    reason = modifiers.answer_feedback("TC", "26")
    assert reason == "Modifier: TC means: Technical component. That is not what this case calls for."
    assert "26" not in reason
