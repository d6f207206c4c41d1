"""The class roster: who the students are, under every name the LMS knows them by.

A roster is a CSV file with a header row. Only ``student_id`` (the course's id for the
student, used as their folder name) is required; the other columns are used when present:

``first_name, last_name, email`` -- for the gradebook and the exports;
``lms_id``   -- the LMS's numeric user id (Canvas user id, Moodle participant id), found in
               the file names of a bulk download;
``sis_id``   -- the institution's id (Canvas SIS User ID, Moodle ID number, Brightspace
               OrgDefinedId, Blackboard Student ID);
``username`` -- the login (Canvas SIS Login ID, Moodle and Blackboard username, Brightspace
               Username);
``section``  -- the course section.

Header names are read without case or spaces ("Student ID" is ``student_id``). The file may
be UTF-8 (with or without the BOM Excel adds), UTF-16, or Windows-1252 as Excel saves "CSV"
on Windows, separated by commas, semicolons or tabs. A roster is checked when read: an empty
file, a missing ``student_id`` column, a row without one, or an id (of any kind) on two rows
is refused with the file, the lines and what to fix, since one id on two rows would file one
student's work under another.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, fields
from pathlib import Path

from autograde.problems import BadInput


@dataclass(frozen=True)
class Student:
    """One row of the roster."""
    student_id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    lms_id: str = ""
    sis_id: str = ""
    username: str = ""
    section: str = ""


COLUMNS = [f.name for f in fields(Student)]
# Ids that name one student each: two rows sharing one would file or grade one student's
# work as another's. E-mail addresses and usernames are compared without case.
UNIQUE = ("student_id", "lms_id", "sis_id", "username", "email")
FOLDER_NAME = re.compile(r"[\w@+-][\w.@+-]*")


def decode(raw: bytes) -> str:
    """The text of a CSV as Excel and LMSs save it: UTF-8 (with or without BOM), UTF-16 with
    BOM, else Windows-1252 (Excel's "CSV" on Windows), whose bytes Latin-1 also covers."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _column(header: str) -> str:
    """A header cell as a roster column name: "Student ID" and "student_id" are the same."""
    return re.sub(r"[\s_]+", "_", header.strip().lower())


def _rows(path: Path, text: str):
    """(line number, row) of every non-blank row; the delimiter is the header's , ; or tab."""
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [_column(h) for h in next(reader, [])]
    if "student_id" not in header:
        raise BadInput(f"roster {path}: its first row needs a student_id column (it has "
                       f"{', '.join(h for h in header if h) or 'no column names'})")
    for row in reader:
        if any(cell.strip() for cell in row):
            yield reader.line_num, dict(zip(header, (cell.strip() for cell in row)))


def _student(path: Path, line: int, row: dict) -> Student:
    student = Student(**{k: row.get(k) or "" for k in COLUMNS})
    if not student.student_id:
        raise BadInput(f"roster {path}, line {line}: the row has no student_id; "
                       "give every student one (it names their folder)")
    if student.lms_id and not student.lms_id.isdigit():
        raise BadInput(f"roster {path}, line {line}: lms_id {student.lms_id!r} is not the whole "
                       "number the LMS uses (a spreadsheet may have reformatted it, as 5.1E+03 "
                       "or 5101.0): format the column as text and type the ids again")
    if not FOLDER_NAME.fullmatch(student.student_id):
        raise BadInput(f"roster {path}, line {line}: student_id {student.student_id!r} cannot "
                       "name a folder; use letters, digits, '.', '-', '_' or '@'")
    return student


def _duplicates(path: Path, students: list[tuple[int, Student]]) -> None:
    """BadInput naming every id that two or more rows share, with their line numbers."""
    problems = []
    for column in UNIQUE:
        lines: dict[str, list[int]] = {}
        for line, student in students:
            value = getattr(student, column)
            if value:
                lines.setdefault(value.casefold() if column in ("email", "username") else value,
                                 []).append(line)
        problems += [f"{column} {value} is on lines {', '.join(map(str, at))}"
                     for value, at in lines.items() if len(at) > 1]
    if problems:
        raise BadInput(f"roster {path}: {'; '.join(problems)}: each student needs ids of their "
                       "own; correct the roster and run the command again")


def load(path: str | Path) -> list[Student]:
    """The students of a roster CSV, checked: BadInput naming the file and the lines when it is
    missing, empty, has no student_id column, or gives one id to two rows."""
    if not str(path).strip():
        raise BadInput("the roster's file name is empty: give the CSV file of your class list")
    path = Path(path)
    if path.is_dir() or not path.is_file():
        raise BadInput(f"roster {path} is not a file: give the CSV file of your class list")
    text = decode(path.read_bytes())
    if not text.strip():
        raise BadInput(f"roster {path} is empty: it needs a header row with student_id and "
                       "one row per student")
    students = [(line, _student(path, line, row)) for line, row in _rows(path, text)]
    if not students:
        raise BadInput(f"roster {path} lists no student: add one row per student under "
                       "its header")
    _duplicates(path, students)
    return [student for _, student in students]


def save(students: list[Student], path: str | Path) -> None:
    """Write a roster CSV with every column."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        for student in students:
            writer.writerow(student.__dict__)


def by_lms_id(students: list[Student]) -> dict[str, Student]:
    """Roster rows keyed by LMS user id (rows without one are left out)."""
    return {s.lms_id: s for s in students if s.lms_id}


def enrol(students: list[Student], db_url: str, course_id: str) -> None:
    """Put the roster's names and emails into the gradebook."""
    from nbgrader.api import Gradebook

    from autograde.course import venv_bin_on_path

    venv_bin_on_path()
    with Gradebook(db_url, course_id) as book:
        for s in students:
            book.update_or_create_student(s.student_id, first_name=s.first_name or None,
                                          last_name=s.last_name or None, email=s.email or None)
