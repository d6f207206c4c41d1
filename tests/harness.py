"""Shared machinery for the notebook and pipeline tests.

Tests never touch the real ``course/`` folder: each run makes a throwaway course root whose
``notebooks`` links to the repository's sources, so releases, submissions and gradebooks are
private to the test (and to each xdist worker).
"""
from __future__ import annotations

import csv
import fcntl
import json
import shutil
from contextlib import contextmanager
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from autograde import course, submissions


def make_course(root: Path) -> dict:
    """A throwaway course root; returns the CourseDirectory overrides that point nbgrader at it."""
    root.mkdir(parents=True, exist_ok=True)
    link = root / "notebooks"
    if not link.exists():
        link.symlink_to(course.SOURCE, target_is_directory=True)
    return {"root": str(root), "db_url": f"sqlite:///{root / 'gradebook.db'}"}


def execute(path: Path, cwd: Path | None = None):
    """Run a notebook top to bottom, errors recorded in outputs rather than raised."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(cwd or Path(path).parent)}})
    client.execute()
    return nb


def outputs_of_kind(cell, kind: str):
    """The outputs of a cell that are errors ("error") or stderr text ("stderr")."""
    if kind == "error":
        return [o for o in cell.get("outputs", []) if o.output_type == "error"]
    return [o for o in cell.get("outputs", []) if o.output_type == "stream" and o.name == "stderr"]


def role(cell) -> str:
    """"test", "answer", "written" or "lecture", from the cell's nbgrader metadata."""
    meta = cell.metadata.get("nbgrader", {})
    if meta.get("grade") and meta.get("solution"):
        return "written"
    if meta.get("solution"):
        return "answer"
    if meta.get("grade"):
        return "test"
    return "lecture"


def submit(overrides: dict, assignment: str, student: str, items=None) -> None:
    """Place a submission of ``assignment`` by ``student`` (items answered; None = all, [] = none)."""
    root = Path(overrides["root"])
    folder = root / "course" / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    release = root / "course" / "release" / assignment
    for source in course.source_notebooks(assignment):
        submissions.write_submission(release / source.name, source, folder / source.name,
                                     items=items)


def grade_manual_in_full(overrides: dict, assignment: str, student: str) -> None:
    """Give a student every manual point, as an instructor would in formgrader."""
    from nbgrader.api import Gradebook

    with Gradebook(overrides["db_url"]) as gradebook:
        submission = gradebook.find_submission(assignment, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                if grade.auto_score is None:
                    grade.manual_score = grade.max_score
        gradebook.db.commit()


def export_scores(overrides: dict, out: Path) -> dict[tuple[str, str], tuple[float, float]]:
    """Export grades with nbgrader's CSV exporter and read back (assignment, student) -> score."""
    from nbgrader.api import Gradebook
    from nbgrader.plugins import CsvExportPlugin

    exporter = CsvExportPlugin(config=course.config(**overrides))
    exporter.to = str(out)
    with Gradebook(overrides["db_url"]) as gradebook:
        exporter.export(gradebook)
    with open(out, newline="") as handle:
        return {(row["assignment"], row["student_id"]): (float(row["score"]), float(row["max_score"]))
                for row in csv.DictReader(handle)}


@contextmanager
def exclusive(lock: Path):
    """Hold an exclusive lock on ``lock`` (a file) while the block runs, across processes."""
    with open(lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def once(result: Path, make):
    """``make()`` run once per test run, whichever xdist worker asks first; the others wait for
    it and share its JSON result through the file ``result``."""
    with exclusive(result.with_suffix(".lock")):
        if not result.exists():
            result.write_text(json.dumps(make()))
    return json.loads(result.read_text())


BOOK_SOURCES = ("_config.yml", "_toc.yml", "book", "_static", "_templates")


def book_root(root: Path) -> dict:
    """A private copy of the book's sources with its own student release in ``root``, so that a
    book build never reads a course/release that another test is rewriting."""
    overrides = make_course(root)
    for name in BOOK_SOURCES:
        source = course.ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"),
                            dirs_exist_ok=True)
        else:
            shutil.copy(source, root / name)
    course.release(**overrides)
    return overrides
