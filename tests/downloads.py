"""LMS downloads for the tests, built from the plain-text descriptions in tests/data/instructor.

Each line of a description is ``file name in the zip | time of the entry | what it holds``:
``correct|blank|partial NOTEBOOK`` (a submission made from the release of the assignment being
collected, see autograde/submissions.py), ``source ASSIGNMENT/NOTEBOOK`` (an instructor source
notebook, standing for another assignment's notebook) or ``text: ...`` (a plain file).
"""
from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import nbformat

from autograde import course, submissions

DATA = Path(__file__).parent / "data" / "instructor"


def lines(name: str) -> list[tuple[str, datetime, str]]:
    """(entry name, time, content) of each file a description lists."""
    found = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            entry, when, what = (part.strip() for part in line.split(" | "))
            found.append((entry, datetime.fromisoformat(when), what))
    return found


def content(what: str, overrides: dict, assignment: str) -> bytes:
    """The bytes of one file of a download."""
    kind, _, rest = what.partition(" ")
    if kind == "text:":
        return rest.encode()
    if kind == "source":
        return (course.SOURCE / f"{rest}.ipynb").read_bytes()
    release = Path(overrides["root"]) / "course" / "release" / assignment / f"{rest}.ipynb"
    source = course.SOURCE / assignment / f"{rest}.ipynb"
    source_nb = nbformat.read(source, as_version=4)
    items = sorted(submissions.autograded_points(source_nb))
    chosen = {"correct": None, "blank": [], "partial": items[: len(items) // 2]}[kind]
    return nbformat.writes(submissions.fill(nbformat.read(release, 4), source_nb, chosen)).encode()


def build(name: str, overrides: dict, assignment: str, out: Path) -> Path:
    """The zip a description stands for, written to ``out``."""
    with zipfile.ZipFile(out, "w") as bundle:
        for entry, when, what in lines(name):
            info = zipfile.ZipInfo(entry, when.timetuple()[:6])
            bundle.writestr(info, content(what, overrides, assignment))
    return out


def expected_points(what: str, assignment: str) -> float:
    """The autograded points a ``correct|blank|partial NOTEBOOK`` file earns."""
    kind, _, notebook = what.partition(" ")
    points = submissions.autograded_points(
        nbformat.read(course.SOURCE / assignment / f"{notebook}.ipynb", as_version=4))
    items = sorted(points)
    earned = {"correct": items, "blank": [], "partial": items[: len(items) // 2]}[kind]
    return sum(points[i] for i in earned)
