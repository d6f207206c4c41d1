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
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, fields
from pathlib import Path


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


def load(path: str | Path) -> list[Student]:
    """Read a roster CSV; ValueError naming the problem when it has no student_id column."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    if rows and "student_id" not in rows[0]:
        raise ValueError(f"{path}: the roster needs a student_id column (has {list(rows[0])})")
    return [Student(**{k: (row.get(k) or "").strip() for k in COLUMNS}) for row in rows
            if (row.get("student_id") or "").strip()]


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

    with Gradebook(db_url, course_id) as book:
        for s in students:
            book.update_or_create_student(s.student_id, first_name=s.first_name or None,
                                          last_name=s.last_name or None, email=s.email or None)
