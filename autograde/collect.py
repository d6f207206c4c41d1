"""``collect``: turn an LMS bulk download into nbgrader's submitted/<student>/<assignment>/.

Two LMS namings are understood:

* Canvas ("Download Submissions"): ``lastfirst_<user id>_<submission id>_<file name>``, with
  ``_LATE`` after the name for a late hand-in and ``-1``, ``-2`` ... added before the
  extension when a student handed in a file of the same name again;
* Moodle ("Download all submissions"): ``<Full Name>_<participant id>_assignsubmission_file_``
  followed by the file name, or by a folder holding the files.

The LMS user id is mapped to the course's student id through the roster's ``lms_id`` column;
without a roster the LMS name is used. Moodle's number is not the user id but a participant id
that Moodle makes for each assignment (``get_uniqueid_for_user`` in mod/assign), so a number the
roster does not know falls back to the name: a file is filed under the one roster student
whose first and last name (either order) it carries, and the match is reported. A notebook
handed in under the wrong name is recognised by its cells. Nothing is lost or replaced silently: files that match no student go to
``course/unmatched/<assignment>/``, and when a student's file is replaced by a later one the
earlier one is kept under ``.replaced/`` (a folder nbgrader ignores) and the change is reported.
"""
from __future__ import annotations

import os
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

from autograde import restore, roster
from autograde.course import Course

CANVAS = re.compile(r"^(?P<name>[a-z]+)(?P<late>_LATE)?_(?P<uid>\d+)_(?P<sid>\d+)_(?P<file>.+)$")
MOODLE = re.compile(r"^(?P<name>[^/]+?)_(?P<uid>\d+)_assignsubmission_[a-z]+_/?(?P<file>.+)$")
COPY_SUFFIX = re.compile(r"(-\d+| ?\(\d+\))$")


@dataclass
class Entry:
    """One file of the download: who sent it, what it is called, when."""
    path: str
    name: str
    lms_id: str
    file: str
    when: datetime
    attempt: int = 0


@dataclass
class Collected:
    """What ``collect`` did, for the instructor to read."""
    placed: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)


def parse(path: str, when: datetime) -> Entry | None:
    """The sender and file name in an LMS download entry, or None if it follows no naming."""
    for pattern in (CANVAS, MOODLE):
        match = pattern.match(path)
        if match:
            stem, dot, ext = match["file"].rpartition(".")
            attempt = re.search(r"-(\d+)$", stem) if dot else None
            return Entry(path, match["name"], match["uid"], match["file"], when,
                         int(attempt.group(1)) if attempt else 0)
    return None


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", name.lower()) or "unknown"


def by_name(students: list[roster.Student]) -> dict[str, list[roster.Student]]:
    """Roster rows keyed by their first-last and last-first name slugs, as LMS names read."""
    found: dict[str, list[roster.Student]] = {}
    for s in students:
        if s.first_name and s.last_name:
            for key in {_slug(s.first_name + s.last_name), _slug(s.last_name + s.first_name)}:
                found.setdefault(key, []).append(s)
    return found


def _student_of(entry: Entry, students, known, names, report: Collected) -> str | None:
    """The course's id for the sender of ``entry``: by LMS id, else by a name only one has."""
    if entry.lms_id in known:
        return known[entry.lms_id].student_id
    if not students:
        return _slug(entry.name)
    matches = names.get(_slug(entry.name), [])
    if len(matches) != 1:
        return None
    said = (f"{matches[0].student_id}: matched by name ({entry.name}); LMS number "
            f"{entry.lms_id} is not on the roster")
    if said not in report.messages:
        report.messages.append(said)
    return matches[0].student_id


def _notebook_name(entry: Entry, data: bytes, releases: dict) -> str:
    """The released notebook this file is, else its own name (kept as an extra file)."""
    stem, _, ext = entry.file.rpartition(".")
    if ext != "ipynb":
        return PurePosixPath(entry.file).name
    for candidate in (stem, COPY_SUFFIX.sub("", stem)):
        if candidate in releases:
            return f"{candidate}.ipynb"
    try:
        found = restore.identify(restore.read(data), releases)
    except ValueError:
        found = None
    return f"{found}.ipynb" if found else PurePosixPath(entry.file).name


def _place(data: bytes, entry: Entry, target: Path, report: Collected, who: str) -> None:
    """Write ``data`` to ``target``; a different earlier file there is kept under .replaced/."""
    stamp = entry.when.timestamp()
    if target.exists():
        if target.read_bytes() == data:
            return
        older_is_new = target.stat().st_mtime > stamp
        keep = target.parent / ".replaced"
        keep.mkdir(exist_ok=True)
        if older_is_new:
            (keep / f"{entry.when:%Y%m%d-%H%M%S}-{target.name}").write_bytes(data)
            report.messages.append(f"{who}: kept the later {target.name}; an earlier copy "
                                   f"({entry.path}) is in {keep}")
            return
        moved = keep / f"{datetime.fromtimestamp(target.stat().st_mtime):%Y%m%d-%H%M%S}-{target.name}"
        shutil.move(target, moved)
        report.messages.append(f"{who}: {target.name} replaced by a later submission "
                               f"({entry.path}); the earlier one is in {moved}")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    os.utime(target, (stamp, stamp))
    report.placed.append(str(target))


def _entries(archive: zipfile.ZipFile):
    for info in archive.infolist():
        base = PurePosixPath(info.filename).name
        if info.is_dir() or base.startswith(".") or "__MACOSX" in info.filename:
            continue
        yield info, datetime(*info.date_time)


def collect(assignment: str, archive: str | Path, roster_file: str | Path | None = None,
            **overrides) -> Collected:
    """Ingest an LMS bulk download of ``assignment`` into the submitted/ folders."""
    where = Course(**overrides)
    releases = {n: restore.read(p.read_bytes()) for n, p in where.notebooks(assignment).items()}
    students = roster.load(roster_file) if roster_file else []
    known, names = roster.by_lms_id(students), by_name(students)
    report = Collected()
    unmatched = where.folder("unmatched", assignment=assignment)
    with zipfile.ZipFile(archive) as bundle:
        items = [(info, when, parse(info.filename, when)) for info, when in _entries(bundle)]
        # oldest first, so that each later hand-in replaces the earlier one
        items.sort(key=lambda i: (i[1], i[2].attempt if i[2] else 0, i[0].filename))
        for info, when, entry in items:
            data = bundle.read(info)
            student = _student_of(entry, students, known, names, report) if entry else None
            if student is None:
                unmatched.mkdir(parents=True, exist_ok=True)
                (unmatched / PurePosixPath(info.filename).name).write_bytes(data)
                why = "not on the roster" if entry else "not an LMS download file name"
                report.unmatched.append(f"{info.filename}: {why}; saved in {unmatched}")
                continue
            name = _notebook_name(entry, data, releases)
            if name != PurePosixPath(entry.file).name:
                report.messages.append(f"{student}: {entry.file!r} filed as {name}")
            folder = where.folder("submitted", student, assignment)
            _place(data, entry, folder / name, report, student)
            (folder / "timestamp.txt").write_text(f"{when:%Y-%m-%d %H:%M:%S}")
    if students:
        roster.enrol(students, where.dirs.db_url, where.dirs.course_id)
    return report
