"""What must never reach a student, and where it did.

The secrets of a source notebook are the lines of its solution regions, its hidden tests and
its written model answers. A student release, the built book, feedback or an LMS package that
contains one of them (or an nbgrader marker) leaks. Short lines ("pass", ")") are too common to
mean anything and are ignored, as in the course audit.
"""
from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import nbformat

from autograde import cells

_REGIONS = [re.compile(r"#+\s*BEGIN SOLUTION(.*?)#+\s*END SOLUTION", re.S),
            re.compile(r"#+\s*BEGIN HIDDEN TESTS(.*?)#+\s*END HIDDEN TESTS", re.S)]
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
MIN_LENGTH = 10


def _meaningful(block: str):
    for line in block.splitlines():
        line = line.strip()
        if len(line) >= MIN_LENGTH and not line.startswith("#"):
            yield line


def secrets(source_nb) -> set[str]:
    """The lines of a source notebook that only the instructor may see."""
    found: set[str] = set()
    for cell in source_nb.cells:
        meta = cells.meta(cell)
        for pattern in _REGIONS:
            for match in pattern.finditer(cell.source):
                found.update(_meaningful(match.group(1)))
        if cell.cell_type == "markdown" and meta.get("solution"):
            found.update(_meaningful(cell.source))
    return found


def course_secrets(paths) -> set[str]:
    """The secrets of every source notebook in ``paths``."""
    found: set[str] = set()
    for path in paths:
        found |= secrets(nbformat.read(path, as_version=4))
    return found


def visible_text(path: Path) -> str:
    """What a reader of a notebook or HTML page gets to see, as plain text."""
    raw = Path(path).read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".ipynb":
        nb = nbformat.reads(raw, as_version=4)
        return "\n".join(cell.source for cell in nb.cells)
    return html.unescape(re.sub(r"<[^>]+>", "", raw))


def find_leaks(secret_lines: set[str], folder: Path, suffixes=(".ipynb", ".html")) -> list[str]:
    """Every file under ``folder`` that shows a secret line or an nbgrader marker."""
    leaks = []
    for path in sorted(Path(folder).rglob("*")):
        if path.suffix not in suffixes or not path.is_file():
            continue
        text = visible_text(path)
        leaks += [f"{path}: marker {m!r}" for m in MARKERS if m in text]
        leaks += [f"{path}: {line[:70]!r}" for line in secret_lines if line in text]
    return leaks


def main(folders: list[str]) -> int:
    """``python -m autograde.leaks FOLDER...`` (``make audit`` in a clone without the course
    team's audit tool): the graded points of every source notebook, then every leak into the
    folders; exit status 1 when something leaked."""
    from autograde import course, submissions

    sources = course.source_notebooks()
    for path in sources:
        nb = nbformat.read(path, as_version=4)
        auto, manual = submissions.autograded_points(nb), submissions.manual_points(nb)
        print(f"{path.relative_to(course.ROOT)}: {len(auto)} autograded items "
              f"({sum(auto.values()):g} points), {len(manual)} written ({sum(manual.values()):g})")
    secret_lines = course_secrets(sources)
    found = [leak for folder in folders for leak in find_leaks(secret_lines, Path(folder))]
    for leak in found:
        print(f"LEAK {leak}")
    print(f"leak scan of {', '.join(folders)}: {len(found)} found")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
