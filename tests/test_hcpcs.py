"""The HCPCS Level II table: every code of the CMS January 2026 file, dated where CMS's files say.

medcode/data/hcpcs/SOURCE.md says what each column was read from; these tests keep the table
whole (the CMS file's count by section, every descriptor) and honest (every status backed by a
row of reviewed.csv or by the file itself), and check ``is_valid(code, on=)`` across 2026.
"""
import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from medcode import hcpcs
from medcode.data.hcpcs import build

DATA = Path(__file__).resolve().parents[1] / "medcode" / "data" / "hcpcs"


def _rows(name="hcpcs.csv") -> list[dict]:
    with (DATA / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


# Level II codes per section letter in CMS's HCPC2026_JAN_ANWEB_01122026.txt, as counted in
# the copy read (SOURCE.md), plus the October 2026 additions (J1957, J1958, L1972).
JANUARY_FILE = {"A": 849, "B": 51, "C": 606, "E": 671, "G": 1992, "H": 94, "J": 1209, "K": 175,
                "L": 938, "M": 502, "N": 0, "P": 59, "Q": 610, "R": 3, "S": 533, "T": 114,
                "U": 5, "V": 212}


def test_the_table_holds_every_level_ii_code_of_the_cms_january_2026_file():
    rows = _rows()
    counts = Counter(r["code"][0] for r in rows if r["effective_date"] != "2026-10-01")
    assert sum(counts.values()) == 8623
    assert {letter: counts.get(letter, 0) for letter in JANUARY_FILE} == JANUARY_FILE


def test_codes_are_unique_level_ii_codes_with_descriptors():
    rows = _rows()
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes))
    assert [c for c in codes if not re.fullmatch(r"[A-V]\d{4}", c)] == []
    assert [r["code"] for r in rows if not r["description"].strip()] == []


def test_every_dated_status_is_backed_by_what_was_read():
    reviewed = {r["code"]: r for r in _rows("reviewed.csv")}
    for row in _rows():
        assert row["status"] in {"live", "terminated", "listed"}
        if row["status"] != "listed" or row["term_date"] or row["effective_date"]:
            assert row["code"] in reviewed, row["code"]
            assert row["term_date"] == reviewed[row["code"]]["term_date"]
        assert (row["status"] == "terminated") == bool(row["term_date"])


def test_the_build_reproduces_the_table_from_the_reviewed_facts(tmp_path):
    # the derived CSV is not shipped; rebuild from the table's own descriptors instead
    source = tmp_path / "hcpcs_codes.csv"
    with source.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["HCPCS_CODE", "SHORT_DESCRIPTION", "LONG_DESCRIPTION"])
        for row in _rows():
            if row["effective_date"] != "2026-10-01":
                writer.writerow([row["code"], row["short_description"], row["description"]])
    build.main(["--csv", str(source), "--out", str(tmp_path)])
    assert (tmp_path / "hcpcs.csv").read_text() == (DATA / "hcpcs.csv").read_text()


def test_the_fixed_width_reader_takes_descriptors_dates_and_continuations(tmp_path):
    def record(code, seq, rid, long, short="", term=""):
        line = f"{code:<5}{seq:05d}{rid}{long:<80}{short:<28}"
        return line.ljust(284) + f"{term:<8}" + "N"
    anweb = tmp_path / "anweb.txt"
    anweb.write_text("\n".join([
        record("E0601", 100, "3", "Continuous positive airway pressure (cpap) device", "Cont airway"),
        record("J1030", 100, "3", "Injection, methylprednisolone acetate, 40 mg", "Methylpred",
               "20240331"),
        record("B4152", 100, "3", "Enteral formula, category i: semi-synthetic intact proteins/"),
        record("B4152", 200, "4", "protein isolates, 100 calories = 1 unit"),
        record("AA", 100, "7", "Anesthesia services performed personally by anesthesiologist"),
    ]), encoding="latin-1")
    codes = build.read_anweb(anweb)
    assert set(codes) == {"E0601", "J1030", "B4152"}
    assert codes["J1030"]["term_date"] == "2024-03-31" and codes["J1030"]["status"] == "terminated"
    assert codes["E0601"]["status"] == "live" and codes["E0601"]["short_description"] == "Cont airway"
    assert codes["B4152"]["description"].endswith("isolates, 100 calories = 1 unit")


@pytest.mark.parametrize("code", ["E0601", "E0130", "J2405", "A0428", "K0001", "L3000", "G0439"])
def test_common_codes_outside_the_old_extract_are_valid(code):
    assert hcpcs.is_valid(code)


def test_a_code_discontinued_in_october_2026_is_valid_until_then():
    # J1953 (levetiracetam, 10 mg) carries action code D in the October 2026 file.
    assert hcpcs.is_valid("J1953")
    assert hcpcs.is_valid("J1953", on="2026-09-30")
    assert not hcpcs.is_valid("J1953", on="2026-10-01")
    assert not hcpcs.is_current("J1953")
    assert hcpcs.is_current("J1885")


def test_a_code_added_in_october_2026_is_valid_from_then():
    assert not hcpcs.is_valid("J1957", on="09/30/2026")
    assert hcpcs.is_valid("J1957", on="10/01/2026")
    assert hcpcs.is_valid("J1957") and hcpcs.is_current("J1957")


@pytest.mark.parametrize("gone,successor", [
    ("J1030", "J1010"), ("J2930", "J2919"), ("J1170", "J1171"), ("J2310", "J2312"),
    ("J3370", "J3373"), ("J0135", "J0139"),
])
def test_codes_discontinued_before_2026_give_way_to_their_successor(gone, successor):
    assert not hcpcs.is_valid(gone)
    assert hcpcs.is_current(successor)


@pytest.mark.parametrize("code", ["G0106", "G0120", "G0122", "G0154", "G0173", "J0610", "C1300",
                                  "J0172", "J7309"])
def test_codes_terminated_on_file_are_not_valid_in_2026(code):
    assert not hcpcs.is_valid(code)
    assert code not in hcpcs.codes()


def test_codes_lists_the_codes_valid_on_a_date():
    assert "J1953" in hcpcs.codes(on="2026-06-01") and "J1953" not in hcpcs.codes(on="2026-11-01")
    assert "J1957" not in hcpcs.codes(on="2026-06-01") and "J1957" in hcpcs.codes(on="2026-11-01")
    assert len(hcpcs.codes()) > 8000


@pytest.mark.parametrize("bad", [None, "", 5, "E060", "99213", "E0601X", ["E0601"], "ZZ999"])
def test_bad_codes_are_not_valid(bad):
    assert hcpcs.is_valid(bad) is False


@pytest.mark.parametrize("on", ["2025-12-31", "2027-01-01", "13/45/2026", "soon", 2026])
def test_a_date_of_service_the_table_cannot_judge_raises_a_plain_error(on):
    with pytest.raises(ValueError, match="2026|date of service"):
        hcpcs.is_valid("E0601", on=on)


@pytest.mark.parametrize("words,code", [("cpap", "E0601"), ("walker", "E0130"),
                                        ("ondansetron injection", "J2405"),
                                        ("ketorolac", "J1885"), ("crutch wood", "E0113"),
                                        ("ambulance basic life support", "A0428")])
def test_search_finds_a_students_words(words, code):
    assert code in dict(hcpcs.search(words)[:5])


@pytest.mark.parametrize("bad", [None, "", "   ", 5])
def test_search_with_no_words_finds_nothing(bad):
    assert hcpcs.search(bad) == []


def test_search_leaves_out_codes_terminated_before_2026():
    assert "J1030" not in dict(hcpcs.search("methylprednisolone acetate"))


def test_descriptors_carry_the_2026_wording():
    assert hcpcs.describe("G0444") == "Annual depression screening, 5 to 15 minutes"
    assert hcpcs.describe("A4344") == ("Indwelling catheter, foley type, two-way, all silicone "
                                       "or polyurethane, each")
    assert hcpcs.unit_dose("J0131") == (10.0, "mg")
