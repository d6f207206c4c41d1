"""Make every source notebook look like a workbook in JupyterLab, not like a program.

A student should see at a glance which cells are theirs. JupyterLab shows every code cell
alike, so the course marks the others in the notebook itself:

* the preamble (the first cell, ``grade_id`` "preamble") is collapsed and read-only:
  ``jupyter.source_hidden``, ``editable: false`` and ``deletable: false``, which JupyterLab
  honours (the book hides it with its ``remove-cell`` tag);
* every locked code cell -- a check, a worked example, the preamble -- says in its first line
  what it is and that it is not for editing, because typing into a locked cell silently does
  nothing.

Run ``python -m autograde.workbook`` after adding or merging notebooks: it rewrites only the
notebooks that need it and prints their names; ``--check`` only lists them and exits 1 if any.
``tests/test_workbook.py`` fails while a notebook is not marked. ``autograde.author`` marks
the notebooks it writes in the same way.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat

from autograde import cells, course

BANNERS = {
    "preamble": "# SET-UP: loads the course's tools and runs by itself first. Locked: do not edit.",
    "check": "# CHECK: run this cell after your answer above. Locked: typing here changes nothing.",
    "example": "# EXAMPLE: run this cell to see it work. Locked: typing here changes nothing.",
}
PREAMBLE_METADATA = {"editable": False, "deletable": False, "jupyter": {"source_hidden": True}}


def kind(cell) -> str | None:
    """Which banner a cell carries: "preamble", "check", "example", or None (the student's)."""
    meta = cells.meta(cell)
    if cell.get("cell_type") != "code" or not meta.get("locked"):
        return None
    if cells.grade_id(cell) == "preamble":
        return "preamble"
    return "check" if cells.is_test(cell) else "example"


def banner(cell) -> str | None:
    """The first line ``cell`` should start with, or None when it carries none."""
    found = kind(cell)
    return BANNERS[found] if found else None


def _without_banner(source: str) -> str:
    """``source`` without a banner line of any wording, so a reworded banner never stacks."""
    first, _, rest = source.partition("\n")
    labels = tuple(text.split(":")[0] + ":" for text in BANNERS.values())
    return rest if first.startswith(labels) else source


def mark(cell) -> bool:
    """Give ``cell`` its banner and, for the preamble, its metadata. True if anything changed."""
    line = banner(cell)
    if line is None:
        return False
    before = (cell.source, dict(cell.metadata))
    cell.source = f"{line}\n{_without_banner(cell.source)}"
    if kind(cell) == "preamble":
        for key, value in PREAMBLE_METADATA.items():
            cell.metadata[key] = nbformat.from_dict(value) if isinstance(value, dict) else value
    return (cell.source, dict(cell.metadata)) != before


def mark_notebook(nb) -> bool:
    """Mark every cell of ``nb``; True if any changed."""
    return any([mark(cell) for cell in nb.cells])


def unmarked(nb) -> list[str]:
    """What is missing in ``nb``: one line per cell without its banner or preamble metadata."""
    problems = []
    for index, cell in enumerate(nb.cells):
        line = banner(cell)
        if line and not cell.source.startswith(line + "\n"):
            problems.append(f"cell {index} ({kind(cell)}) does not start with its banner")
        if kind(cell) == "preamble" and any(cell.metadata.get(k) != v
                                            for k, v in PREAMBLE_METADATA.items()):
            problems.append(f"cell {index}: the preamble is not collapsed and read-only")
    return problems


def main(argv: list[str]) -> int:
    check_only = "--check" in argv
    changed = []
    for path in course.source_notebooks():
        nb = nbformat.read(path, as_version=4)
        if mark_notebook(nb):
            changed.append(path)
            if not check_only:
                nbformat.write(nb, path)
    for path in changed:
        print(("needs marking: " if check_only else "marked: ") + str(path))
    return 1 if check_only and changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
