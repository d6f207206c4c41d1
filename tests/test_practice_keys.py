"""Every practice cell is checked against its key, and only the fingerprint is released."""
import copy
import io
from contextlib import redirect_stdout

import nbformat
import pytest

from autograde import course, practice
from medcode import checks, icd10cm


def _practice_cells(path):
    notebook = nbformat.read(path, 4)
    return [(cell, practice.practice(cell)) for cell in notebook.cells
            if practice.practice(cell) is not None]


PRACTICE = [(path, found.item, cell) for path in course.source_notebooks()
            for cell, found in _practice_cells(path)]


def _said(item, answer, digest, kind):
    shown = io.StringIO()
    with redirect_stdout(shown):
        checks.practice(item, answer, digest, kind=kind)
    return shown.getvalue()


def test_the_course_has_practice_cells_to_check():
    assert len(PRACTICE) >= 30
    assert len({(p, item) for p, item, _ in PRACTICE}) == len(PRACTICE)


@pytest.mark.parametrize("path,item,cell", PRACTICE, ids=[i for _, i, _ in PRACTICE])
def test_each_practice_fingerprint_is_its_keys(path, item, cell):
    found = practice.practice(cell)
    assert found.key is not None, f"{path.name}: practice {item!r} has no key in its metadata"
    assert found.digest == found.expected, f"{path.name}: practice {item!r} fingerprint is stale"
    assert _said(item, found.key, found.digest, found.kind).startswith("\u2713")
    wrong = "not the answer" if found.kind != "number" else float(found.key) + 1
    assert _said(item, wrong, found.digest, found.kind).startswith("\u2717")


@pytest.mark.parametrize("path,item,cell", [p for p in PRACTICE
                                            if practice.practice(p[2]).kind == "code"],
                         ids=lambda v: v if isinstance(v, str) else "")
def test_each_icd10cm_practice_key_is_billable(path, item, cell):
    key = practice.practice(cell).key
    if icd10cm.is_valid(key) or key[:1].isalpha():
        assert icd10cm.is_billable(key), f"{item}: {key} is not billable in the pinned release"


def test_release_writes_the_keys_fingerprint_and_drops_the_key():
    path, item, cell = PRACTICE[0]
    stale = copy.deepcopy(cell)
    stale.source = stale.source.replace(practice.practice(cell).digest, "0000000000000000")
    practice.released(stale)
    assert practice.practice(stale).digest == practice.practice(cell).expected
    assert practice.META not in stale.metadata


def test_a_practice_cell_without_a_key_stops_the_release():
    _, _, cell = PRACTICE[0]
    bare = copy.deepcopy(cell)
    del bare.metadata[practice.META]
    with pytest.raises(ValueError, match="no key"):
        practice.released(bare)


def test_released_practice_cells_carry_fingerprints_and_no_keys(released):
    path = next(p for p, _, _ in PRACTICE if p.parent.name == "m3_icd10cm")
    student = nbformat.read(released(path.parent.name) / path.name, 4)
    cells = [c for c in student.cells if practice.practice(c) is not None]
    assert cells and all(practice.META not in c.metadata for c in cells)
    assert all(practice.practice(c).digest == s.expected
               for c, (_, s) in zip(cells, _practice_cells(path)))
