"""A class of bad submissions, collected from an LMS download and graded once.

Each bad student hands in notebook 01 of Module 0 (two autograded points: ``ready`` and
``specialist_copay``) with one thing wrong with it. Every one of them must end with a score,
the right one, and a plain message; nothing handed in may be lost; nobody's code may read or
write outside its scratch folder.
"""
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograde import collect, course, demo, grading, roster, sandbox, submissions
from autograde.sandbox import Limits

ASSIGNMENT = demo.ASSIGNMENT
FIRST, SECOND = course.source_notebooks(ASSIGNMENT)
# cells are short; 10 s leaves room for a busy machine (a flaky limit would fail good cells);
# 2 GB lets the flood case buffer its 400 MB, so it is the output limit that stops it
LIMITS = Limits(cell_seconds=10, notebook_seconds=90, memory_mb=2048, output_mb=2)
# right only if the memory limit stops the 8 GB allocation (the machine itself might allow it)
HOG = """
try:
    hog = bytearray(8 * 2**30)
    specialist_copay = 0
except MemoryError:
    specialist_copay = 45"""
SWALLOW = """
while True:
    try:
        while True:
            pass
    except KeyboardInterrupt:
        pass"""


def _cell(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _with_cell(nb, code):
    """The notebook with the student's own cell ``code`` just before the first answer."""
    answer = _cell(nb, "ready_answer")
    nb.cells.insert(nb.cells.index(answer), nbformat.v4.new_code_cell(code))
    return nb


def _edit(nb, **sources):
    for grade_id, text in sources.items():
        _cell(nb, grade_id).source = text
    return nb


def _strip(nb):
    for cell in nb.cells:
        cell.metadata = {}
        cell.pop("id", None)
    return nb


def _points_up(nb):
    _cell(nb, "ready_test").metadata["nbgrader"]["points"] = 100
    return _edit(nb, ready_answer='my_first_answer = "nope"', ready_test="pass")


def _cases(paths: dict) -> dict:
    """student -> (what they hand in: {file name: bytes or notebook}, expected points of 01)."""
    snoop = (f"try:\n    open({paths['source']!r}).read(); open({paths['other']!r}).read()\n"
             f"    my_first_answer = 'ready'\nexcept OSError:\n    my_first_answer = 'blocked'\n"
             f"try:\n    open({paths['gradebook']!r}, 'rb').read(); specialist_copay = 45\n"
             f"except OSError:\n    specialist_copay = 0")
    vandal = (f"import os\nfor target in {paths['writes']!r}:\n    try:\n"
              f"        open(target, 'a').write('x')\n    except OSError:\n        pass\n"
              f"try:\n    os.remove({paths['other']!r})\nexcept OSError:\n    pass")
    good = lambda: submissions.fill(paths["release"], paths["source_nb"])  # noqa: E731
    wrong = lambda: submissions.fill(paths["release"], paths["source_nb"], [])  # noqa: E731
    name = FIRST.name
    return {
        "loop": ({name: _with_cell(good(), "while True: pass")}, 2, "was interrupted"),
        "swallow": ({name: _with_cell(good(), SWALLOW)}, 2, "did not stop when interrupted"),
        "exits": ({name: _with_cell(good(), "import os; os._exit(1)")}, 2, "kernel stopped"),
        "crash": ({name: _with_cell(good(), "import ctypes; ctypes.string_at(0)")}, 2,
                  "kernel stopped"),
        "memory": ({name: _edit(good(), specialist_copay_answer=HOG)}, 2, None),
        "flood": ({name: _with_cell(good(), "for _ in range(400): print('x' * 2**20)")}, 2,
                  "printed more than"),
        "syntax": ({name: _edit(good(), specialist_copay_answer="specialist_copay = 45 +")}, 1,
                   None),
        "deleted": ({name: _deleted(good())}, 2, "was deleted"),
        "edited": ({name: _edit(wrong(), ready_test="pass", specialist_copay_test="pass")}, 0,
                   "was edited"),
        "locked": ({name: _edit(good(), preamble="checks = None")}, 2, "preamble was edited"),
        "stripped": ({name: _strip(good())}, 2, "metadata"),
        "points": ({name: _points_up(wrong())}, 0, "was edited"),
        "notjson": ({name: b"this is not a notebook"}, 0, "not a notebook"),
        "empty": ({name: b""}, 0, "empty"),
        "renamed": ({"my work.ipynb": good()}, 2, "filed as"),
        "extras": ({name: good(), "data.csv": b"a,b\n1,2\n", "notes.txt": b"hi"}, 2, None),
        "nothing": ({"readme.txt": b"I could not open it"}, 0, "no notebook of this assignment"),
        "snoop": ({name: _edit(good(), ready_answer=snoop, specialist_copay_answer="")}, 0, None),
        "vandal": ({name: _with_cell(good(), vandal)}, 2, None),
    }


def _deleted(nb):
    nb.cells.remove(_cell(nb, "ready_test"))
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad")
    overrides = demo.make_course(root)
    course.release([ASSIGNMENT], **overrides)
    release = root / "course" / "release" / ASSIGNMENT
    people = demo.students(40)
    paths = {"release": nbformat.read(release / FIRST.name, 4),
             "source_nb": nbformat.read(FIRST, 4), "source": str(FIRST),
             "gradebook": str(root / "gradebook.db"),
             "other": str(root / "course" / "submitted" / "s001" / ASSIGNMENT / FIRST.name),
             "writes": [str(root / "course" / "pwned.txt"), str(course.SOURCE / "pwned.txt"),
                        str(root / "gradebook.db")]}
    cases = _cases(paths)
    lms = {}
    archive = root / "canvas.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for person, kind in zip(people, ["good", "good2", *cases]):
            lms[kind] = person
            files = ({FIRST.name: submissions.fill(paths["release"], paths["source_nb"]),
                      SECOND.name: submissions.fill(nbformat.read(release / SECOND.name, 4),
                                                    nbformat.read(SECOND, 4))}
                     if kind.startswith("good") else cases[kind][0])
            for name, content in files.items():
                data = content if isinstance(content, bytes) else nbformat.writes(content).encode()
                lastfirst = (person.last_name + person.first_name).lower()
                bundle.writestr(f"{lastfirst}_{person.lms_id}_1_{name}", data)
        twice = people[len(lms)]
        lms["twice"] = twice
        # Canvas adds -1 to a file handed in again under the same name
        for when, items, name in (((2026, 3, 1, 9, 0, 0), [], FIRST.name),
                                  ((2026, 3, 2, 9, 0, 0), None, f"{FIRST.stem}-1.ipynb")):
            nb = submissions.fill(paths["release"], paths["source_nb"], items)
            bundle.writestr(zipfile.ZipInfo(f"x_{twice.lms_id}_2_{name}", when),
                            nbformat.writes(nb))
        bundle.writestr(f"stranger_9999_3_{FIRST.name}", nbformat.writes(paths["release"]))
    roster.save(list(lms.values()), root / "roster.csv")
    collected = collect.collect(ASSIGNMENT, archive, root / "roster.csv", **overrides)
    results = grading.grade(ASSIGNMENT, 2, LIMITS, progress=False, **overrides)
    by_kind = {kind: next(r for r in results if r.student == p.student_id) for kind, p in lms.items()}
    return root, paths, cases, collected, by_kind


def _first_points(root, student):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as book:
        return book.find_submission_notebook(FIRST.stem, ASSIGNMENT, student).score


pytestmark = pytest.mark.xdist_group("grading")


def test_every_student_gets_a_score(graded):
    _, _, _, _, results = graded
    assert [k for k, r in results.items() if r.failed or r.score is None] == []
    assert results["good"].score == 8


@pytest.mark.parametrize("kind", ["loop", "swallow", "exits", "crash", "memory", "flood",
                                  "syntax", "deleted", "edited", "locked", "stripped", "points",
                                  "notjson", "empty", "renamed", "extras", "nothing"])
def test_bad_submission_scores_what_it_earned_with_a_message(graded, kind):
    root, _, cases, collected, results = graded
    _, points, message = cases[kind]
    assert _first_points(root, results[kind].student) == points
    if message:
        said = results[kind].notes + [m for m in collected.messages
                                      if m.startswith(results[kind].student)]
        assert any(message in note for note in said), said


def test_changed_points_do_not_change_the_maximum(graded):
    _, _, _, _, results = graded
    assert results["points"].max_score == results["good"].max_score


def test_a_later_submission_replaces_the_earlier_one_with_a_message(graded):
    root, _, _, collected, results = graded
    student = results["twice"].student
    assert _first_points(root, student) == 2
    assert any(student in m and "replaced by a later" in m for m in collected.messages)
    assert len(list((root / "course" / "submitted" / student / ASSIGNMENT / ".replaced").iterdir())) == 1


def test_a_student_not_on_the_roster_is_reported_and_kept(graded):
    root, _, _, collected, _ = graded
    assert any("not on the roster" in line for line in collected.unmatched)
    assert (root / "course" / "unmatched" / ASSIGNMENT / f"stranger_9999_3_{FIRST.name}").exists()


def test_nothing_handed_in_is_lost(graded):
    root, _, _, _, results = graded
    folder = root / "course" / "submitted" / results["extras"].student / ASSIGNMENT
    assert sorted(p.name for p in folder.iterdir() if p.name != "timestamp.txt") == sorted(
        ["data.csv", "notes.txt", FIRST.name])
    junk = root / "course" / "submitted" / results["notjson"].student / ASSIGNMENT / FIRST.name
    assert junk.read_bytes() == b"this is not a notebook"


@pytest.mark.skipif(sandbox.bwrap() is None, reason="no bubblewrap: no file-system isolation")
def test_code_cannot_read_the_course_or_other_submissions(graded):
    root, _, _, _, results = graded
    assert _first_points(root, results["snoop"].student) == 0


@pytest.mark.skipif(sandbox.bwrap() is None, reason="no bubblewrap: no file-system isolation")
def test_code_cannot_write_outside_its_scratch_folder(graded):
    root, paths, _, _, results = graded
    assert not (root / "course" / "pwned.txt").exists()
    assert not (course.SOURCE / "pwned.txt").exists()
    assert Path(paths["other"]).exists()
    assert _first_points(root, results["vandal"].student) == 2
