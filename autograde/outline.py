"""The course as a syllabus: its units in order, each with its lessons and learning objectives.

The book's table of contents (``_toc.yml``) is the one ordered list of the course: a part whose
chapters are student notebooks (``course/release/<assignment>/<notebook>``) is a unit, and
a part of prose pages (``book/...``) is a set of pages. The objectives come from the syllabus
page (``book/syllabus.md``, "### Module N: ..." headings) and, for a lesson, from its own
opening "By the end of this notebook you can" list. Readers of the course (the LMS cartridge)
take the order from here, so it cannot drift from the book.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

from autograde import course

TOC = course.ROOT / "_toc.yml"
SYLLABUS = course.ROOT / "book" / "syllabus.md"
RELEASED = "course/release/"

_OBJECTIVES_LEAD = re.compile(r"(by the end of this (notebook|page|lesson),? you (can|will be able to)"
                              r"|in this notebook you will)", re.I)
_LIST_ITEM = re.compile(r"^\s*(?:[-*]|\d+\.)\s+(.*)")


@dataclass
class Lesson:
    """A student notebook of the release, in its unit."""
    assignment: str
    name: str            # the notebook's file stem
    path: Path           # the released .ipynb

    @property
    def notebook(self):
        return nbformat.read(self.path, as_version=4)


@dataclass
class Unit:
    """A part of the table of contents: a module of notebooks, or a set of book pages."""
    caption: str
    lessons: list[Lesson] = field(default_factory=list)
    pages: list[Path] = field(default_factory=list)
    objectives: list[str] = field(default_factory=list)

    @property
    def assignment(self) -> str:
        return self.lessons[0].assignment if self.lessons else ""


def units(release: Path, toc: Path = TOC, syllabus: Path = SYLLABUS) -> list[Unit]:
    """Every part of the table of contents in order, notebooks read from ``release``.

    Raises ``course.NotReleased`` when a notebook of the table of contents is not released."""
    spec = yaml.safe_load(Path(toc).read_text(encoding="utf-8"))
    by_module = module_objectives(Path(syllabus).read_text(encoding="utf-8"))
    found = []
    for part in spec.get("parts", []):
        unit = Unit(part["caption"])
        for chapter in part.get("chapters", []):
            _place(unit, chapter["file"], release, Path(toc).parent)
        number = re.match(r"Module (\d+)", unit.caption)
        unit.objectives = by_module.get(number.group(1), []) if number else []
        found.append(unit)
    if spec.get("root"):
        _add_root(found, Path(toc).parent / f"{spec['root']}.md")
    return found


def _add_root(found: list[Unit], page: Path) -> None:
    """The book's first page opens the first unit of prose pages (or a unit of its own)."""
    if found and not found[0].lessons:
        found[0].pages.insert(0, page)
    else:
        found.insert(0, Unit("Welcome", pages=[page]))


def _place(unit: Unit, entry: str, release: Path, root: Path) -> None:
    if not entry.startswith(RELEASED):
        unit.pages.append(root / f"{entry}.md")
        return
    assignment, name = entry[len(RELEASED):].split("/", 1)
    path = release / assignment / f"{name}.ipynb"
    if not path.is_file():
        raise course.NotReleased(f"{assignment} has not been released ({path} is missing): run "
                                 "`python -m autograde release` first")
    unit.lessons.append(Lesson(assignment, name, path))


def module_objectives(syllabus_text: str) -> dict[str, list[str]]:
    """The bullet objectives under each "### Module N: ..." heading of the syllabus, by N."""
    found: dict[str, list[str]] = {}
    current = None
    for line in syllabus_text.splitlines():
        heading = re.match(r"#{2,3}\s+Module (\d+)", line)
        if heading or line.startswith("#"):
            current = heading.group(1) if heading else None
            if current:
                found[current] = []
            continue
        if current is None:
            continue
        item = re.match(r"^- (.*)", line)
        if item:
            found[current].append(item.group(1).strip())
        elif line.startswith("  ") and found[current] and line.strip():
            found[current][-1] += " " + line.strip()
    return found


def title(nb) -> str:
    """The notebook's first heading, without its '#'."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def page_title(path: Path) -> str:
    """A book page's first heading."""
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return Path(path).stem


def lesson_objectives(nb) -> list[str]:
    """The list after a lesson's "By the end of this notebook you can" (or "In this notebook
    you will"), from its first markdown cells; [] when the lesson states none."""
    for cell in nb.cells[:4]:
        if cell.cell_type != "markdown":
            continue
        lead = _OBJECTIVES_LEAD.search(cell.source)
        if lead:
            return _list_after(cell.source[lead.end():])
    return []


def _list_after(text: str) -> list[str]:
    items: list[str] = []
    for line in text.splitlines()[1:]:
        item = _LIST_ITEM.match(line)
        if item:
            items.append(item.group(1).strip())
        elif items and line.startswith(" ") and line.strip():
            items[-1] += " " + line.strip()
        elif items or line.strip():
            break
    return items
