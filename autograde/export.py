"""``export``: the gradebook as a file an LMS imports, one row per student of the roster.

* ``csv``: nbgrader's own export (assignment, duedate, timestamp, student_id, last_name,
  first_name, email, raw_score, late_submission_penalty, score, max_score), one row per
  student and assignment;
* ``canvas``: Canvas's gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, one
  column per assignment and a Points Possible row. Canvas's importer
  (app/models/gradebook_importer.rb in instructure/canvas-lms) finds a row's student by the
  ID column (the Canvas user id), else by SIS User ID, else by SIS Login ID, and only then by
  the name in the Student column; a student it cannot find becomes a row of "students that
  could not be found". An assignment column headed ``Name (123)`` goes to assignment 123
  (``Assignment.title_and_id``), else to the assignment with that exact title, else becomes a
  new assignment. Give the ids with ``lms_ids`` or a Canvas gradebook export to update
  assignments Canvas already has.
* ``moodle``: Moodle's CSV grade import: First name, Last name, ID number, Email address and
  one column per assignment. The instructor maps "Email address" to the user ("useremail")
  and each column to its grade item (docs.moodle.org, "Grade import"). Moodle's importer
  (grade/import/csv/classes/load_data.php) stops the whole import at a row whose e-mail
  matches no user ("User not found"), and a row whose e-mail is blank keeps the student of
  the row before it, so every row must carry a real e-mail.
* ``blackboard``: Grade Center upload: Last Name, First Name, Username, Student ID and one
  ``<assignment> [Total Pts: <max> Score]`` column per assignment (Username is the key; with
  an LMS id the header ends ``|<id>`` as Blackboard's own download writes it);
* ``brightspace``: Grades import: OrgDefinedId, Username, ``<assignment> Points Grade``
  columns and the End-of-Line Indicator column.

With a roster the file has exactly the roster's students, in the roster's ids (a gradebook
student who is not on it -- a test account, a dropped student -- is left out and named in a
warning); without one, the gradebook's students. Every row must carry the id its LMS finds a
student by: a row without it is refused before anything is written, since the LMS would skip
it, stop, or give its grades to someone else. A student with no submission scores zero, as in
nbgrader's export; a late one scores what the course's late policy leaves (nbgrader's score
less its late penalty), and every late hand-in is named in a warning. Only assignments that
someone has handed in are exported (or the ones named): ``release`` enters every module into
the gradebook at the start of term, and a column of zeros for a module not yet due would
overwrite or create that LMS grade item.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from autograde import course, problems, roster
from autograde.problems import BadInput

FORMATS = ("csv", "canvas", "moodle", "blackboard", "brightspace")
# The fields each LMS finds a student by (any one of them will do), as roster columns.
KEYS = {"canvas": ("lms_id", "sis_id", "username"), "moodle": ("email",),
        "blackboard": ("username",), "brightspace": ("username", "sis_id")}
KEY_WORDS = {"lms_id": "Canvas user id (lms_id)", "sis_id": "SIS id (sis_id)",
             "username": "username", "email": "e-mail address (email)"}
CANVAS_TITLE_AND_ID = re.compile(r"\A(.*)\s\((\d+)\)\Z")   # Canvas's Assignment.title_and_id


@dataclass
class Table:
    """Scores by student and assignment, with each assignment's maximum."""
    students: list[roster.Student]
    assignments: list[str]
    max_score: dict[str, float]
    score: dict[tuple[str, str], float]
    lms_ids: dict[str, str] = field(default_factory=dict)


@dataclass
class Exported:
    """The file written, how many students it holds, and what the instructor should know."""
    path: Path
    rows: int
    warnings: list[str] = field(default_factory=list)


def chosen_assignments(book, wanted: list[str] | None) -> list[str]:
    """The assignments to export: ``wanted``, else every one with at least one submission."""
    names = [a.name for a in book.assignments]
    if wanted:
        unknown = [w for w in wanted if w not in names]
        if unknown:
            raise BadInput(f"--assignment {', '.join(unknown)}: not in the gradebook (it has "
                           f"{', '.join(names) or 'no assignment yet: run release'})")
        return [n for n in names if n in wanted]
    handed_in = [a.name for a in book.assignments if a.num_submissions]
    if not handed_in:
        raise BadInput("no assignment has a submission yet: run collect and grade first")
    return handed_in


def _gradebook():
    from nbgrader.api import Gradebook

    course.venv_bin_on_path()
    return Gradebook


def read_gradebook(overrides: dict, students: list[roster.Student] | None,
                   wanted: list[str] | None = None) -> tuple[Table, list[str]]:
    """The scores (late penalty taken off) of the chosen assignments for the roster's
    students (or the gradebook's, without a roster), and the warnings to show."""
    from nbgrader.api import MissingEntry

    cfg = course.config(**overrides)
    warnings = []
    with _gradebook()(cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id) as book:
        names = chosen_assignments(book, wanted)
        in_book = [roster.Student(s.id, s.first_name or "", s.last_name or "", s.email or "")
                   for s in book.students]
        people = in_book if students is None else students
        if students is not None:
            listed = {s.student_id for s in students}
            extra = sorted(s.student_id for s in in_book if s.student_id not in listed)
            if extra:
                warnings.append(f"left out {len(extra)} gradebook student(s) not on the roster: "
                                f"{', '.join(extra)}")
        scores = {}
        for name in names:
            for person in people:
                try:
                    found = book.find_submission(name, person.student_id)
                except MissingEntry:
                    scores[(person.student_id, name)] = 0.0
                    continue
                penalty = found.late_submission_penalty or 0.0
                scores[(person.student_id, name)] = max(0.0, found.score - penalty)
                if found.total_seconds_late > 0:
                    warnings.append(f"late: {person.student_id} {name}, "
                                    f"{duration(found.total_seconds_late)} after the due date; "
                                    f"late penalty {penalty:g} of {found.score:g} point(s)")
        maxima = {a.name: a.max_score for a in book.assignments}
    return Table(people, names, maxima, scores), warnings


def duration(seconds: float) -> str:
    """A lateness in words: "1 s", "12 min", "33.2 h", "3.5 days"."""
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 3 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def _nbgrader_csv(overrides: dict, out: Path, wanted: list[str] | None,
                  students) -> tuple[int, list[str]]:
    """nbgrader's CSV of the chosen assignments for the roster's students (else all); the
    number of students and the warnings."""
    from nbgrader.plugins import CsvExportPlugin

    cfg = course.config(**overrides)
    exporter = CsvExportPlugin(config=cfg)
    exporter.to = str(out)
    with _gradebook()(cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id) as book:
        exporter.assignment = chosen_assignments(book, wanted)
        warnings = []
        if students is not None:
            exporter.student = [s.student_id for s in students]
            extra = sorted(s.id for s in book.students if s.id not in set(exporter.student))
            if extra:
                warnings.append(f"left out {len(extra)} gradebook student(s) not on the roster: "
                                f"{', '.join(extra)}")
        exporter.export(book)
        return len(exporter.student or book.students), warnings


def _canvas(table: Table):
    titles = [f"{a} ({table.lms_ids[a]})" if a in table.lms_ids else a for a in table.assignments]
    head = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *titles]
    points = ["Points Possible", "", "", "", "", *(f"{table.max_score[a]:g}"
                                                  for a in table.assignments)]
    return head, [points], lambda s: [f"{s.last_name}, {s.first_name}", s.lms_id, s.sis_id,
                                      s.username, s.section]


def _moodle(table: Table):
    head = ["First name", "Last name", "ID number", "Email address", *table.assignments]
    return head, [], lambda s: [s.first_name, s.last_name, s.sis_id, s.email]


def _blackboard(table: Table):
    head = ["Last Name", "First Name", "Username", "Student ID",
            *(f"{a} [Total Pts: {table.max_score[a]:g} Score]"
              + (f" |{table.lms_ids[a]}" if a in table.lms_ids else "")
              for a in table.assignments)]
    return head, [], lambda s: [s.last_name, s.first_name, s.username, s.sis_id]


def _brightspace(table: Table):
    head = ["OrgDefinedId", "Username", *(f"{a} Points Grade" for a in table.assignments),
            "End-of-Line Indicator"]
    return head, [], lambda s: [s.sis_id, s.username]


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


def require_keys(students: list[roster.Student], lms: str, roster_file) -> None:
    """BadInput naming every student without an id ``lms`` can find them by."""
    keys = KEYS[lms]
    missing = [s.student_id for s in students if not any(getattr(s, k) for k in keys)]
    if missing:
        where = f"the roster {roster_file}" if roster_file else "a roster (--roster FILE)"
        shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
        raise BadInput(f"{len(missing)} student(s) have no {' or '.join(KEY_WORDS[k] for k in keys)},"
                       f" which {lms.capitalize()}'s import finds students by: {shown}; "
                       f"give them one in {where}")


def canvas_ids(path: str | Path) -> dict[str, str]:
    """Assignment ids from a gradebook CSV exported from Canvas: its ``Name (id)`` headers."""
    path = problems.input_file(path, "a Canvas gradebook export",
                               "give the CSV file of Canvas's Grades, Export")
    first = roster.decode(path.read_bytes()).splitlines()[:1]
    header = next(csv.reader(first), [])
    if header[:2] != ["Student", "ID"]:
        raise BadInput(f"{path} is not a Canvas gradebook export (it starts "
                       f"{', '.join(header[:2]) or 'empty'}): use Canvas's Grades, Export")
    return {m[1]: m[2] for m in map(CANVAS_TITLE_AND_ID.match, header) if m}


def _lms_ids(fmt: str, table: Table, given: dict[str, str], gradebook) -> list[str]:
    """Put the LMS's assignment ids into ``table``; warnings for assignments left without."""
    if not (given or gradebook):
        return []
    if fmt not in ("canvas", "blackboard"):
        raise BadInput(f"--lms-id and --lms-gradebook are for canvas and blackboard exports, "
                       f"not {fmt}")
    unknown = sorted(set(given) - set(table.assignments))
    if unknown:
        raise BadInput(f"--lms-id {', '.join(unknown)}: not an exported assignment (the file "
                       f"has {', '.join(table.assignments)})")
    found = canvas_ids(gradebook) if gradebook else {}
    table.lms_ids = {a: given.get(a) or found[a] for a in table.assignments
                     if a in given or a in found}
    return [f"{a}: no id given and no column of that name in {gradebook}; it will be a new "
            "assignment column" for a in table.assignments if a not in table.lms_ids and gradebook]


def export(fmt: str, out: str | Path, roster_file: str | Path | None = None,
           assignments: list[str] | None = None, lms_ids: dict[str, str] | None = None,
           lms_gradebook: str | Path | None = None, **overrides) -> Exported:
    """Write the gradebook in ``fmt`` (one of FORMATS) to ``out``: ``assignments``, else those
    handed in; the roster's students (else the gradebook's)."""
    if fmt not in FORMATS:
        raise BadInput(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    students = roster.load(roster_file) if roster_file is not None else None
    out = problems.output_file(out, "the grades")
    if fmt == "csv":
        if students:
            cfg = course.config(**overrides)
            roster.enrol(students, cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id)
        return Exported(out, *_nbgrader_csv(overrides, out, assignments, students))
    table, warnings = read_gradebook(overrides, students, assignments)
    require_keys(table.students, fmt, roster_file)
    warnings = _lms_ids(fmt, table, lms_ids or {}, lms_gradebook) + warnings
    table.students.sort(key=lambda p: (p.last_name, p.first_name, p.student_id))
    with open(out, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL if fmt == "blackboard" else csv.QUOTE_MINIMAL
                   ).writerows(_rows(table, fmt))
    return Exported(out, len(table.students), warnings)
