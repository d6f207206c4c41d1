"""``collect``: turn an LMS bulk download into nbgrader's submitted/<student>/<assignment>/.

Two LMS namings are understood:

* Canvas ("Download Submissions"): ``<sortable name>[_LATE]_<user id>_<file id>_<file name>``.
  Canvas's ``ContentZipper`` (app/models/content_zipper.rb in instructure/canvas-lms) builds
  the name from the student's sortable name, ``LATE`` when Canvas counts the submission late
  (its own due date, with each student's extensions), and the user id, then keeps only word
  characters -- accented letters included -- and lowercases it; a second file of the same name
  gets ``-1``, ``-2`` ... before its extension; a text or link submission is
  ``<name>[_LATE]_<user id>_text.html`` or ``_link.html``. The zip's file times are the time
  of the download, not of the hand-in.
* Moodle ("Download all submissions"): ``<Full Name>_<participant id>_assignsubmission_file_``
  followed by the file name, or by a folder holding the files. Moodle zips each stored file
  from its file store (``stored_file::archive_file`` in lib/filestorage/stored_file.php), so
  an entry's time is when Moodle stored that file -- the hand-in -- on the server's clock, in
  the server's time zone (``zone``, UTC unless given).

The LMS user id is mapped to the course's student id through the roster's ``lms_id`` column;
without a roster the LMS name is used. Moodle's number is not the user id but a participant id
that Moodle makes for each assignment (``get_uniqueid_for_user`` in mod/assign), so a number the
roster does not know falls back to the name: a file is filed under the one roster student
whose first and last name (either order) it carries, and the match is reported.

Each notebook is recognised by its cells against every assignment's source notebooks: one
handed in under another name is filed under the right one, and a download whose notebooks
all belong to another assignment is refused before anything is written. Nothing is released
as a side effect, and nothing is lost or replaced silently: a file that matches no student (or
is another assignment's notebook) goes to ``course/unmatched/<assignment>/`` with its reason
in ``WHY.txt`` there; a file replaced by a later one is kept under ``.replaced/`` (a folder
nbgrader ignores) under a name no other version takes.

Lateness comes from the LMS into nbgrader's ``timestamp.txt``, so the late policy of the
course (``LateSubmissionPlugin.penalty_method`` in nbgrader_config.py) applies when grading:
Canvas says only *whether* a hand-in was late, so a late one is recorded one second after the
due date and an on-time one at most at the due date; Moodle's download carries each file's
time, which is compared with the due date as it is. The due date is the assignment's in the
gradebook, or ``--due``, which sets it there.
"""
from __future__ import annotations

import json
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path, PurePosixPath

from autograde import course, problems, restore, roster
from autograde.course import Course
from autograde.problems import BadInput

CANVAS = re.compile(r"^(?:(?P<name>\w*?)_)??(?:(?P<late>late)_)?(?P<uid>[1-9]\d*)_"
                    r"(?:(?P<sid>[1-9]\d*)_(?P<file>[^/]+)|(?P<entry>text\.html|link\.html))$",
                    re.IGNORECASE)
MOODLE = re.compile(r"^(?P<name>[^/]+?)_(?P<uid>\d+)_assignsubmission_[a-z]+_/?(?P<file>.+)$")
COPY_SUFFIX = re.compile(r"(-\d+| ?\(\d+\))$")
UTF8_NAME = 0x800   # zip flag: the entry's name is UTF-8 (else the zip standard's cp437)
WHY = "WHY.txt"
DOWNLOAD_HELP = ("give the .zip file that Canvas's \"Download Submissions\" or Moodle's "
                 "\"Download all submissions\" made")


@dataclass
class Entry:
    """One file of the download: who sent it, what it is called, when, and whether the LMS
    counts it late (None when the LMS's naming does not say)."""
    path: str
    name: str
    lms_id: str
    file: str
    when: datetime
    attempt: int = 0
    late: bool | None = None
    file_id: int = 0

    def order(self) -> tuple:
        """Oldest first: by time, then Canvas's file id (ids grow with each upload, and all
        of a Canvas zip's times are the download's), then the -1, -2 copy number."""
        return self.when, self.file_id, self.attempt, self.path


@dataclass
class Collected:
    """What ``collect`` did, for the instructor to read."""
    placed: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)


def parse(path: str, when: datetime) -> Entry | None:
    """The sender and file name in an LMS download entry, or None if it follows no naming.
    Folders around the LMS's names (a download unzipped and zipped again) are looked through."""
    path = unicodedata.normalize("NFC", path)
    parts = PurePosixPath(path).parts
    for start in range(len(parts)):
        entry = _parse_name("/".join(parts[start:]), path, when)
        if entry:
            return entry
    return None


def _parse_name(name: str, path: str, when: datetime) -> Entry | None:
    for pattern in (MOODLE, CANVAS):
        match = pattern.match(name)
        if match:
            file = match["file"] or match["entry"]
            stem, dot, _ = file.rpartition(".")
            attempt = re.search(r"-(\d+)$", stem) if dot else None
            late = bool(match["late"]) if pattern is CANVAS else None
            file_id = int(match["sid"] or 0) if pattern is CANVAS else 0
            return Entry(path, match["name"] or "", match["uid"], file, when,
                         int(attempt.group(1)) if attempt else 0, late, file_id)
    return None


def entry_name(info: zipfile.ZipInfo) -> str:
    """An entry's name as the LMS wrote it: a UTF-8 name the zip did not flag as UTF-8 (Python
    then reads it as cp437, and "núñez" as "n├║├▒ez") is read as UTF-8."""
    if info.flag_bits & UTF8_NAME:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except UnicodeError:
        return info.filename


def _slug(name: str) -> str:
    """A name as Canvas writes it in a file name: lower case, letters and digits only."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFC", name).casefold()) or "unknown"


def canvas_name(student: roster.Student) -> str:
    """The name Canvas puts in a download's file names: the sortable name "Last, First" with
    only its word characters, lower case ("Núñez, José" -> "núñezjosé")."""
    return _slug(f"{student.last_name}, {student.first_name}")


def by_name(students: list[roster.Student]) -> dict[str, list[roster.Student]]:
    """Roster rows keyed by their first-last and last-first name slugs, as LMS names read."""
    found: dict[str, list[roster.Student]] = {}
    for s in students:
        if s.first_name and s.last_name:
            for key in {_slug(s.first_name + s.last_name), _slug(s.last_name + s.first_name)}:
                found.setdefault(key, []).append(s)
    return found


class Catalogue:
    """Every notebook of every assignment, by the grade ids and cell ids only it has."""

    def __init__(self, where: Course):
        top = Path(where.folder("source", ".", "x")).parent
        seen: dict[str, set[tuple[str, str]]] = {}
        for path in sorted(top.glob("*/*.ipynb")):
            for mark in restore.marks(json.loads(path.read_text(encoding="utf-8"))):
                seen.setdefault(mark, set()).add((path.parent.name, path.stem))
        self.marks: dict[tuple[str, str], set[str]] = {}
        for mark, owners in seen.items():
            if len(owners) == 1:
                self.marks.setdefault(next(iter(owners)), set()).add(mark)

    def notebooks(self, assignment: str) -> list[str]:
        return sorted(nb for a, nb in self.marks if a == assignment)

    def which(self, data: bytes) -> tuple[str, str] | None:
        """(assignment, notebook) a submitted file is, or None (not a notebook of the course)."""
        try:
            have = restore.marks(restore.read(data))
        except ValueError:
            return None
        scored = max(((len(have & marks), key) for key, marks in self.marks.items()), default=None)
        return scored[1] if scored and scored[0] else None


def _student_of(entry: Entry, students, known, names, report: Collected) -> str | None:
    """The course's id for the sender of ``entry``: by LMS id, else by a name only one has."""
    if entry.lms_id in known:
        return known[entry.lms_id].student_id
    if not students:
        return _slug(entry.name) if entry.name else None
    matches = names.get(_slug(entry.name), [])
    if len(matches) != 1:
        return None
    said = (f"{matches[0].student_id}: matched by name ({entry.name}); LMS number "
            f"{entry.lms_id} is not on the roster")
    if said not in report.messages:
        report.messages.append(said)
    return matches[0].student_id


def _why_unmatched(entry: Entry | None, students) -> str:
    if entry is None:
        return "not an LMS download file name"
    if not entry.name:
        return "no name in the file name and LMS number not on the roster"
    if students and len(by_name(students).get(_slug(entry.name), [])) > 1:
        return f"LMS number {entry.lms_id} is not on the roster and two students are called {entry.name}"
    return f"LMS number {entry.lms_id} and name {entry.name!r} are not on the roster"


def keep(folder: Path, name: str, data: bytes) -> Path | None:
    """Write ``data`` as ``folder/name``, or as name-2, name-3 ... when a different file has
    that name; None when an identical copy is there already. Never overwrites."""
    folder.mkdir(parents=True, exist_ok=True)
    stem, dot, ext = name.rpartition(".")
    stem, ext = (stem, dot + ext) if stem else (name, "")
    for n in range(1, 10_000):
        path = folder / (name if n == 1 else f"{stem}-{n}{ext}")
        if not path.exists():
            path.write_bytes(data)
            return path
        if path.read_bytes() == data:
            return None
    raise BadInput(f"{folder} holds 10,000 versions of {name}: empty it and collect again")


def _place(data: bytes, entry: Entry, target: Path, report: Collected, who: str) -> None:
    """Write ``data`` to ``target``; a different earlier file there is kept under .replaced/."""
    stamp = entry.when.timestamp()
    if target.exists():
        if target.read_bytes() == data:
            return
        keep_in = target.parent / ".replaced"
        if target.stat().st_mtime > stamp:  # what is filed is the later one: keep this aside
            kept = keep(keep_in, f"{entry.when:%Y%m%d-%H%M%S}-{target.name}", data)
            report.messages.append(f"{who}: kept the later {target.name}; an earlier copy "
                                   f"({entry.path}) is {kept or 'already'} in {keep_in}")
            return
        earlier = datetime.fromtimestamp(target.stat().st_mtime)
        kept = keep(keep_in, f"{earlier:%Y%m%d-%H%M%S}-{target.name}", target.read_bytes())
        report.messages.append(f"{who}: {target.name} replaced by a later submission "
                               f"({entry.path}); the earlier one is {kept or 'already'} in {keep_in}")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    os.utime(target, (stamp, stamp))
    report.placed.append(str(target))


def hidden(name: str) -> bool:
    """A file under a hidden or system folder of the zip: Jupyter's checkpoints, macOS's
    __MACOSX copies. Set aside, never filed: a checkpoint would pass for the notebook."""
    return any(part.startswith(".") or part == "__MACOSX" for part in PurePosixPath(name).parts)


def _file_versions(versions: list[tuple[Entry, bytes]], target: Path, report: Collected,
                   who: str) -> None:
    """File the last of one student's versions of one file; keep each earlier one."""
    *earlier, (last, data) = versions
    keep_in = target.parent / ".replaced"
    for entry, old in earlier:
        if old != data and keep(keep_in, f"{entry.when:%Y%m%d-%H%M%S}-{target.name}", old):
            report.messages.append(f"{who}: {target.name} replaced by a later submission "
                                   f"({last.path}); the earlier one ({entry.path}) is kept in "
                                   f"{keep_in}")
    _place(data, last, target, report, who)


def _read_download(archive: Path) -> list[tuple[str, datetime, bytes]]:
    """(name, time, bytes) of every file in the zip, or BadInput saying what is wrong with it."""
    if not zipfile.is_zipfile(archive):
        raise BadInput(f"{archive} is not a zip file: {DOWNLOAD_HELP}")
    try:
        with zipfile.ZipFile(archive) as bundle:
            return [(entry_name(info), datetime(*info.date_time), bundle.read(info))
                    for info in bundle.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise BadInput(f"{archive} is damaged ({error}): download it from the LMS again") from error


def _refuse_another_assignment(archive: Path, assignment: str, found: list) -> None:
    """BadInput when every recognised notebook of the download belongs to another assignment."""
    mine = [w for w in found if w and w[0] == assignment]
    others = sorted({w[0] for w in found if w and w[0] != assignment})
    if others and not mine:
        raise BadInput(f"{archive} holds notebooks of {', '.join(others)}, not of {assignment}: "
                       f"collect it as {others[0]} (python -m autograde collect {others[0]} "
                       f"{archive}), or download {assignment}'s submissions from the LMS")


def due_date(where: Course, assignment: str, due: str | None) -> datetime | None:
    """The assignment's due date (UTC): ``due`` (then saved in the gradebook), else the
    gradebook's, else None."""
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.utils import parse_utc

    course.venv_bin_on_path()
    with Gradebook(where.dirs.db_url, where.dirs.course_id) as book:
        if due:
            try:
                when = parse_utc(due)
            except (ValueError, OverflowError) as error:
                raise BadInput(f"--due {due!r} is not a date and time: write it as "
                               "2026-03-01 23:59 (UTC) or 2026-03-01 23:59 America/Chicago") from error
            book.update_or_create_assignment(assignment, duedate=when)
            return when
        try:
            return book.find_assignment(assignment).duedate
        except MissingEntry:
            return None


def _timestamp(entries: list[Entry], due: datetime | None) -> tuple[datetime | None, bool | None]:
    """When a student handed in, as nbgrader should see it, and whether it was late.

    Canvas's times are the download's: an on-time hand-in is recorded at most at the due date,
    a late one one second after it (Canvas does not say how late), and with no due date no
    time is recorded (a due date set later would find every hand-in late by the download's
    time). Moodle's times are the files'."""
    when = max(e.when for e in entries)
    said = [e.late for e in entries if e.late is not None]
    if said:
        late = any(said)
        if due is None:
            return None, late
        return (due + timedelta(seconds=1) if late else min(when, due)), late
    return when, (when > due if due else None)


def in_utc(when: datetime, zone: str | None) -> datetime:
    """A zip entry's time (the clock of the LMS server, in ``zone``) in UTC, as nbgrader keeps it."""
    if not zone:
        return when
    from dateutil import tz

    found = tz.gettz(zone)
    if found is None:
        raise BadInput(f"--zone {zone!r} is not a time zone: give one such as America/Chicago "
                       "or Europe/Berlin")
    return when.replace(tzinfo=found).astimezone(tz.UTC).replace(tzinfo=None)


def collect(assignment: str, archive: str | Path, roster_file: str | Path | None = None,
            due: str | None = None, zone: str | None = None, **overrides) -> Collected:
    """Ingest an LMS bulk download of ``assignment`` into the submitted/ folders: ``due`` the
    due date (saved in the gradebook), ``zone`` the time zone of the zip's file times."""
    where = Course(**overrides)
    problems.assignment(where, assignment)
    archive = problems.input_file(archive, "an LMS download", DOWNLOAD_HELP)
    students = roster.load(roster_file) if roster_file is not None else []
    files = [(name, in_utc(when, zone), data) for name, when, data in _read_download(archive)]
    if not any(parse(name, when) for name, when, _ in files):
        raise BadInput(f"{archive}: none of its {len(files)} file(s) is named the way Canvas or "
                       f"Moodle name submissions (such as lastfirst_1234_5678_file.ipynb): "
                       f"{DOWNLOAD_HELP}")
    catalogue = Catalogue(where)
    found = [catalogue.which(data) if name.endswith(".ipynb") and not hidden(name) else None
             for name, _, data in files]
    _refuse_another_assignment(archive, assignment, found)
    deadline = due_date(where, assignment, due)
    known, names = roster.by_lms_id(students), by_name(students)
    report = Collected()
    unmatched = where.folder("unmatched", assignment=assignment)
    handed_in: dict[str, list[Entry]] = {}
    versions: dict[Path, list[tuple[Entry, bytes]]] = {}
    items = [(name, when, data, parse(name, when), nb) for (name, when, data), nb in zip(files, found)]
    # oldest first: the last version of a file is the one filed
    items.sort(key=lambda i: i[3].order() if i[3] else (i[1], 0, 0, i[0]))
    for name, when, data, entry, nb in items:
        if hidden(name):
            _set_aside(unmatched, name, data, "a hidden or system file (such as Jupyter's "
                       ".ipynb_checkpoints or macOS's __MACOSX), not a hand-in", report)
            continue
        student = _student_of(entry, students, known, names, report) if entry else None
        why = None if student else _why_unmatched(entry, students)
        if student and nb and nb[0] != assignment:
            why = f"{student}'s file is {nb[0]}'s notebook {nb[1]}, not part of {assignment}"
        if why:
            _set_aside(unmatched, name, data, why, report)
            continue
        own = PurePosixPath(entry.file)
        filed = f"{nb[1]}.ipynb" if nb else own.name
        if nb and nb[1] not in (own.stem, COPY_SUFFIX.sub("", own.stem)):
            report.messages.append(f"{student}: {entry.file!r} filed as {filed}")
        target = where.folder("submitted", student, assignment) / filed
        versions.setdefault(target, []).append((entry, data))
        handed_in.setdefault(student, []).append(entry)
    for target, handed in versions.items():
        _file_versions(handed, target, report, target.parent.parent.name)
    for student, entries in sorted(handed_in.items()):
        _stamp(where.folder("submitted", student, assignment), student, entries, deadline, report)
    if students:
        roster.enrol(students, where.dirs.db_url, where.dirs.course_id)
    return report


def _set_aside(unmatched: Path, name: str, data: bytes, why: str, report: Collected) -> None:
    """Keep a file that cannot be filed in unmatched/, its reason in WHY.txt beside it."""
    kept = keep(unmatched, name.replace("/", "__"), data)
    if kept:
        with open(unmatched / WHY, "a", encoding="utf-8") as log:
            log.write(f"{kept.name}: {why}\n")
    report.unmatched.append(f"{name}: {why}; saved in {unmatched}")


def _stamp(folder: Path, student: str, entries: list[Entry], due, report: Collected) -> None:
    """Write nbgrader's timestamp.txt (UTC) and report late work."""
    when, late = _timestamp(entries, due)
    stamp = folder / "timestamp.txt"
    if when:
        stamp.write_text(f"{when:%Y-%m-%d %H:%M:%S} UTC")
    else:
        stamp.unlink(missing_ok=True)
    if not late:
        return
    report.late.append(student)
    said = ("the LMS marks it late" if any(e.late for e in entries)
            else f"handed in {when:%Y-%m-%d %H:%M} UTC")
    report.messages.append(f"{student}: late ({said}, due {due:%Y-%m-%d %H:%M} UTC)" if due else
                           f"{student}: {said}, but {folder.name} has no due date: give "
                           "collect --due so the course's late policy can apply")
