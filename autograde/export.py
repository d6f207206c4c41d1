"""``export``: the gradebook as a file an LMS imports.

* ``csv``: nbgrader's own export (assignment, duedate, timestamp, student_id, last_name,
  first_name, email, raw_score, late_submission_penalty, score, max_score), one row per
  student and assignment;
* ``canvas``: Canvas's gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, one
  column per assignment (a new column becomes a new Canvas assignment), and a Points Possible
  row;
* ``moodle``: Moodle's CSV grade import: First name, Last name, ID number, Email address and
  one column per assignment (map "Email address" to the user and each column to its grade
  item when importing);
* ``blackboard``: Grade Center upload: Last Name, First Name, Username, Student ID and one
  ``<assignment> [Total Pts: <max> Score]`` column per assignment (Username is the key);
* ``brightspace``: Grades import: OrgDefinedId, Username, ``<assignment> Points Grade``
  columns and the End-of-Line Indicator column.

LMS ids (Canvas user id, SIS id, username, section) come from the roster; a student with no
submission scores zero, as in nbgrader's export. Only assignments that someone has handed in
are exported (or the ones named): ``release`` enters every module into the gradebook at the
start of term, and a column of zeros for a module not yet due would overwrite or create that
LMS grade item.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from autograde import course, roster

FORMATS = ("csv", "canvas", "moodle", "blackboard", "brightspace")


@dataclass
class Table:
    """Scores by student and assignment, with each assignment's maximum."""
    students: list[roster.Student]
    assignments: list[str]
    max_score: dict[str, float]
    score: dict[tuple[str, str], float]


def chosen_assignments(book, wanted: list[str] | None) -> list[str]:
    """The assignments to export: ``wanted``, else every one with at least one submission."""
    names = [a.name for a in book.assignments]
    if wanted:
        unknown = [w for w in wanted if w not in names]
        if unknown:
            raise ValueError(f"not in the gradebook: {', '.join(unknown)} "
                             f"(it has {', '.join(names) or 'no assignment'})")
        return [n for n in names if n in wanted]
    handed_in = [a.name for a in book.assignments if a.num_submissions]
    if not handed_in:
        raise ValueError("no assignment has a submission yet: run collect and grade first")
    return handed_in


def read_gradebook(overrides: dict, students: list[roster.Student],
                   wanted: list[str] | None = None) -> Table:
    """The scores of the chosen assignments; roster rows fill in the LMS ids of known students."""
    from nbgrader.api import Gradebook, MissingEntry

    cfg = course.config(**overrides)
    listed = {s.student_id: s for s in students}
    with Gradebook(cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id) as book:
        people = [listed.get(s.id) or roster.Student(s.id, s.first_name or "", s.last_name or "",
                                                     s.email or "") for s in book.students]
        people += [s for s in students if s.student_id not in {p.student_id for p in people}]
        names = chosen_assignments(book, wanted)
        maxima = {a.name: a.max_score for a in book.assignments}
        scores = {}
        for name in names:
            for person in people:
                try:
                    scores[(person.student_id, name)] = book.find_submission(
                        name, person.student_id).score
                except MissingEntry:
                    scores[(person.student_id, name)] = 0.0
    people.sort(key=lambda p: (p.last_name, p.first_name, p.student_id))
    return Table(people, names, maxima, scores)


def _nbgrader_csv(overrides: dict, out: Path, wanted: list[str] | None) -> None:
    from nbgrader.api import Gradebook
    from nbgrader.plugins import CsvExportPlugin

    cfg = course.config(**overrides)
    exporter = CsvExportPlugin(config=cfg)
    exporter.to = str(out)
    with Gradebook(cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id) as book:
        exporter.assignment = chosen_assignments(book, wanted)
        exporter.export(book)


def _canvas(table: Table):
    head = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *table.assignments]
    points = ["Points Possible", "", "", "", "", *(f"{table.max_score[a]:g}"
                                                  for a in table.assignments)]
    return head, [points], lambda s: [f"{s.last_name}, {s.first_name}", s.lms_id,
                                      s.sis_id or s.student_id, s.username, s.section]


def _moodle(table: Table):
    head = ["First name", "Last name", "ID number", "Email address", *table.assignments]
    return head, [], lambda s: [s.first_name, s.last_name, s.sis_id or s.student_id, s.email]


def _blackboard(table: Table):
    head = ["Last Name", "First Name", "Username", "Student ID",
            *(f"{a} [Total Pts: {table.max_score[a]:g} Score]" for a in table.assignments)]
    return head, [], lambda s: [s.last_name, s.first_name, s.username or s.student_id, s.sis_id]


def _brightspace(table: Table):
    head = ["OrgDefinedId", "Username", *(f"{a} Points Grade" for a in table.assignments),
            "End-of-Line Indicator"]
    return head, [], lambda s: [s.sis_id, s.username or s.student_id]


LAYOUTS = {"canvas": _canvas, "moodle": _moodle, "blackboard": _blackboard,
           "brightspace": _brightspace}


def _rows(table: Table, lms: str) -> list[list]:
    """Header and rows of one LMS's import file: its id columns, then one score per assignment."""
    head, rows, ids = LAYOUTS[lms](table)
    tail = ["#"] if lms == "brightspace" else []
    for s in table.students:
        rows.append([*ids(s), *(f"{table.score[(s.student_id, a)]:g}" for a in table.assignments),
                     *tail])
    return [head, *rows]


def export(fmt: str, out: str | Path, roster_file: str | Path | None = None,
           assignments: list[str] | None = None, **overrides) -> Path:
    """Write the gradebook in ``fmt`` (one of FORMATS) to ``out``: ``assignments``, else those
    handed in."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    students = roster.load(roster_file) if roster_file else []
    if fmt == "csv":
        if students:
            cfg = course.config(**overrides)
            roster.enrol(students, cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id)
        _nbgrader_csv(overrides, out, assignments)
        return out
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    rows = _rows(read_gradebook(overrides, students, assignments), fmt)
    with open(out, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL if fmt == "blackboard" else csv.QUOTE_MINIMAL
                   ).writerows(rows)
    return out
