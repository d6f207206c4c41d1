"""The ICD-10-CM engine gives simple_icd_10_cm's answers on every code, fast and without crashing."""
import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import simple_icd_10_cm as sicd

from medcode import checks, icd10cm

pytestmark = pytest.mark.xdist_group("icd10cm")
ROOT = Path(__file__).resolve().parents[1]
SICD_DATA = Path(sicd.__file__).parent / "data"


@pytest.fixture(scope="module")
def every_item():
    return sicd.get_all_codes()


def test_same_answers_as_simple_icd_10_cm_on_every_code(every_item):
    codes = [c for c in every_item if sicd.is_category_or_subcategory(c)]
    assert len(codes) > 90_000
    for code in codes:
        assert icd10cm.is_valid(code), code
        assert icd10cm.is_billable(code) == sicd.is_leaf(code), code
        assert icd10cm.describe(code) == sicd.get_description(code), code
        assert icd10cm.parent(code) == sicd.get_parent(code), code
        assert icd10cm.children(code) == sicd.get_children(code), code


def test_chapters_and_blocks_are_headings_not_codes(every_item):
    headings = [c for c in every_item if sicd.is_chapter(c) or
                (sicd.is_block(c) and not sicd.is_category(c))]
    assert len(headings) > 250
    for heading in headings:
        assert not icd10cm.is_valid(heading) and not icd10cm.is_billable(heading), heading
        assert icd10cm.describe(heading) == sicd.get_description(heading), heading
        assert icd10cm.children(heading) == sicd.get_children(heading), heading
        assert icd10cm.parent(heading) == (sicd.get_parent(heading) or None), heading


def test_the_engine_has_no_code_simple_icd_10_cm_lacks(every_item):
    assert set(icd10cm._data().names) == set(every_item)


def test_notes_match_the_tabular_list_with_inherited_7th_characters(every_item):
    inherited = {"code_first": sicd.get_code_first, "use_additional_code": sicd.get_use_additional_code,
                 "code_also": sicd.get_code_also, "notes": sicd.get_notes,
                 "seventh_character_note": sicd.get_seven_chr_note}
    own = {"excludes1": sicd.get_excludes1, "excludes2": sicd.get_excludes2,
           "includes": sicd.get_includes, "inclusion_terms": sicd.get_inclusion_term}
    for code in every_item[::7]:
        found = icd10cm.notes(code)
        for name, get in inherited.items():
            text = get(code, search_in_ancestors=True)
            assert found.get(name, []) == (text.split("\n") if text else []), (code, name)
        for name, get in own.items():
            assert found.get(name, []) == get(code), (code, name)
        assert found.get("seventh_characters", {}) == sicd.get_seven_chr_def(code, True), code


@pytest.mark.parametrize("code,billable", [
    ("S52.521A", True), ("S52.521", False), ("T36.0X1A", True), ("T36.01A", False),
    ("W19.XXXA", True), ("W19", False), ("E11.9", True), ("E11", False), ("I10", True)])
def test_seventh_characters_and_placeholders(code, billable):
    assert icd10cm.is_billable(code) is billable


def test_explain_names_the_missing_piece():
    assert "7th character" in icd10cm.explain("S52.521")
    assert "A = initial encounter for closed fracture" in icd10cm.explain("S52.521")
    assert "placeholder X" in icd10cm.explain("T36.01A")
    assert "placeholder X" in icd10cm.explain("W19A")
    assert "placeholder X" in icd10cm.explain("W19")
    assert "is a category" in icd10cm.explain("E11") and "E11.9" in icd10cm.explain("E11")
    assert "not a 7th character" in icd10cm.explain("S52.521Z")
    assert "is a block" in icd10cm.explain("E08-E13")
    assert "is a billable" in icd10cm.explain("e11.9")
    assert "Category E11" in icd10cm.explain("E11.99")


@pytest.mark.parametrize("spelling", ["E11.9", "e11.9", "E119", " E11.9 ", "e 11.9", "E11 .9"])
def test_any_case_with_or_without_dot_and_spaces(spelling):
    assert icd10cm.is_billable(spelling)
    assert icd10cm.describe(spelling) == "Type 2 diabetes mellitus without complications"
    assert icd10cm.parent(spelling) == "E11"


@pytest.mark.parametrize("bad", [None, "", "   ", 5, 3.2, ["E11.9"], "garbage!!", "E", "Z" * 200,
                                 b"E11.9", "-", "\x00"])
def test_bad_input_never_crashes(bad):
    assert icd10cm.is_valid(bad) is False
    assert icd10cm.is_billable(bad) is False
    assert icd10cm.children(bad) == [] and icd10cm.parent(bad) is None
    assert icd10cm.notes(bad) == {}
    assert isinstance(icd10cm.explain(bad), str)
    assert isinstance(icd10cm.search(bad), list)
    with pytest.raises(ValueError, match="not"):
        icd10cm.describe(bad)


def test_search_finds_common_words_and_inclusion_terms():
    assert "I10" in [code for code, _ in icd10cm.search("high blood pressure", limit=3)]
    assert icd10cm.search("Type 2 diabetes with chronic kidney disease")[0][0] == "E11.22"
    assert len(icd10cm.search("fracture", limit=4)) == 4
    assert icd10cm.search("") == [] and icd10cm.search("qqqzzz") == []
    assert icd10cm.search("asthma", limit=0) == []


def test_version_is_the_pinned_release():
    assert icd10cm.version == "ICD-10-CM FY2026, April 1, 2026 update"


def test_a_release_rebuilt_from_cdc_files_is_identical_and_loadable(tmp_path):
    """The instructor's route to a newer release, exercised on the pinned release's own files."""
    build = ROOT / "medcode" / "data" / "icd10cm" / "build.py"
    subprocess.run([sys.executable, str(build), "--tabular",
                    str(SICD_DATA / "icd10c-tabular-April-1-2026.xml"),
                    "--codes", str(SICD_DATA / "code-list-April-2026.txt"),
                    "--label", "Test release", "--out", str(tmp_path)], check=True)
    pinned = icd10cm.PINNED
    body = lambda folder: (folder / "codes.txt").read_text().split("\n", 1)[1]
    assert body(tmp_path) == body(pinned)
    read = lambda folder: json.loads(gzip.decompress((folder / "text.json.gz").read_bytes()))
    assert read(tmp_path) == read(pinned)
    try:
        assert icd10cm.load_release(tmp_path) == "Test release"
        assert icd10cm.version == "Test release" and icd10cm.is_billable("S52.521A")
    finally:
        icd10cm.load_release()
    assert icd10cm.version.startswith("ICD-10-CM FY2026")


def test_engine_runs_without_simple_icd_10_cm_and_honours_the_data_variable():
    script = ("import sys; from medcode import icd10cm; "
              "assert icd10cm.is_billable('E11.9') and icd10cm.describe('I10'); "
              "icd10cm.search('asthma'); icd10cm.notes('S52.521A'); "
              "assert 'simple_icd_10_cm' not in sys.modules; print(icd10cm.version)")
    env = dict(os.environ, MEDCODE_ICD10CM_DATA=str(icd10cm.PINNED))
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == icd10cm.version


# --------------------------------------------------------------------------- graded feedback

FEEDBACK = [  # (answer, key, words the message must use)
    ("S52.521", "S52.521A", "7th character"),
    ("T36.01A", "T36.0X1A", "placeholder X"),
    ("E11", "E11.9", "is a category"),
    ("I10", "E11.9", "Chapter 9"),
    ("E10.9", "E11.9", "wrong category"),
    ("S52.521D", "S52.521A", "7th character"),
    ("S52.522A", "S52.521A", "Laterality:"),
    ("S52.529A", "S52.521A", "Laterality:"),
    ("M79.609", "M79.604", "unspecified"),
    ("E11.65", "E11.9", "Right category"),
    ("E11.99", "E11.9", "not an ICD-10-CM code"),
    ("hello", "E11.9", "not an ICD-10-CM code"),
    (None, "E11.9", "not an ICD-10-CM code"),
    ("E08-E13", "E11.9", "heading"),
]


@pytest.mark.parametrize("answer,key,rule", FEEDBACK)
def test_answer_feedback_names_the_rule_without_the_key(answer, key, rule):
    message = icd10cm.answer_feedback(answer, key)
    assert rule in message
    words = {checks.normalize_code(w) for w in re.findall(r"[\w.]+", message)}
    assert checks.normalize_code(key) not in words


def test_answer_feedback_reaches_students_through_checks():
    with pytest.raises(checks.AnswerProblem, match="7th character") as failure:
        checks.expect_code("S52.521", "S52.521A", system="icd10cm")
    assert "S52.521A" not in str(failure.value)
    with pytest.raises(checks.AnswerProblem, match="placeholder X"):
        checks.expect_codes(["T36.01A", "Y92.009"], ["T36.0X1A", "Y92.009"], system="icd10cm")


def test_answer_feedback_says_nothing_for_a_right_answer_or_a_broken_key():
    assert icd10cm.answer_feedback("e119", "E11.9") is None
    assert icd10cm.answer_feedback("E11.9", "not a code") is None
