"""Module 2's answer keys agree with the terminology engine and with the note they ask about.

The hidden tests hold literal keys, as grading needs; this test reads them back out of the
source notebooks and recomputes each from ``medcode.terminology`` and the note's own text, so a
key cannot drift away from the data it teaches. (ICD-10-CM keys are checked course-wide in
tests/test_answer_keys.py.)
"""
import ast
import re
from pathlib import Path

import nbformat
import pytest

from medcode import terminology

FOLDER = Path(__file__).resolve().parent.parent / "notebooks" / "m2_terminology"


def _cells(name):
    return {c.metadata["nbgrader"]["grade_id"]: c.source
            for c in nbformat.read(FOLDER / name, as_version=4).cells
            if "grade_id" in c.metadata.get("nbgrader", {})}


def _all_tests():
    for path in sorted(FOLDER.glob("*.ipynb")):
        for grade_id, source in _cells(path.name).items():
            if grade_id.endswith("_test"):
                hidden = source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
                yield path.name, grade_id[:-len("_test")], ast.parse(hidden.strip()).body[0].value


def _calls(function):
    """(notebook, item, call) for each hidden test that calls checks.<function>."""
    return [(nb, item, call) for nb, item, call in _all_tests()
            if isinstance(call.func, ast.Attribute) and call.func.attr == function]


def _solution(name, item):
    """The value the source notebook's solution assigns to ``item``."""
    namespace = {}
    source = _cells(name)[f"{item}_answer"].replace("### BEGIN SOLUTION", "").replace(
        "### END SOLUTION", "")
    exec(compile(source, item, "exec"), namespace)
    return namespace[item]


TERM_ITEMS = [(nb, item, call) for nb, item, call in _calls("expect_text")
              if "term_feedback" in ast.unparse(call)]


def test_module_2_has_at_least_40_autograded_points_and_several_term_items():
    points = 0.0
    for path in FOLDER.glob("*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade") and not meta.get("solution"):
                points += float(meta["points"])
    assert points >= 40
    assert len(TERM_ITEMS) >= 6


@pytest.mark.parametrize("nb,item,call", TERM_ITEMS, ids=[i for _, i, _ in TERM_ITEMS])
def test_each_term_key_is_built_from_course_word_parts(nb, item, call):
    key = ast.literal_eval(call.args[1])
    feedback_key = ast.literal_eval(call.keywords[0].value.args[1])
    assert key == feedback_key == _solution(nb, item)
    parts = terminology.decompose(key)
    assert terminology.build(parts) == key


SPLIT_ITEMS = _calls("expect_split")


@pytest.mark.parametrize("nb,item,call", SPLIT_ITEMS, ids=[i for _, i, _ in SPLIT_ITEMS])
def test_each_split_key_is_the_engines_split(nb, item, call):
    term = ast.literal_eval(call.args[1])
    solution = _solution(nb, item)
    assert terminology.same_split(solution, term)
    assert solution == [p.form for p in terminology.decompose(term)]


def test_body_system_keys_are_the_systems_of_the_terms_combining_forms():
    key = _solution("02_body_systems_and_anatomy.ipynb", "q5_systems")
    for term, system in key.items():
        organs = [p for p in terminology.decompose(term)
                  if p.kind == "root" and p.system != "general"]
        assert organs and all(p.system == system for p in organs), term


def test_suffix_groups_key_uses_suffixes_in_the_course_list():
    key = _solution("03_disease_and_procedure_terms.ipynb", "q5_groups")
    assert set(key.values()) == {"disease", "diagnostic", "surgical"}
    for suffix in key:
        assert terminology.lookup(suffix)[0].kind == "suffix"


# --------------------------------------------------------------------------- the note

NOTE_NB = "04_reading_a_physician_note.ipynb"


def _note() -> str:
    cells = nbformat.read(FOLDER / NOTE_NB, as_version=4).cells
    text = next(c.source for c in cells if "SYNTHETIC TRAINING RECORD" in c.source)
    return text.split("```text")[1].split("```")[0]


def _note_words() -> set[str]:
    return set(re.findall(r"[A-Za-z][A-Za-z0-9/]*", _note()))


def test_the_note_is_obviously_synthetic():
    note = _note()
    assert "Testpatient" in note and "SYNTHETIC" in note and "Example" in note


def test_do_not_use_key_is_every_flagged_abbreviation_in_the_note():
    flagged = set()
    for word in _note_words():
        try:
            if terminology.abbreviation(word).do_not_use:
                flagged.add(word)
        except terminology.UnknownPart:
            continue
    assert flagged == set(_solution(NOTE_NB, "q2_do_not_use"))


def test_gallbladder_key_is_every_note_term_built_on_chol_forms():
    wanted = set()
    for word in _note_words():
        try:
            forms = {p.form for p in terminology.decompose(word)}
        except terminology.UnknownTerm:
            continue
        if forms & {"chol/e", "cholecyst/o"}:
            wanted.add(word.lower())
    assert wanted == set(_solution(NOTE_NB, "q1_gallbladder"))


def test_the_replacement_for_qd_is_the_joint_commission_wording():
    assert "daily" in terminology.abbreviation("qd").use_instead
    assert _solution(NOTE_NB, "q3_instead") == "daily"
