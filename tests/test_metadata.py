"""The source notebooks follow the course's nbgrader conventions (see CONTRIBUTING.md)."""
import re

import nbformat
import pytest
import yaml

from autograde import course
from tests import harness

SOURCES = course.source_notebooks()


def _id(path):
    return f"{path.parent.name}/{path.stem}"


def _meta(cell):
    return cell.metadata.get("nbgrader", {})


@pytest.fixture(params=SOURCES, ids=_id)
def nb(request):
    return nbformat.read(request.param, as_version=4)


def test_notebook_is_valid_and_stores_no_outputs(nb):
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        assert not cell.get("outputs"), "clear outputs before committing a source notebook"
        assert "raise NotImplementedError" not in cell.source


def test_first_cell_is_the_hidden_locked_preamble(nb):
    first = nb.cells[0]
    assert _meta(first).get("locked") and "remove-cell" in first.metadata.get("tags", [])
    assert _meta(first).get("grade_id") == "preamble"
    assert first.source.rstrip().endswith("checks.setup_notebook()"), \
        "the preamble ends by setting up the plain failure lines"


def test_grade_ids_are_unique_and_schema_current(nb):
    ids = [_meta(c)["grade_id"] for c in nb.cells if _meta(c)]
    assert len(ids) == len(set(ids)), "grade ids repeat"
    assert all(_meta(c).get("schema_version") == 3 for c in nb.cells if _meta(c))


def test_every_answer_has_a_graded_test_with_visible_and_hidden_parts(nb):
    answers = {_meta(c)["grade_id"][:-len("_answer")] for c in nb.cells
               if harness.role(c) == "answer"}
    tests = {_meta(c)["grade_id"][:-len("_test")]: c for c in nb.cells if harness.role(c) == "test"}
    assert answers == set(tests), "each item_answer needs an item_test and vice versa"
    for item, cell in tests.items():
        visible, _, hidden = cell.source.partition("### BEGIN HIDDEN TESTS")
        assert re.search(r"(checks\.\w+|icd10cm\.check_billable)\(", visible), \
            f"{item}: no visible check"
        assert "checks.expect_" in hidden, f"{item}: hidden tests must use checks.expect_*"
        assert float(_meta(cell)["points"]) > 0
        assert _meta(cell)["locked"]
        assert "raises-exception" in cell.metadata.get("tags", [])
        assert "skip-execution" not in cell.metadata.get("tags", [])


def test_dollar_amounts_are_escaped_so_they_do_not_render_as_math(nb):
    """Jupyter and the book read "$25 ... $50" as a formula: write amounts as \\$25."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            prose = re.sub(r"`[^`]*`", "", cell.source)
            amounts = re.findall(r"(?<![\\$])\$\d[\d,.]*", prose)
            assert not amounts, f"escape these amounts as \\$: {amounts}"


def test_written_answers_come_with_a_visible_rubric(nb):
    for index, cell in enumerate(nb.cells):
        if harness.role(cell) == "written":
            before = nb.cells[index - 1]
            assert before.cell_type == "markdown" and "rubric" in before.source.lower()


@pytest.mark.parametrize("assignment", course.assignments())
def test_each_module_has_a_manually_graded_task(assignment):
    written = [c for p in course.source_notebooks(assignment)
               for c in nbformat.read(p, as_version=4).cells if harness.role(c) == "written"]
    assert written, f"{assignment} needs a manually graded written task"


def _toc_files(entries):
    for entry in entries:
        if "file" in entry:
            yield entry["file"]
        for key in ("chapters", "sections", "parts"):
            yield from _toc_files(entry.get(key, []))


def test_table_of_contents_lists_every_student_notebook_and_page():
    toc = yaml.safe_load((course.ROOT / "_toc.yml").read_text())
    files = set(_toc_files(toc.get("parts", []))) | {toc["root"]}
    expected = {f"course/release/{p.parent.name}/{p.stem}" for p in SOURCES}
    assert expected <= files, f"missing from _toc.yml: {sorted(expected - files)}"
    for entry in files - expected:
        assert entry.startswith("book/") and (course.ROOT / f"{entry}.md").exists(), entry
