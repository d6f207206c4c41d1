"""A demo class: a synthetic roster and an LMS download of submissions, run through every verb.

``python -m autograde demo`` builds it in ``course/demo/`` (a course of its own, so the demo
never mixes with a real class) on Module 0, and the tests use the same builder. Students are
obviously synthetic (surnames Testpatient, Example ...; emails at example.edu). Each student's
work is one of: all correct, blank, partly right, or partly wrong with a typical mistake, so
every score is known in advance.
"""
from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

import nbformat

from autograde import collect, course, restore, roster, submissions

ASSIGNMENT = "m0_orientation"
FIRST = ["Ada", "Ben", "Cleo", "Dev", "Eun", "Femi", "Gus", "Hana", "Ivo", "Jun"]
LAST = ["Testpatient", "Example", "Sample", "Placeholder", "Fictional", "Demo"]
KINDS = ("correct", "blank", "partial", "wrong")
WRONG = ['"not sure"', "0", '"E11"']


def make_course(root: Path) -> dict:
    """A course root of its own whose notebooks are the repository's; its overrides."""
    root.mkdir(parents=True, exist_ok=True)
    if not (root / "notebooks").exists():
        (root / "notebooks").symlink_to(course.SOURCE, target_is_directory=True)
    return {"root": str(root), "db_url": f"sqlite:///{root / 'gradebook.db'}"}


def students(count: int) -> list[roster.Student]:
    """``count`` synthetic students with LMS ids."""
    people = []
    for i in range(count):
        first, last = FIRST[i % len(FIRST)], LAST[(i // len(FIRST)) % len(LAST)]
        people.append(roster.Student(
            f"s{i + 1:03d}", first, last, f"student{i + 1:03d}@example.edu", str(5001 + i),
            f"9{i + 1:05d}", f"{first.lower()}.{last.lower()}", "Section 01"))
    return people


def kind_of(index: int) -> str:
    """What the student at ``index`` handed in."""
    return KINDS[index % len(KINDS)]


def work(kind: str, release, source, index: int):
    """A submission of one notebook: correct, blank, partial (first half) or wrong."""
    items = sorted(submissions.autograded_points(source))
    chosen = {"correct": None, "blank": [], "partial": items[: len(items) // 2],
              "wrong": items[: len(items) // 2]}[kind]
    nb = submissions.fill(release, source, chosen)
    if kind == "wrong":
        for cell in nb.cells:
            if restore.is_answer(cell) and cell.cell_type == "code" and "..." in cell.source:
                cell.source = cell.source.replace("...", WRONG[index % len(WRONG)])
    return nb


def expected(kind: str, sources) -> float:
    """The autograded score a submission of ``kind`` earns (manual items score nothing)."""
    total = 0.0
    for source in sources:
        points = submissions.autograded_points(source)
        items = sorted(points)
        earned = {"correct": items, "blank": [], "partial": items[: len(items) // 2],
                  "wrong": items[: len(items) // 2]}[kind]
        total += sum(points[i] for i in earned)
    return total


def canvas_zip(people, overrides: dict, out: Path) -> Path:
    """An LMS download in Canvas's naming, with every student's notebooks."""
    where = Path(overrides["root"])
    release = where / "course" / "release" / ASSIGNMENT
    with zipfile.ZipFile(out, "w") as bundle:
        for index, person in enumerate(people):
            for path in course.source_notebooks(ASSIGNMENT):
                source = nbformat.read(path, as_version=4)
                nb = work(kind_of(index), nbformat.read(release / path.name, 4), source, index)
                lastfirst = collect.canvas_name(person)
                name = f"{lastfirst}_{person.lms_id}_{70000 + index}_{path.name}"
                bundle.writestr(name, nbformat.writes(nb))
    return out


def build(count: int, overrides: dict) -> tuple[Path, Path]:
    """Release Module 0 and write the class's roster and Canvas download; their paths."""
    course.release([ASSIGNMENT], **overrides)
    root = Path(overrides["root"])
    people = students(count)
    roster.save(people, root / "roster.csv")
    return canvas_zip(people, overrides, root / "canvas_download.zip"), root / "roster.csv"


def run(count: int = 12, workers: int | None = None) -> int:
    """Build the demo class in course/demo and run every verb on it."""
    from autograde import export, feedback, grading, report

    overrides = make_course(course.GENERATED / "demo")
    archive, roster_file = build(count, overrides)
    done = collect.collect(ASSIGNMENT, archive, roster_file, **overrides)
    print(f"collect: placed {len(done.placed)} file(s)")
    workers = workers or os.cpu_count() or 1
    started = time.monotonic()
    results = grading.grade(ASSIGNMENT, workers, **overrides)
    print(grading.summary(ASSIGNMENT, results, time.monotonic() - started, workers))
    print(f"feedback: {len(feedback.feedback(ASSIGNMENT, **overrides))} page(s)")
    for fmt in export.FORMATS:
        out = Path(overrides["root"]) / "exports" / f"grades-{fmt}.csv"
        print(f"export {fmt}: {export.export(fmt, out, roster_file, **overrides).path}")
    print(f"report: {report.report(ASSIGNMENT, **overrides)}")
    return 1 if any(r.failed for r in results) else 0
