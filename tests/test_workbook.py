"""Every notebook looks like a workbook in JupyterLab (autograde/workbook.py).

The preamble is collapsed and read-only, and every locked cell says in its first line what it
is and that typing into it changes nothing: in every source notebook, and, what the student
actually opens, in every released one.
"""
import nbformat
import pytest

from autograde import author, cells, course, workbook


@pytest.mark.parametrize("path", course.source_notebooks(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_source_notebook_is_marked(path):
    nb = nbformat.read(path, as_version=4)
    assert workbook.unmarked(nb) == [], "run: .venv/bin/python -m autograde.workbook"


def _released_notebooks(released):
    for assignment in course.assignments():
        yield from sorted(released(assignment).glob("*.ipynb"))


def test_every_released_notebook_opens_as_a_workbook(released):
    checked = 0
    for path in _released_notebooks(released):
        nb = nbformat.read(path, as_version=4)
        first = nb.cells[0]
        assert cells.grade_id(first) == "preamble", path
        assert first.metadata.get("jupyter", {}).get("source_hidden") is True, path
        assert first.metadata.get("editable") is False and first.metadata.get("deletable") is False
        for cell in nb.cells:
            if cells.meta(cell).get("locked") and cell.cell_type == "code":
                assert cell.source.splitlines()[0] == workbook.banner(cell), (path, cell.source)
                assert "Locked" in cell.source.splitlines()[0]
            elif cells.is_answer(cell):
                assert not cell.source.startswith(tuple(workbook.BANNERS.values())), path
        checked += 1
    assert checked == len(course.source_notebooks())


def test_a_released_check_cell_says_it_is_a_check_and_shows_no_hidden_test(released):
    path = sorted(released("m0_orientation").glob("*.ipynb"))[0]
    nb = nbformat.read(path, as_version=4)
    check = next(c for c in nb.cells if cells.is_test(c))
    lines = check.source.splitlines()
    assert lines[0] == workbook.BANNERS["check"] and "checks.is_" in lines[1]
    assert "expect_" not in check.source


def test_marking_is_idempotent_and_a_reworded_banner_replaces_the_old_one(monkeypatch):
    check = author.test("x", visible='checks.is_text(x, "x")', hidden='checks.expect_text(x, "a")',
                        points=1)
    assert workbook.mark(check) and not workbook.mark(check)
    assert check.source.count("# CHECK:") == 1
    monkeypatch.setitem(workbook.BANNERS, "check", "# CHECK: a new wording. Locked.")
    assert workbook.mark(check)
    assert check.source.splitlines()[:2] == ["# CHECK: a new wording. Locked.",
                                            'checks.is_text(x, "x")']


def test_the_students_own_cells_and_lecture_text_stay_as_written():
    blank = author.answer("x", 'x = "E11.9"')
    lecture = author.md("# A heading")
    example = author.code("print(1)")
    for cell in (blank, lecture, example):
        before = cell.source
        assert not workbook.mark(cell) and cell.source == before


def test_author_writes_marked_notebooks(tmp_path):
    path = author.write(tmp_path / "n.ipynb", [
        author.preamble(), author.code("a = 1", grade_id="example_a"),
        author.answer("x", 'x = "a"'),
        author.test("x", visible='checks.is_text(x, "x")', hidden='checks.expect_text(x, "a")',
                    points=1)])
    nb = nbformat.read(path, as_version=4)
    assert workbook.unmarked(nb) == []
    assert [workbook.kind(c) for c in nb.cells] == ["preamble", "example", None, "check"]
