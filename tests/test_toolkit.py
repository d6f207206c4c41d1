"""The instructor's toolkit end to end, on the demo class: collect, grade, feedback, export,
report, and the release's LMS zip. One class is graded once per test run (module fixture)."""
import csv
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograde import (collect, course, demo, export, feedback, grading, leaks, package, report,
                       roster, runner, sandbox, submissions)
from autograde import __main__ as cli
from autograde.problems import BadInput
from tests import harness

COUNT = 8
ASSIGNMENT = demo.ASSIGNMENT
SOURCES = course.source_notebooks(ASSIGNMENT)
HIDDEN = leaks.course_secrets(SOURCES)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The demo class collected from its Canvas download and graded on two workers."""
    overrides = demo.make_course(tmp_path_factory.mktemp("demo"))
    archive, roster_file = demo.build(COUNT, overrides)
    collected = collect.collect(ASSIGNMENT, archive, roster_file, **overrides)
    results = grading.grade(ASSIGNMENT, 2, progress=False, **overrides)
    return overrides, roster_file, collected, {r.student: r for r in results}


def _sources():
    return [nbformat.read(p, as_version=4) for p in SOURCES]


def _kind(student_id):
    return demo.kind_of(int(student_id[1:]) - 1)


@pytest.mark.xdist_group("grading")
def test_every_student_is_collected_and_scored_exactly(graded):
    overrides, _, collected, results = graded
    assert len(collected.placed) == COUNT * len(SOURCES) and not collected.unmatched
    assert sorted(results) == [s.student_id for s in demo.students(COUNT)]
    full = sum(v for nb in _sources() for v in submissions.autograded_points(nb).values()) \
        + sum(v for nb in _sources() for v in submissions.manual_points(nb).values())
    for student, result in results.items():
        assert not result.failed, result.failed
        assert result.score == demo.expected(_kind(student), _sources()), student
        assert result.max_score == full


@pytest.mark.xdist_group("grading")
def test_each_lms_export_has_its_columns_and_the_scores(graded, tmp_path):
    overrides, roster_file, _, results = graded
    people = {s.student_id: s for s in roster.load(roster_file)}
    heads = {"canvas": ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", ASSIGNMENT],
             "moodle": ["First name", "Last name", "ID number", "Email address", ASSIGNMENT],
             "blackboard": ["Last Name", "First Name", "Username", "Student ID",
                            f"{ASSIGNMENT} [Total Pts: 10 Score]"],
             "brightspace": ["OrgDefinedId", "Username", f"{ASSIGNMENT} Points Grade",
                             "End-of-Line Indicator"]}
    key = {"canvas": ("ID", "lms_id"), "moodle": ("Email address", "email"),
           "blackboard": ("Username", "username"), "brightspace": ("Username", "username")}
    for fmt, head in heads.items():
        out = export.export(fmt, tmp_path / f"{fmt}.csv", roster_file, **overrides).path
        rows = list(csv.reader(out.open()))
        assert rows[0] == head, fmt
        table = [dict(zip(head, r)) for r in rows[1:] if r[0] != "Points Possible"]
        column, field = key[fmt]
        for row in table:
            person = next(p for p in people.values() if getattr(p, field) == row[column])
            assert float(row[head[-2] if fmt == "brightspace" else head[-1]]) == \
                results[person.student_id].score, (fmt, row)
    plain = export.export("csv", tmp_path / "grades.csv", **overrides).path
    rows = list(csv.DictReader(plain.open()))
    assert {r["student_id"]: float(r["score"]) for r in rows} == \
        {s: r.score for s, r in results.items()}
    assert rows[0]["last_name"] and rows[0]["email"].endswith("@example.edu")


@pytest.mark.xdist_group("grading")
def test_export_leaves_out_a_released_module_nobody_has_handed_in(graded, tmp_path):
    """`release` enters every module in the gradebook; a column of zeros for one not yet due
    would overwrite that grade item in the LMS, so only handed-in (or named) ones go out."""
    overrides, roster_file, _, results = graded
    later = "m1_profession"
    course.release([later], **overrides)
    for fmt in export.FORMATS:
        text = export.export(fmt, tmp_path / f"{fmt}.csv", roster_file, **overrides).path.read_text()
        assert ASSIGNMENT in text and later not in text, fmt
    named = export.export("canvas", tmp_path / "named.csv", roster_file, [later], **overrides).path
    rows = list(csv.reader(named.open()))
    assert rows[0][5:] == [later] and {r[5] for r in rows[2:]} == {"0"}
    with pytest.raises(BadInput, match="m9_nothing"):
        export.export("moodle", tmp_path / "bad.csv", roster_file, ["m9_nothing"], **overrides)
    assert not (tmp_path / "bad.csv").exists()
    args = cli._parser().parse_args(["export", "--assignment", ASSIGNMENT, "--assignment",
                                      later, "-o", "x.csv"])
    assert args.assignment == [ASSIGNMENT, later]


@pytest.mark.xdist_group("grading")
def test_feedback_shows_results_but_no_hidden_test(graded):
    overrides, _, _, results = graded
    pages = feedback.feedback(ASSIGNMENT, **overrides)
    assert len(pages) == COUNT * len(SOURCES)
    blank = [p for p in pages if _kind(p.parent.parent.name) == "blank"]
    assert blank and all("still blank" in p.read_text() for p in blank)
    for page in pages:
        text = leaks.visible_text(page)
        assert "HIDDEN TESTS" not in text and "expect_" not in text, page
        assert "Traceback (most recent call last)" not in text, page
    # a blank student's page shows no line of any solution or hidden test
    for page in blank:
        assert leaks.find_leaks(HIDDEN, page.parent) == []


def _nbgrader_feedback(overrides, folder, preprocessors=None) -> Path:
    """Feedback for the blank student s002 made the way formgrader's button makes it: nbgrader's
    API on the course configuration (or with the given feedback preprocessors)."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    cfg = course.config(**{**overrides, "feedback_directory": f"course/{folder}"})
    if preprocessors:
        cfg.GenerateFeedback.preprocessors = preprocessors
    grader = NbGraderAPI(CourseDirectory(config=cfg), config=cfg)
    course.checked(grader.generate_feedback(ASSIGNMENT, "s002"), "feedback")
    return Path(overrides["root"]) / "course" / folder / "s002" / ASSIGNMENT


@pytest.mark.xdist_group("grading")
def test_formgraders_generate_feedback_button_leaks_nothing_either(graded):
    """formgrader and `nbgrader generate_feedback` read the course configuration."""
    pages = _nbgrader_feedback(graded[0], "button_feedback")
    assert list(pages.glob("*.html")) and leaks.find_leaks(HIDDEN, pages) == []


@pytest.mark.xdist_group("grading")
def test_nbgraders_own_feedback_would_have_leaked(graded):
    """The checks above can fail: nbgrader's default feedback shows the hidden tests."""
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades

    plain = _nbgrader_feedback(graded[0], "plain_feedback", [GetGrades, CSSHTMLHeaderPreprocessor])
    assert leaks.find_leaks(HIDDEN, plain)


@pytest.mark.xdist_group("grading")
def test_report_has_plots_and_item_statistics(graded):
    overrides, _, _, results = graded
    page = report.report(ASSIGNMENT, **overrides)
    text = page.read_text()
    assert text.count("data:image/png;base64,") == 2
    facts = report.gather(ASSIGNMENT, **overrides)
    # item "ready" is the first item of 01: right for correct, partial and wrong students
    assert report.difficulty(facts, "ready") == pytest.approx(0.75)
    assert report.discrimination(facts, "ready") > 0
    wrong = dict(report.wrong_answers(facts, "specialist_copay"))
    # the blank and partial students left it blank: that is no wrong answer
    assert "specialist_copay = ..." not in wrong and wrong  # the wrong students' answers
    assert report.blanks(facts, "specialist_copay") == COUNT // 2
    assert "specialist_copay" in text and "discrimination" in text


def test_release_zip_holds_the_student_version_only(course_copy, released):
    released(ASSIGNMENT)
    bundle = package.zip_release(ASSIGNMENT, **course_copy)
    with zipfile.ZipFile(bundle) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(f"{ASSIGNMENT}/{p.name}" for p in SOURCES)
        for name in names:
            text = archive.read(name).decode()
            assert not [line for line in leaks.course_secrets(SOURCES) if line in text]


def test_collect_reads_moodle_names_files_strays_and_keeps_earlier_copies(tmp_path):
    overrides = demo.make_course(tmp_path / "class")
    course.release([ASSIGNMENT], **overrides)
    people = demo.students(3)
    roster.save(people, tmp_path / "roster.csv")
    release = Path(overrides["root"]) / "course" / "release" / ASSIGNMENT
    first = (release / SOURCES[0].name).read_bytes()
    archive = tmp_path / "moodle.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr(zipfile.ZipInfo(f"Ada Testpatient_{people[0].lms_id}_assignsubmission_file_/"
                                        "my work.ipynb", (2026, 3, 1, 9, 0, 0)), first)
        bundle.writestr(zipfile.ZipInfo(f"Ada Testpatient_{people[0].lms_id}_assignsubmission_file_/"
                                        f"{SOURCES[0].name}", (2026, 3, 2, 9, 0, 0)), first + b" ")
        bundle.writestr(zipfile.ZipInfo("Zed Stranger_9999_assignsubmission_file_/x.ipynb",
                                        (2026, 3, 1, 9, 0, 0)), first)
        # Moodle numbers participants per assignment: not the id the roster has, but the name is
        for source in SOURCES:
            bundle.writestr(zipfile.ZipInfo(f"{people[1].first_name} {people[1].last_name}_77002_"
                                            f"assignsubmission_file_/{source.name}",
                                            (2026, 3, 1, 9, 0, 0)),
                            (release / source.name).read_bytes())
        bundle.writestr("notes.txt", b"not from the LMS")
    done = collect.collect(ASSIGNMENT, archive, tmp_path / "roster.csv", **overrides)
    by_name = Path(overrides["root"]) / "course" / "submitted" / people[1].student_id / ASSIGNMENT
    assert (by_name / SOURCES[0].name).read_bytes() == first
    assert [m for m in done.messages if "matched by name" in m] == [
        f"{people[1].student_id}: matched by name ({people[1].first_name} {people[1].last_name});"
        " LMS number 77002 is not on the roster"]
    folder = Path(overrides["root"]) / "course" / "submitted" / people[0].student_id / ASSIGNMENT
    assert (folder / SOURCES[0].name).read_bytes() == first + b" "
    assert [p.read_bytes() for p in (folder / ".replaced").iterdir()] == [first]
    assert any("filed as" in m for m in done.messages)
    assert any("replaced by a later submission" in m for m in done.messages)
    assert len(done.unmatched) == 2
    assert sorted(p.name for p in (Path(overrides["root"]) / "course" / "unmatched" /
                                   ASSIGNMENT).iterdir()) == [
        collect.WHY, "Zed Stranger_9999_assignsubmission_file___x.ipynb", "notes.txt"]


def test_a_name_two_students_share_is_not_guessed(tmp_path):
    overrides = demo.make_course(tmp_path / "class")
    course.release([ASSIGNMENT], **overrides)
    twins = [roster.Student("s001", "Ada", "Testpatient", lms_id="5001"),
             roster.Student("s002", "Ada", "Testpatient", lms_id="5002")]
    roster.save(twins, tmp_path / "roster.csv")
    archive = tmp_path / "moodle.zip"
    release = Path(overrides["root"]) / "course" / "release" / ASSIGNMENT
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr(f"Ada Testpatient_77001_assignsubmission_file_/{SOURCES[0].name}",
                        (release / SOURCES[0].name).read_bytes())
    done = collect.collect(ASSIGNMENT, archive, tmp_path / "roster.csv", **overrides)
    assert not done.placed and len(done.unmatched) == 1


def test_canvas_and_moodle_names_parse():
    when = collect.datetime(2026, 3, 1)
    canvas = collect.parse("testpatientada_LATE_5001_70000_01_working_in_a_notebook-2.ipynb", when)
    assert (canvas.name, canvas.lms_id, canvas.file, canvas.attempt) == \
        ("testpatientada", "5001", "01_working_in_a_notebook-2.ipynb", 2)
    moodle = collect.parse("Ada Testpatient_5001_assignsubmission_file_x.ipynb", when)
    assert (moodle.name, moodle.lms_id, moodle.file) == ("Ada Testpatient", "5001", "x.ipynb")
    assert collect.parse("random.ipynb", when) is None


def test_protection_is_reported_either_way(monkeypatch):
    assert "bubblewrap" in sandbox.protection()
    monkeypatch.setattr(sandbox, "bwrap", lambda: None)
    assert sandbox.protection().startswith("NO file-system sandbox")
    assert sandbox.kernel_command(Path("/tmp/x"), sandbox.Limits())[0] == sys.executable


def test_cli_lists_every_verb():
    run = subprocess.run([sys.executable, "-m", "autograde", "--help"], capture_output=True,
                         text=True, cwd=course.ROOT)
    for verb in ("release", "collect", "grade", "feedback", "export", "report", "demo", "package"):
        assert verb in run.stdout


def test_without_bubblewrap_a_notebook_still_runs_in_its_scratch_folder(monkeypatch):
    monkeypatch.setattr(sandbox, "bwrap", lambda: None)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import os\nprint(os.getcwd(), sorted(os.listdir()))")]
    outcome = runner.execute(nbformat.writes(nb), {"data.csv": b"a\n"}, sandbox.Limits())
    text = nbformat.reads(outcome.notebook, 4).cells[0].outputs[0].text
    assert "/ag-" in text and "'data.csv'" in text and outcome.problems == []


@pytest.mark.skipif(sandbox.bwrap() is None, reason="no bubblewrap here")
def test_sandboxed_kernel_sees_no_course_and_holds_no_capabilities():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import os\nstatus = open('/proc/self/status').read()\n"
        "print([l for l in status.splitlines() if l.startswith('CapEff')])\n"
        f"print('source visible:', os.path.exists({str(course.SOURCE)!r}))")]
    outcome = runner.execute(nbformat.writes(nb), {}, sandbox.Limits())
    text = nbformat.reads(outcome.notebook, 4).cells[0].outputs[0].text
    assert "CapEff:\\t0000000000000000" in text
    assert "source visible: False" in text


@pytest.mark.xdist_group("grading")
def test_every_assignment_grades_full_marks_in_the_sandbox(tmp_path):
    """What a module's notebooks need (files, libraries, settings) is there in the sandbox."""
    overrides = demo.make_course(tmp_path / "all")
    for assignment in course.assignments():
        course.release([assignment], **overrides)
        harness.submit(overrides, assignment, "correct")
        want = sum(v for p in course.source_notebooks(assignment)
                   for v in submissions.autograded_points(nbformat.read(p, 4)).values())
        [result] = grading.grade(assignment, 2, progress=False, **overrides)
        assert (result.score, result.failed, result.notes) == (want, "", []), assignment


def test_the_private_tmp_is_mounted_before_anything_is_bound_into_the_sandbox(monkeypatch, tmp_path):
    """A bind made before --tmpfs /tmp is hidden under it: a course under /tmp lost its .venv."""
    monkeypatch.setattr(sandbox, "bwrap", lambda: "/usr/bin/bwrap")
    command = sandbox.kernel_command(tmp_path, sandbox.Limits())
    first_bind = min(i for i, part in enumerate(command) if part in ("--ro-bind", "--bind"))
    assert command.index("--tmpfs") < first_bind
