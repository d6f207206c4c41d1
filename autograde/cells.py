"""The nbgrader roles of a notebook's cells, read from their metadata in one place.

nbgrader marks cells in ``cell.metadata["nbgrader"]``: ``solution`` (the student writes it),
``grade`` (it earns points), ``locked`` (nobody may edit it) and a ``grade_id``. A submitted file
may carry anything there, or nothing, so every reader goes through these functions, which never
raise on odd metadata.
"""
from __future__ import annotations


def meta(cell) -> dict:
    """The cell's nbgrader metadata; {} when it has none or it is not a mapping."""
    found = (cell.get("metadata") or {}).get("nbgrader") if isinstance(cell, dict) else None
    return found if isinstance(found, dict) else {}


def grade_id(cell) -> str:
    """The cell's nbgrader grade id, or ""."""
    value = meta(cell).get("grade_id")
    return value if isinstance(value, str) else ""


def is_answer(cell) -> bool:
    """An answer cell: its source is the student's to write (a blank or a written answer)."""
    return bool(meta(cell).get("solution"))


def is_test(cell) -> bool:
    """An autograded test cell: code that earns points and that the student may not edit."""
    return (cell.get("cell_type") == "code" and bool(meta(cell).get("grade"))
            and not meta(cell).get("solution"))


def is_written(cell) -> bool:
    """A manually graded answer: the student writes it and the instructor scores it."""
    return bool(meta(cell).get("grade")) and bool(meta(cell).get("solution"))


def points(cell) -> float:
    """The points a graded cell is worth (0 for any other cell)."""
    try:
        return float(meta(cell).get("points", 0) or 0)
    except (TypeError, ValueError):
        return 0.0
