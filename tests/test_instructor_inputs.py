"""An instructor's inputs never misfile a student (issue 14): rosters, LMS downloads, exports,
late work and plain errors. Every input is in tests/data/instructor/ (downloads as plain-text
descriptions that tests/downloads.py turns into zips)."""
import csv
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograde import collect, course, demo, export, feedback, grading, report, roster
from autograde import __main__ as cli
from autograde.problems import BadInput
from tests import downloads

DATA = downloads.DATA
ASSIGNMENT = "m0_orientation"
DUE = "2026-03-01 23:59"


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """A course with Module 0 released: the downloads are made from its student version."""
    overrides = demo.make_course(tmp_path_factory.mktemp("released"))
    course.release([ASSIGNMENT], **overrides)
    return overrides


@pytest.fixture
def fresh(tmp_path):
    """A course of its own, nothing released: collect needs no release."""
    return demo.make_course(tmp_path / "class")


def _zip(name, released, tmp_path, assignment=ASSIGNMENT) -> Path:
    return downloads.build(name, released, assignment, tmp_path / name.replace(".txt", ".zip"))


def _submitted(overrides) -> Path:
    return Path(overrides["root"]) / "course" / "submitted"


# --- rosters ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name, said", [
    ("roster_duplicate_lms_id.csv", "lms_id 5101 is on lines 2, 3"),
    ("roster_duplicate_student_id.csv", "student_id s01 is on lines 2, 4"),
    ("roster_duplicate_email.csv", "email jose.nunez@example.edu is on lines 2, 3"),
    ("roster_empty.csv", "is empty"),
    ("roster_header_only.csv", "lists no student"),
    ("roster_no_student_id.csv", "needs a student_id column (it has id, name)"),
    ("roster_excel_numbers.csv", "line 3: lms_id '5.1E+03' is not the whole number"),
])
def test_a_roster_that_would_misfile_is_refused_naming_the_file_and_lines(name, said):
    with pytest.raises(BadInput) as refused:
        roster.load(DATA / name)
    message = str(refused.value)
    assert said in message and str(DATA / name) in message and "\n" not in message


def test_an_empty_roster_name_is_no_silent_no_roster(released, fresh, tmp_path):
    with pytest.raises(BadInput, match="the roster's file name is empty"):
        collect.collect(ASSIGNMENT, _zip("canvas_download.txt", released, tmp_path), "", **fresh)
    assert not _submitted(fresh).exists()


def test_rosters_as_excel_saves_them_are_read_with_their_accents():
    latin = roster.load(DATA / "moodle_roster_cp1252.csv")    # Windows-1252, semicolons
    assert [(s.student_id, s.first_name, s.last_name) for s in latin][:2] == [
        ("m01", "José", "Núñez-Example"), ("m02", "Zoë", "Müller-Sample")]
    [bom] = roster.load(DATA / "roster_utf8_bom.csv")          # Excel's "CSV UTF-8", CRLF
    assert (bom.student_id, bom.last_name, bom.lms_id) == ("s01", "Núñez-Example", "5101")
    assert roster.decode("Zoë".encode("utf-16")) == "Zoë"


def test_collect_with_a_duplicate_id_roster_files_nothing(released, fresh, tmp_path):
    archive = _zip("canvas_download.txt", released, tmp_path)
    with pytest.raises(BadInput, match="lms_id 5101 is on lines 2, 3"):
        collect.collect(ASSIGNMENT, archive, DATA / "roster_duplicate_lms_id.csv", **fresh)
    assert not _submitted(fresh).exists()


# --- collect ---------------------------------------------------------------------------------

def test_another_assignments_download_is_refused_and_nothing_is_released(released, fresh,
                                                                          tmp_path):
    archive = _zip("canvas_download.txt", released, tmp_path)
    with pytest.raises(BadInput, match=f"holds notebooks of {ASSIGNMENT}, not of m3_icd10cm"):
        collect.collect("m3_icd10cm", archive, DATA / "canvas_roster.csv", **fresh)
    root = Path(fresh["root"]) / "course"
    assert not (root / "submitted").exists() and not (root / "release").exists()


def test_a_stray_notebook_of_another_assignment_is_set_aside_with_its_reason(released, fresh,
                                                                             tmp_path):
    archive = _zip("mixed_download.txt", released, tmp_path)
    done = collect.collect(ASSIGNMENT, archive, DATA / "canvas_roster.csv", **fresh)
    folder = _submitted(fresh) / "s01" / ASSIGNMENT
    assert sorted(p.name for p in folder.glob("*.ipynb")) == ["01_working_in_a_notebook.ipynb"]
    unmatched = Path(fresh["root"]) / "course" / "unmatched" / ASSIGNMENT
    why = (unmatched / collect.WHY).read_text()
    assert "m3_icd10cm's notebook 01_structure_and_conventions" in why
    assert len(done.unmatched) == 1 and (unmatched / "núñezexamplejosé_5101_80002_01_structure"
                                         "_and_conventions.ipynb").is_file()


def test_canvas_download_nothing_is_lost(released, fresh, tmp_path):
    """Accented names match, renamed notebooks are recognised, every earlier attempt is kept
    under its own name, strays are set aside with a reason: every file given ends somewhere."""
    archive = _zip("canvas_download.txt", released, tmp_path)
    done = collect.collect(ASSIGNMENT, archive, DATA / "canvas_roster.csv", due=DUE, **fresh)
    top = Path(fresh["root"]) / "course"
    assert sorted(p.name for p in (top / "submitted").iterdir()) == ["s01", "s02", "s03", "s04"]
    kept = [p.read_bytes() for p in top.rglob("*") if p.is_file()]
    with zipfile.ZipFile(archive) as bundle:
        for info in bundle.infolist():
            assert bundle.read(info) in kept, info.filename
    ana = top / "submitted" / "s03" / ASSIGNMENT
    attempts = {what for entry, _, what in downloads.lines("canvas_download.txt")
                if entry.startswith("testpatientana") and "01_working" in entry}
    assert attempts == {"blank 01_working_in_a_notebook", "partial 01_working_in_a_notebook",
                        "correct 01_working_in_a_notebook"}
    assert (ana / "01_working_in_a_notebook.ipynb").read_bytes() == downloads.content(
        "correct 01_working_in_a_notebook", released, ASSIGNMENT)
    assert len(list((ana / ".replaced").iterdir())) == 2
    assert sum("01_working_in_a_notebook.ipynb replaced by a later submission" in m
               for m in done.messages) == 2
    assert "s04: 'my work.ipynb' filed as 01_working_in_a_notebook.ipynb" in done.messages
    reasons = (top / "unmatched" / ASSIGNMENT / collect.WHY).read_text()
    assert "strangerzed_5999" in reasons and "not on the roster" in reasons
    assert "readme.txt: not an LMS download file name" in reasons
    # collecting the same download again changes nothing and keeps no further copy
    again = collect.collect(ASSIGNMENT, archive, DATA / "canvas_roster.csv", **fresh)
    assert again.placed == [] and len(list((ana / ".replaced").iterdir())) == 2
    assert not [m for m in again.messages if "replaced" in m]


def test_canvas_late_marker_and_moodle_file_times_become_nbgraders_timestamps(released, tmp_path):
    canvas = demo.make_course(tmp_path / "canvas")
    done = collect.collect(ASSIGNMENT, _zip("canvas_download.txt", released, tmp_path),
                           DATA / "canvas_roster.csv", due=DUE, **canvas)
    stamp = {s: (_submitted(canvas) / s / ASSIGNMENT / "timestamp.txt").read_text()
             for s in ("s01", "s02")}
    assert stamp == {"s01": "2026-03-01 23:59:00 UTC", "s02": "2026-03-01 23:59:01 UTC"}
    assert done.late == ["s02"]
    moodle = demo.make_course(tmp_path / "moodle")
    done = collect.collect(ASSIGNMENT, _zip("moodle_download.txt", released, tmp_path),
                           DATA / "moodle_roster_cp1252.csv", due=DUE, **moodle)
    assert done.late == ["m02"]
    assert (_submitted(moodle) / "m02" / ASSIGNMENT / "timestamp.txt").read_text() == \
        "2026-03-03 09:10:00 UTC"
    assert "m01: matched by name (José Núñez-Example); LMS number 77101 is not on the roster" \
        in done.messages
    # Jupyter's autosaved checkpoint (a right answer Ana never handed in) is set aside
    ana = _submitted(moodle) / "m03" / ASSIGNMENT / "01_working_in_a_notebook.ipynb"
    assert ana.read_bytes() == downloads.content("partial 01_working_in_a_notebook", released,
                                                 ASSIGNMENT)
    assert [u for u in done.unmatched if ".ipynb_checkpoints" in u and "hidden" in u]
    berlin = demo.make_course(tmp_path / "berlin")   # a Moodle server whose clock is in Berlin
    collect.collect(ASSIGNMENT, _zip("moodle_download.txt", released, tmp_path),
                    DATA / "moodle_roster_cp1252.csv", due=DUE, zone="Europe/Berlin", **berlin)
    assert (_submitted(berlin) / "m02" / ASSIGNMENT / "timestamp.txt").read_text() == \
        "2026-03-03 08:10:00 UTC"
    with pytest.raises(BadInput, match="--zone 'Mars/Olympus' is not a time zone"):
        collect.collect(ASSIGNMENT, _zip("moodle_download.txt", released, tmp_path),
                        zone="Mars/Olympus", **berlin)


def test_late_canvas_work_without_a_due_date_is_said(released, fresh, tmp_path):
    done = collect.collect(ASSIGNMENT, _zip("canvas_download.txt", released, tmp_path),
                           DATA / "canvas_roster.csv", **fresh)
    assert [m for m in done.messages if m.startswith("s02:")] == [
        f"s02: the LMS marks it late, but {ASSIGNMENT} has no due date: give collect --due so "
        "the course's late policy can apply"]
    # the zip's times are the download's: no hand-in time is recorded without a due date
    assert not list(_submitted(fresh).glob(f"*/{ASSIGNMENT}/timestamp.txt"))


def test_canvas_names_parse_with_accents_late_and_copies():
    when = collect.datetime(2026, 3, 1)
    entry = collect.parse("núñezexamplejosé_LATE_5101_80001_01_working_in_a_notebook-2.ipynb", when)
    assert (entry.name, entry.lms_id, entry.file, entry.attempt, entry.late) == \
        ("núñezexamplejosé", "5101", "01_working_in_a_notebook-2.ipynb", 2, True)
    assert collect.parse("testpatientana_late_5103_1_x.ipynb", when).late   # Canvas lowercases
    assert collect.parse("testpatientana_5103_1_x.ipynb", when).late is False
    text = collect.parse("testpatientana_LATE_5103_text.html", when)   # a text entry: no file id
    assert (text.lms_id, text.file, text.late) == ("5103", "text.html", True)
    moodle = collect.parse("Zoë Müller-Sample_77102_assignsubmission_file_/x.ipynb", when)
    assert (moodle.name, moodle.lms_id, moodle.file, moodle.late) == \
        ("Zoë Müller-Sample", "77102", "x.ipynb", None)
    assert collect.canvas_name(roster.Student("s01", "José", "Núñez-Example")) == "núñezexamplejosé"
    assert collect.parse("random.ipynb", when) is None
    assert collect.parse("01_working_in_a_notebook.ipynb", when) is None   # a release's name
    assert collect.parse("m0_orientation/01_working_in_a_notebook.ipynb", when) is None


def test_canvas_file_ids_order_the_versions_of_a_file():
    """All of a Canvas zip's times are the download's; its file ids grow with each upload."""
    when = collect.datetime(2026, 3, 10, 8)
    names = ["testpatientana_5103_80007_01_x.ipynb", "testpatientana_5103_80005_01_x-2.ipynb",
             "testpatientana_5103_80006_01_x-1.ipynb"]
    entries = sorted((collect.parse(n, when) for n in names), key=collect.Entry.order)
    assert [e.file_id for e in entries] == [80005, 80006, 80007]


def test_a_utf8_name_the_zip_does_not_flag_as_utf8_is_read_as_utf8(tmp_path):
    """Python reads an unflagged name as cp437 ("n├║├▒ez"); collect reads it as UTF-8."""
    real = "núñezexamplejosé_5101_1_x.ipynb".encode()
    stand_in = b"N" * len(real)
    path = tmp_path / "unflagged.zip"
    with zipfile.ZipFile(path, "w") as bundle:
        bundle.writestr(stand_in.decode(), b"{}")
    path.write_bytes(path.read_bytes().replace(stand_in, real))
    with zipfile.ZipFile(path) as bundle:
        [info] = bundle.infolist()
    assert info.filename != real.decode() and collect.entry_name(info) == real.decode()


# --- exports ---------------------------------------------------------------------------------

def test_an_lms_export_refuses_rows_its_lms_cannot_match(fresh, tmp_path):
    """Moodle stops at (or misfiles after) a row without an e-mail; Canvas needs an id."""
    from nbgrader.api import Gradebook

    people = roster.load(DATA / "roster_missing_email.csv")
    course.venv_bin_on_path()
    with Gradebook(fresh["db_url"]) as book:
        book.update_or_create_assignment(ASSIGNMENT)
        for person in people:
            book.update_or_create_student(person.student_id, email=person.email or None)
        book.update_or_create_submission(ASSIGNMENT, "m01")
    with pytest.raises(BadInput, match=r"1 student\(s\) have no e-mail address \(email\).*: m02"):
        export.export("moodle", tmp_path / "m.csv", DATA / "roster_missing_email.csv", **fresh)
    with pytest.raises(BadInput, match=r"1 student\(s\) have no e-mail address \(email\).*: m02"):
        export.export("moodle", tmp_path / "m.csv", **fresh)          # the gradebook's e-mails
    with pytest.raises(BadInput, match="2 student\\(s\\) have no Canvas user id"):
        export.export("canvas", tmp_path / "c.csv", **fresh)
    with pytest.raises(BadInput, match="--lms-id and --lms-gradebook are for canvas and "
                                       "blackboard exports, not moodle"):
        export.export("moodle", tmp_path / "m.csv", DATA / "moodle_roster_cp1252.csv",
                      lms_ids={ASSIGNMENT: "4321"}, **fresh)
    with pytest.raises(BadInput, match=f"--lms-id m9_nothing: not an exported assignment "
                                       f"\\(the file has {ASSIGNMENT}\\)"):
        export.export("canvas", tmp_path / "c.csv", DATA / "canvas_roster.csv",
                      lms_ids={"m9_nothing": "1"}, **fresh)
    assert not (tmp_path / "m.csv").exists() and not (tmp_path / "c.csv").exists()


def test_canvas_assignment_ids_come_from_a_canvas_gradebook_export():
    assert export.canvas_ids(DATA / "canvas_gradebook_export.csv") == {
        "m0_orientation": "4321", "Written practice": "4400"}
    with pytest.raises(BadInput, match="not a Canvas gradebook export"):
        export.canvas_ids(DATA / "canvas_roster.csv")


# --- plain errors ----------------------------------------------------------------------------

@pytest.fixture
def cli_course(tmp_path, monkeypatch):
    """The command line on a course of its own (the configuration points at it)."""
    overrides = demo.make_course(tmp_path / "cli")
    real = course.config
    monkeypatch.setattr(course, "config", lambda **more: real(**{**overrides, **more}))
    return overrides


def _run(capsys, *argv) -> tuple[int, str]:
    status = cli.main(list(argv))
    err = capsys.readouterr().err
    return status, err


@pytest.mark.parametrize("argv, said", [
    (["collect", "m9_nothing", str(DATA / "not_a_zip.zip")], "there is no assignment called 'm9_nothing'"),
    (["collect", ASSIGNMENT, str(DATA / "not_a_zip.zip")], "not_a_zip.zip is not a zip file"),
    (["collect", ASSIGNMENT, str(DATA)], "is a folder, not an LMS download"),
    (["collect", ASSIGNMENT, str(DATA / "missing.zip")], "missing.zip does not exist"),
    (["collect", ASSIGNMENT, str(DATA / "not_a_zip.zip"), "--roster",
      str(DATA / "roster_empty.csv")], "roster_empty.csv is empty"),
    (["collect", ASSIGNMENT, str(DATA / "not_a_zip.zip"), "--due", "soon"], "is not a zip file"),
    (["grade", "m9_nothing"], "there is no assignment called 'm9_nothing'"),
    (["grade", ASSIGNMENT], f"{ASSIGNMENT} has not been released here"),
    (["feedback", ASSIGNMENT], f"nothing of {ASSIGNMENT} has been graded yet"),
    (["feedback", "m9_nothing"], "there is no assignment called 'm9_nothing'"),
    (["report", "m9_nothing"], "there is no assignment called 'm9_nothing'"),
    (["report", ASSIGNMENT], f"nothing of {ASSIGNMENT} has been graded yet"),
    (["release", "m9_nothing"], "there is no assignment called 'm9_nothing'"),
    (["export", "--format", "moodle", "-o", "x.csv"], "no assignment has a submission yet"),
    (["export", "--format", "canvas", "--lms-id", ASSIGNMENT, "-o", "x.csv"],
     f"--lms-id '{ASSIGNMENT}': write it as ASSIGNMENT=NUMBER"),
    (["export", "--format", "canvas", "--roster", str(DATA / "roster_duplicate_student_id.csv"),
      "-o", "x.csv"], "student_id s01 is on lines 2, 4"),
])
def test_every_verb_says_a_bad_input_in_one_line_and_exits_2(cli_course, capsys, argv, said):
    status, err = _run(capsys, *argv)
    assert status == 2 and said in err, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_download_zipped_again_in_a_folder_is_read_through_it(released, fresh, tmp_path):
    done = collect.collect(ASSIGNMENT, _zip("canvas_rezipped.txt", released, tmp_path),
                           DATA / "canvas_roster.csv", **fresh)
    folder = _submitted(fresh) / "s01" / ASSIGNMENT
    assert sorted(p.name for p in folder.glob("*.ipynb")) == [
        "01_working_in_a_notebook.ipynb", "02_just_enough_python.ipynb"]
    assert len(done.unmatched) == 1 and "__MACOSX" in done.unmatched[0]


def test_a_zip_that_is_not_a_submissions_download_is_refused(released, fresh, tmp_path):
    archive = _zip("release_zip_by_mistake.txt", released, tmp_path)
    with pytest.raises(BadInput, match="none of its 2 file.s. is named the way Canvas or Moodle"):
        collect.collect(ASSIGNMENT, archive, DATA / "canvas_roster.csv", **fresh)
    assert not (Path(fresh["root"]) / "course").exists()


@pytest.mark.parametrize("argv, said", [
    (["export", "--format", "xyz", "-o", "x.csv"], "argument --format: invalid choice: 'xyz'"),
    (["grade", ASSIGNMENT, "--workers", "0"], "'0' is not a whole number of at least 1"),
    (["collect", ASSIGNMENT], "the following arguments are required: archive"),
])
def test_a_mistyped_command_is_one_line_too(capsys, argv, said):
    with pytest.raises(SystemExit) as stopped:
        cli.main(argv)
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and said in err and len(err.strip().splitlines()) == 1


def test_a_bad_due_date_is_named(cli_course, released, capsys, tmp_path):
    archive = _zip("canvas_download.txt", released, tmp_path)
    status, err = _run(capsys, "collect", ASSIGNMENT, str(archive), "--due", "next friday-ish")
    assert status == 2 and "--due 'next friday-ish' is not a date and time" in err


@pytest.mark.parametrize("argv", [["--debug", "report", "m9_nothing"],
                                  ["report", "m9_nothing", "--debug"]])
def test_debug_shows_the_traceback(cli_course, capsys, argv):
    status, err = _run(capsys, *argv)
    assert status == 2 and "Traceback" in err and "no assignment called" in err


def test_an_unexpected_failure_is_one_line_too(cli_course, capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full\nsecond line of detail")

    monkeypatch.setattr(report, "report", broken)
    status, err = _run(capsys, "report", ASSIGNMENT)
    assert status == 1 and "Traceback" not in err
    assert err.strip() == ("python -m autograde report failed: disk full (run it again with "
                           "--debug to see the details)")


def test_the_real_command_prints_no_traceback():
    run = subprocess.run([sys.executable, "-m", "autograde", "collect", ASSIGNMENT,
                          str(DATA / "not_a_zip.zip")], capture_output=True, text=True,
                         cwd=course.ROOT)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.strip() == (f"python -m autograde collect: {DATA / 'not_a_zip.zip'} is not "
                                  "a zip file: " + collect.DOWNLOAD_HELP)


def test_report_leaves_blank_answers_out_of_wrong_answers():
    assert report.is_blank("copay = ...\n# your answer above\n")
    assert report.is_blank('claim = {\n    "dx": ...,\n    "units": ...,\n}')
    assert report.is_blank("")
    assert not report.is_blank('copay = 25')
    assert not report.is_blank('claim = {"dx": "E11.9", "units": ...}')
    facts = report.Results(max_points={"copay": 2.0})
    for student, answer, points in [("a", "copay = ...", 0), ("b", "copay = ...", 0),
                                    ("c", "copay = 30", 0), ("d", "copay = 25", 2)]:
        facts.points[student]["copay"] = points
        facts.answers[student]["copay"] = answer
        if report.is_blank(answer):
            facts.blank[student].add("copay")
    assert report.wrong_answers(facts, "copay") == [("copay = 30", 1)]
    assert report.blanks(facts, "copay") == 2


# --- round trips: roster -> collect -> grade -> export ---------------------------------------

@pytest.fixture(scope="module")
def canvas_class(tmp_path_factory):
    """The Canvas round trip: roster with accented names, a late student, three attempts."""
    root = tmp_path_factory.mktemp("canvas_class")
    overrides = demo.make_course(root / "course")
    course.release([ASSIGNMENT], **overrides)
    archive = downloads.build("canvas_download.txt", overrides, ASSIGNMENT, root / "dl.zip")
    collect.collect(ASSIGNMENT, archive, DATA / "canvas_roster.csv", due=DUE, **overrides)
    results = grading.grade(ASSIGNMENT, 2, progress=False, **overrides)
    return overrides, {r.student: r for r in results}


@pytest.mark.xdist_group("grading")
def test_canvas_round_trip(canvas_class, tmp_path):
    from nbgrader.api import Gradebook

    overrides, results = canvas_class
    full = downloads.expected_points("correct 01_working_in_a_notebook", ASSIGNMENT) + \
        downloads.expected_points("correct 02_just_enough_python", ASSIGNMENT)
    ana = downloads.expected_points("correct 01_working_in_a_notebook", ASSIGNMENT)
    want = {"s01": full, "s02": full, "s03": ana, "s04": full}
    assert {s: r.score for s, r in results.items()} == want
    with Gradebook(overrides["db_url"]) as book:
        book.update_or_create_student("zz_test_student")     # a test account, not on the roster
        late = {s: book.find_submission(ASSIGNMENT, s).total_seconds_late for s in want}
    assert late == {"s01": 0, "s02": 1, "s03": 0, "s04": 0}
    done = export.export("canvas", tmp_path / "canvas.csv", DATA / "canvas_roster.csv",
                         lms_gradebook=DATA / "canvas_gradebook_export.csv", **overrides)
    rows = list(csv.reader(done.path.open(encoding="utf-8")))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                       "m0_orientation (4321)"]
    assert rows[1][0] == "Points Possible"
    body = {r[1]: r for r in rows[2:]}
    assert sorted(body) == ["5101", "5102", "5103", "5104"]
    assert body["5101"][:5] == ["Núñez-Example, José", "5101", "900001", "jnunez", "Section 01"]
    assert body["5103"][2] == ""                                 # no SIS id: blank, not s03
    people = {s.lms_id: s.student_id for s in roster.load(DATA / "canvas_roster.csv")}
    assert {i: float(r[5]) for i, r in body.items()} == {i: want[people[i]] for i in body}
    assert any("zz_test_student" in w for w in done.warnings)
    assert f"late: s02 {ASSIGNMENT}, 1 s after the due date; late penalty 0 of {full:g} point(s)" \
        in done.warnings


@pytest.mark.xdist_group("grading")
def test_moodle_round_trip(released, tmp_path):
    overrides = demo.make_course(tmp_path / "moodle_class")
    course.release([ASSIGNMENT], **overrides)
    archive = downloads.build("moodle_download.txt", overrides, ASSIGNMENT, tmp_path / "m.zip")
    collect.collect(ASSIGNMENT, archive, DATA / "moodle_roster_cp1252.csv", due=DUE, **overrides)
    results = {r.student: r.score for r in grading.grade(ASSIGNMENT, 2, progress=False,
                                                          **overrides)}
    done = export.export("moodle", tmp_path / "moodle.csv", DATA / "moodle_roster_cp1252.csv",
                         **overrides)
    rows = list(csv.DictReader(done.path.open(encoding="utf-8")))
    emails = {s.email: s.student_id for s in roster.load(DATA / "moodle_roster_cp1252.csv")}
    assert sorted(r["Email address"] for r in rows) == sorted(emails)
    assert {emails[r["Email address"]]: float(r[ASSIGNMENT]) for r in rows} == results
    assert results["m03"] == downloads.expected_points("partial 01_working_in_a_notebook",
                                                       ASSIGNMENT)
    assert rows[0]["First name"] in ("José", "Ana", "Zoë")
    assert [w for w in done.warnings if w.startswith("late:")][0].startswith(
        f"late: m02 {ASSIGNMENT}, 33.2 h after the due date")


@pytest.mark.xdist_group("grading")
def test_a_zero_late_policy_scores_late_work_zero_in_the_export(released, tmp_path, monkeypatch):
    overrides = demo.make_course(tmp_path / "strict")
    real = course.config

    def strict(**more):
        cfg = real(**more)
        cfg.LateSubmissionPlugin.penalty_method = "zero"
        return cfg

    monkeypatch.setattr(course, "config", strict)
    course.release([ASSIGNMENT], **overrides)
    archive = downloads.build("canvas_download.txt", overrides, ASSIGNMENT, tmp_path / "c.zip")
    collect.collect(ASSIGNMENT, archive, DATA / "canvas_roster.csv", due=DUE, **overrides)
    grading.grade(ASSIGNMENT, 2, progress=False, **overrides)
    done = export.export("canvas", tmp_path / "canvas.csv", DATA / "canvas_roster.csv",
                         lms_ids={ASSIGNMENT: "4321"}, **overrides)
    rows = {r["ID"]: r for r in csv.DictReader(done.path.open(encoding="utf-8"))}
    assert float(rows["5102"]["m0_orientation (4321)"]) == 0.0     # Zoë, late
    assert float(rows["5101"]["m0_orientation (4321)"]) > 0.0
    plain = export.export("csv", tmp_path / "nbgrader.csv", DATA / "canvas_roster.csv", **overrides)
    by_student = {r["student_id"]: r for r in csv.DictReader(plain.path.open())}
    assert sorted(by_student) == ["s01", "s02", "s03", "s04"]
    assert float(by_student["s02"]["late_submission_penalty"]) == \
        float(by_student["s02"]["raw_score"]) > 0
