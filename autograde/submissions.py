"""Make student submissions from a student version and its instructor source.

Tests, benchmarks and the demo class need submissions whose score is known in advance: a
correct one (every blank filled with the instructor's solution), a blank one (the release as
handed out), and a partly right one (only some items answered). Items are named by the
course's grade-id convention: ``<item>_answer`` is the blank, ``<item>_test`` its graded test
cell, and a written answer's grade id is the item itself.
"""
from __future__ import annotations

import copy
import re

import nbformat

from autograde.cells import is_test, is_written, meta as _meta, points

_MARKER = re.compile(r"^\s*#+\s*(BEGIN|END) SOLUTION\s*$")


def item_of(grade_id: str) -> str:
    """The item a grade id belongs to: ``copay_answer`` and ``copay_test`` -> ``copay``."""
    return re.sub(r"_(answer|test)$", "", grade_id)


def solutions(source_nb) -> dict[str, str]:
    """What a fully correct student would type in each solution cell, by grade id."""
    filled = {}
    for cell in source_nb.cells:
        meta = _meta(cell)
        if meta.get("solution"):
            lines = cell.source.split("\n")
            filled[meta["grade_id"]] = "\n".join(line for line in lines if not _MARKER.match(line))
    return filled


def autograded_points(source_nb) -> dict[str, float]:
    """Points of each autograded item (its test cells), by item."""
    found: dict[str, float] = {}
    for cell in source_nb.cells:
        if is_test(cell):
            item = item_of(_meta(cell)["grade_id"])
            found[item] = found.get(item, 0.0) + points(cell)
    return found


def manual_points(source_nb) -> dict[str, float]:
    """Points of each manually graded answer (written answers), by item."""
    return {item_of(_meta(c)["grade_id"]): points(c) for c in source_nb.cells if is_written(c)}


def fill(release_nb, source_nb, items=None):
    """A copy of the student version with the given items (default: all) answered correctly."""
    answers = solutions(source_nb)
    submission = copy.deepcopy(release_nb)
    for cell in submission.cells:
        grade_id = _meta(cell).get("grade_id")
        if grade_id in answers and (items is None or item_of(grade_id) in items):
            cell.source = answers[grade_id]
    return submission


def write_submission(release_path, source_path, out_path, items=None) -> None:
    """Write a submission notebook to ``out_path`` (see :func:`fill`)."""
    release_nb = nbformat.read(release_path, as_version=4)
    source_nb = nbformat.read(source_path, as_version=4)
    nbformat.write(fill(release_nb, source_nb, items), out_path)
