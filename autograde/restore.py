"""Put a student's answers back onto the notebook they were given, whatever they did to it.

A submission is only trusted for what the student was asked to write: the sources of its
answer cells (and any extra cells of their own working). Everything else comes from the
student version as released, so deleted or edited test cells, edited locked cells, stripped
or changed cell metadata and reordered cells no longer cost a correct answer its points, and
cannot buy a wrong one any. Answer cells are found by their nbgrader grade id, else by their
cell id, else by the names their blank asks for (``visit_copay = ...``).
"""
from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field

import nbformat

from autograde.cells import grade_id as _grade_id, is_answer, meta as _meta

_NAME = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*(?::[^=]+)?=(?!=)", re.M)


def _names(source: str) -> set[str]:
    return set(_NAME.findall(source))


@dataclass
class Restored:
    """The rebuilt notebook and what had to be repaired to get it."""
    notebook: nbformat.NotebookNode
    repairs: list[str] = field(default_factory=list)


MAX_BYTES = 20 * 2**20
CELL_TYPES = ("code", "markdown", "raw")


def read(raw: bytes) -> nbformat.NotebookNode:
    """A submitted file as a notebook; ValueError in plain words when it is not one.

    Nothing in the file is trusted: a cell whose source is not text, metadata that is not a
    mapping, an id that is not a string, JSON nested too deeply or a file too big to be a
    notebook becomes a plain problem or a harmless blank, never a crash of the grader.
    """
    if not raw.strip():
        raise ValueError("the file is empty")
    if len(raw) > MAX_BYTES:
        raise ValueError(f"the file is over {MAX_BYTES // 2**20} MB, too big to be a notebook")
    try:
        data = json.loads(raw.decode("utf-8", errors="replace"))
    except json.JSONDecodeError as error:
        raise ValueError(f"the file is not a notebook (not JSON: {error.msg})") from None
    except RecursionError:
        raise ValueError("the file is not a notebook (its JSON is nested too deeply)") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise ValueError("the file is JSON but not a notebook (no cells)")
    cells = [_clean_cell(c) for c in data["cells"] if isinstance(c, dict) and "source" in c]
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    return nbformat.from_dict({"cells": cells, "metadata": metadata,
                               "nbformat": 4, "nbformat_minor": 5})


def _text(source) -> str:
    """A cell source as text: a string, or the strings of a list of lines; anything else ""."""
    if isinstance(source, str):
        return source
    if isinstance(source, list):
        return "".join(part for part in source if isinstance(part, str))
    return ""


def _clean_cell(cell: dict) -> dict:
    """Only what restoring reads from a submitted cell, each part of the type it must have."""
    clean = {"source": _text(cell.get("source")),
             "cell_type": cell.get("cell_type") if cell.get("cell_type") in CELL_TYPES else "code",
             "metadata": cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}}
    if isinstance(cell.get("id"), str):
        clean["id"] = cell["id"]
    return clean


class _Matcher:
    """Finds, for each cell of a submission, the released cell it stands for."""

    def __init__(self, release):
        self.by_grade_id = {_grade_id(c): i for i, c in enumerate(release.cells) if _grade_id(c)}
        self.by_cell_id = {c.get("id"): i for i, c in enumerate(release.cells) if c.get("id")}
        self.by_source = {c.source.strip(): i for i, c in enumerate(release.cells)}
        self.blank_names = {i: _names(c.source) for i, c in enumerate(release.cells)
                            if is_answer(c) and c.cell_type == "code" and _names(c.source)}
        self.written = [i for i, c in enumerate(release.cells)
                        if is_answer(c) and c.cell_type == "markdown"]

    def exact(self, cell) -> tuple[int | None, str]:
        """The released index this cell is, by grade id, cell id or unchanged source."""
        grade_id = _grade_id(cell)
        if grade_id in self.by_grade_id:
            return self.by_grade_id[grade_id], ""
        if cell.get("id") in self.by_cell_id:
            return self.by_cell_id[cell.get("id")], "its nbgrader metadata was missing or changed"
        return self.by_source.get(cell.get("source", "").strip()), ""

    def guess(self, cell, taken: set[int]) -> tuple[int | None, str]:
        """For a cell nothing identifies: the answer it looks like, if still unanswered."""
        if cell.get("cell_type") == "code":
            names = _names(cell.get("source", ""))
            for index, wanted in self.blank_names.items():
                if index not in taken and wanted <= names:
                    return index, "found by the names it answers (metadata stripped)"
            return None, ""
        for index in self.written:
            if index not in taken:
                return index, "taken as the next written answer (metadata stripped)"
        return None, ""


def _match(submitted, matcher: _Matcher) -> list[tuple[int | None, str]]:
    """For each submitted cell, the released cell it stands for; exact matches go first."""
    found = [matcher.exact(cell) for cell in submitted.cells]
    taken = {index for index, _ in found if index is not None}
    for position, cell in enumerate(submitted.cells):
        if found[position][0] is None:
            found[position] = matcher.guess(cell, taken)
            taken.add(found[position][0])
    return found


def restore(submitted, release) -> Restored:
    """The released notebook with the student's answers and own cells put back in place."""
    matcher = _Matcher(release)
    answers: dict[int, str] = {}
    own: dict[int, list] = {}     # released answer index -> student's own cells after it
    repairs: list[str] = []
    anchor = next((i for i, c in enumerate(release.cells) if is_answer(c)), None)
    for cell, (index, how) in zip(submitted.cells, _match(submitted, matcher)):
        if index is not None and is_answer(release.cells[index]) and index not in answers:
            answers[index] = cell.get("source", "")
            anchor = index
            if how:
                repairs.append(f"answer cell {_meta(release.cells[index])['grade_id']}: {how}")
        elif index is None and cell.get("cell_type") == "code" and anchor is not None:
            own.setdefault(anchor, []).append(nbformat.v4.new_code_cell(cell.get("source", "")))
    notebook = copy.deepcopy(release)
    cells = []
    for index, cell in enumerate(notebook.cells):
        if index in answers:
            cell.source = answers[index]
        cells.append(cell)
        cells.extend(own.get(index, []))
    notebook.cells = cells
    repairs += _changed_cells(submitted, release)
    return Restored(notebook, repairs)


def _changed_cells(submitted, release) -> list[str]:
    """Say which test or locked cells were deleted or edited (they have been restored)."""
    present = {_grade_id(cell): cell.get("source", "") for cell in submitted.cells
               if _grade_id(cell)}
    notes = []
    for cell in release.cells:
        meta = _meta(cell)
        if not meta.get("grade_id") or meta.get("solution"):
            continue
        if meta["grade_id"] not in present:
            notes.append(f"cell {meta['grade_id']} was deleted or its metadata stripped: restored")
        elif present[meta["grade_id"]].strip() != cell.source.strip():
            notes.append(f"cell {meta['grade_id']} was edited: restored")
    return notes


def with_tests(notebook, source):
    """A copy with the source's full test and locked cells (hidden tests included), to run."""
    full = {_meta(c)["grade_id"]: c.source for c in source.cells if _meta(c).get("grade_id")}
    runnable = copy.deepcopy(notebook)
    for cell in runnable.cells:
        meta = _meta(cell)
        if meta.get("grade_id") in full and not meta.get("solution"):
            cell.source = full[meta["grade_id"]]
    return runnable


def marks(nb) -> set[str]:
    """What identifies a notebook's cells: their grade ids and cell ids."""
    found = nb.get("cells", [])
    return ({_grade_id(c) for c in found}
            | {c.get("id") for c in found if isinstance(c.get("id"), str)}) - {""}


def identify(notebook, releases: dict[str, nbformat.NotebookNode]) -> str | None:
    """Which released notebook a submission is, by the grade ids and cell ids it shares."""
    have = marks(notebook)
    scored = sorted(((len(have & marks(nb)), name) for name, nb in releases.items()), reverse=True)
    return scored[0][1] if scored and scored[0][0] > 0 else None
