"""The HCPCS Level II table against its sources, the CMS HCPCS files of January and October 2026.

medcode/data/hcpcs/SOURCE.md says how each row was confirmed; these tests keep the table honest
when rows are added: every row confirmed live in January 2026 and read again in the October 2026
update, every descriptor present, issue #5's size.
"""
import csv
import re
from pathlib import Path

import pytest

from medcode import hcpcs

TABLE = Path(__file__).resolve().parents[1] / "medcode" / "data" / "hcpcs" / "hcpcs.csv"


def _rows() -> list[dict]:
    with TABLE.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_every_row_is_confirmed_in_the_2026_file_and_has_a_descriptor():
    rows = _rows()
    unconfirmed = [r["code"] for r in rows if r["in_hcpcs_2026"] != "yes"]
    undescribed = [r["code"] for r in rows if not (r["description"] or "").strip()]
    assert rows, "the HCPCS table is empty"
    assert not unconfirmed, f"rows not confirmed in the CMS HCPCS 2026 January file: {unconfirmed}"
    assert not undescribed, f"rows without a CMS descriptor: {undescribed}"


def test_codes_are_unique_level_ii_codes():
    codes = [r["code"] for r in _rows()]
    assert len(codes) == len(set(codes))
    assert [c for c in codes if not re.fullmatch(r"[A-V]\d{4}", c)] == []


def test_every_row_was_read_in_the_october_2026_update():
    statuses = {r["code"]: r["october_2026"] for r in _rows()}
    assert set(statuses.values()) <= {"live", "reworded", "terminated"}, (
        "october_2026 must say what the October 2026 file shows: live, reworded or terminated")


def test_table_keeps_issue_5_size_across_sections():
    codes = hcpcs.codes()
    assert len(codes) >= 300
    assert {c[0] for c in codes} >= set("ABCEGJKLQ")
    terminated = {r["code"] for r in _rows() if r["october_2026"] == "terminated"}
    assert [c for c in codes if not hcpcs.is_current(c)] == sorted(terminated)


def test_a_code_discontinued_in_october_2026_stays_valid_but_is_no_longer_current():
    # J1953 (levetiracetam, 10 mg) carries action code D in the October 2026 file.
    assert hcpcs.is_valid("J1953")
    assert not hcpcs.is_current("J1953")
    assert hcpcs.is_current("J1885")


@pytest.mark.parametrize("gone,successor", [
    ("J1030", "J1010"), ("J2930", "J2919"), ("J1170", "J1171"), ("J2310", "J2312"),
    ("J3370", "J3373"), ("J0135", "J0139"),
])
def test_codes_discontinued_before_2026_give_way_to_their_successor(gone, successor):
    assert not hcpcs.is_valid(gone)
    assert hcpcs.is_current(successor)


@pytest.mark.parametrize("code", ["G0106", "G0120", "G0122", "G0154", "G0173", "J0610"])
def test_codes_without_a_course_successor_are_gone(code):
    assert not hcpcs.is_valid(code)


def test_descriptors_carry_the_2026_wording():
    assert hcpcs.describe("G0444") == "Annual depression screening, 5 to 15 minutes"
    assert hcpcs.describe("A4344") == ("Indwelling catheter, foley type, two-way, all silicone "
                                       "or polyurethane, each")
    assert hcpcs.unit_dose("J0131") == (10.0, "mg")
