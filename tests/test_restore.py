"""Putting a student's answers back onto the released notebook, whatever they did to it."""
import copy

import nbformat
import pytest

from autograde import course, restore, submissions

NOTEBOOK = "01_working_in_a_notebook"


@pytest.fixture(scope="module")
def pair(released):
    folder = released("m0_orientation")
    release = nbformat.read(folder / f"{NOTEBOOK}.ipynb", as_version=4)
    source = nbformat.read(course.SOURCE / "m0_orientation" / f"{NOTEBOOK}.ipynb", as_version=4)
    return release, source


def _cell(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _answers(nb):
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
            if restore.is_answer(c)}


def test_an_untouched_correct_submission_comes_back_unchanged(pair):
    release, source = pair
    correct = submissions.fill(release, source)
    fixed = restore.restore(correct, release)
    assert _answers(fixed.notebook) == _answers(correct)
    assert [c.source for c in fixed.notebook.cells] == [c.source for c in correct.cells]
    assert fixed.repairs == []


def test_deleted_and_edited_test_cells_come_back_from_the_release(pair):
    release, source = pair
    work = submissions.fill(release, source)
    work.cells.remove(_cell(work, "ready_test"))
    _cell(work, "specialist_copay_test").source = "pass"
    _cell(work, "preamble").source = "checks = None"
    fixed = restore.restore(work, release)
    assert _cell(fixed.notebook, "ready_test").source == _cell(release, "ready_test").source
    assert _cell(fixed.notebook, "specialist_copay_test").source == \
        _cell(release, "specialist_copay_test").source
    assert _cell(fixed.notebook, "preamble").source == _cell(release, "preamble").source
    assert any("ready_test was deleted" in r for r in fixed.repairs)
    assert any("specialist_copay_test was edited" in r for r in fixed.repairs)


def test_answers_are_found_when_metadata_is_stripped_and_cells_moved(pair):
    release, source = pair
    work = submissions.fill(release, source)
    for cell in work.cells:
        cell.metadata = {}
        cell.pop("id", None)
    work.cells.reverse()
    fixed = restore.restore(work, release)
    assert _answers(fixed.notebook) == _answers(submissions.fill(release, source))
    assert [c.metadata for c in fixed.notebook.cells] == [c.metadata for c in release.cells]


def test_an_edited_lecture_cell_does_not_take_the_place_of_the_written_answer(pair):
    release, source = pair
    work = submissions.fill(release, source)
    written = _cell(work, "check_vs_grade")
    notes = next(c for c in work.cells[: work.cells.index(written)] if c.cell_type == "markdown")
    notes.source += "\n\nMy own notes."
    notes.pop("id")
    fixed = restore.restore(work, release)
    assert _cell(fixed.notebook, "check_vs_grade").source == written.source


def test_changed_metadata_cannot_raise_points(pair):
    release, source = pair
    work = submissions.fill(release, source, items=[])
    _cell(work, "ready_test").metadata["nbgrader"]["points"] = 100
    fixed = restore.restore(work, release)
    assert _cell(fixed.notebook, "ready_test").metadata["nbgrader"]["points"] == 1


def test_the_students_own_cells_stay_before_the_next_answer(pair):
    release, source = pair
    work = submissions.fill(release, source, items=[])
    answer = _cell(work, "specialist_copay_answer")
    answer.source = "specialist_copay = my_guess"
    work.cells.insert(work.cells.index(answer), nbformat.v4.new_code_cell("my_guess = 45"))
    fixed = restore.restore(work, release).notebook
    sources = [c.source for c in fixed.cells]
    assert sources.index("my_guess = 45") < sources.index("specialist_copay = my_guess")
    assert len(fixed.cells) == len(release.cells) + 1


def test_hidden_tests_are_put_in_only_for_running(pair):
    release, source = pair
    runnable = restore.with_tests(release, source)
    assert "BEGIN HIDDEN TESTS" in _cell(runnable, "ready_test").source
    assert "BEGIN HIDDEN TESTS" not in _cell(release, "ready_test").source
    assert _cell(runnable, "ready_answer").source == _cell(release, "ready_answer").source


@pytest.mark.parametrize("raw, message", [(b"", "empty"), (b"not json {", "not JSON"),
                                          (b'{"a": 1}', "no cells")])
def test_files_that_are_not_notebooks_are_named_plainly(raw, message):
    with pytest.raises(ValueError, match=message):
        restore.read(raw)


def test_a_notebook_is_recognised_by_its_cells_not_its_name(pair, released):
    release, source = pair
    other = nbformat.read(released("m0_orientation") / "02_just_enough_python.ipynb", 4)
    releases = {NOTEBOOK: release, "02_just_enough_python": other}
    work = copy.deepcopy(submissions.fill(release, source))
    assert restore.identify(work, releases) == NOTEBOOK
    assert restore.identify(nbformat.v4.new_notebook(), releases) is None
