"""Build nbgrader source notebooks with the course's cell conventions, from Python.

The committed ``.ipynb`` files under ``notebooks/`` are the source of truth; edit them in
Jupyter (nbgrader's Create Assignment toolbar) or write them with these helpers, which keep
every notebook's metadata alike:

* ``preamble(...)`` -- the first cell: imports, locked, hidden from the book (``remove-cell``),
  collapsed and read-only in JupyterLab (``write`` marks it and every locked cell with
  :mod:`autograde.workbook`);
* ``md(...)`` / ``code(...)`` -- lecture text and worked examples (examples are locked);
* ``answer(item, solution)`` -- the student's blank: ``item_answer``; the solution between
  ``### BEGIN SOLUTION`` / ``### END SOLUTION`` becomes ``name = ...`` in the student version
  (a form: ``answer(item, fields, before="name = {", after="}")`` keeps each field name);
* ``test(item, visible, hidden, points)`` -- the graded test cell ``item_test``: a visible
  well-formedness check, then hidden tests that decide correctness;
* ``written(item, points, model_answer)`` -- a manually graded written answer (markdown);
  put the rubric in a visible ``md`` cell just before it so students know how it is graded.

Test cells are tagged ``raises-exception`` so the book can show a blank's plain message
("still blank ...") instead of failing its build; nbgrader still scores the error as zero.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import nbformat

from autograde import workbook

KERNEL = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def _src(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


def _nbgrader(grade_id: str, *, solution=False, grade=False, locked=False, points=None,
              task=False) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": task}
    if points is not None:
        meta["points"] = points
    return meta


def md(text: str, tags=()) -> nbformat.NotebookNode:
    """A markdown cell of lecture text."""
    cell = nbformat.v4.new_markdown_cell(_src(text))
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def code(text: str, grade_id: str | None = None, tags=()) -> nbformat.NotebookNode:
    """A lecture code cell (worked example). Locked when given a ``grade_id``."""
    cell = nbformat.v4.new_code_cell(_src(text))
    if grade_id:
        cell.metadata["nbgrader"] = _nbgrader(grade_id, locked=True)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def preamble(text: str = "from medcode import checks") -> nbformat.NotebookNode:
    """The notebook's first cell: imports it needs, locked and hidden from the book.

    It ends with ``checks.setup_notebook()``, which makes failed checks show as plain lines.
    """
    return code(f"{text}\nchecks.setup_notebook()", grade_id="preamble", tags=("remove-cell",))


def answer(item: str, solution: str, before: str = "", after: str = "") -> nbformat.NotebookNode:
    """A student's answer cell; ``before``/``after`` stay in the student version around the blank.

    For a form, put ``name = {`` in ``before``, the fields in ``solution`` and ``}`` in
    ``after``: the student then sees each field with its own ``...``.
    """
    margin = "    " if after else ""
    parts = [_src(before)] if before else []
    parts += [margin + "### BEGIN SOLUTION", textwrap.indent(_src(solution), margin),
              margin + "### END SOLUTION"]
    parts += [_src(after)] if after else []
    cell = nbformat.v4.new_code_cell("\n".join(parts))
    cell.metadata["nbgrader"] = _nbgrader(f"{item}_answer", solution=True)
    return cell


def test(item: str, visible: str, hidden: str, points: float) -> nbformat.NotebookNode:
    """A graded test cell: visible checks the student sees, then hidden tests."""
    text = "\n".join([_src(visible), "### BEGIN HIDDEN TESTS", _src(hidden),
                      "### END HIDDEN TESTS"])
    cell = nbformat.v4.new_code_cell(text)
    cell.metadata["nbgrader"] = _nbgrader(f"{item}_test", grade=True, locked=True,
                                          points=points)
    cell.metadata["tags"] = ["raises-exception"]
    return cell


def written(item: str, points: float, model_answer: str) -> nbformat.NotebookNode:
    """A manually graded written answer; the model answer stays in the instructor version."""
    cell = nbformat.v4.new_markdown_cell(_src(model_answer))
    cell.metadata["nbgrader"] = _nbgrader(item, solution=True, grade=True, points=points)
    return cell


def notebook(cells) -> nbformat.NotebookNode:
    """A notebook of ``cells`` with the course kernel."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = KERNEL
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = list(cells)
    return nb


def write(path: str | Path, cells) -> Path:
    """Write a validated source notebook to ``path``."""
    nb = notebook(cells)
    workbook.mark_notebook(nb)
    nbformat.validate(nb)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path
