"""A class of bad submissions, collected from an LMS download and graded once.

Each bad student hands in notebook 01 of Module 0 (two autograded points: ``ready`` and
``specialist_copay``) with one thing wrong with it. Every one of them must end with a score,
the right one, and a plain message; nothing handed in may be lost; nobody's code may read or
write outside its scratch folder.
"""
import json
import os
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograde import cgroups, collect, course, demo, grading, roster, sandbox, submissions
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


# Attacks on the grade itself. Each wrong pair of answers must score zero whatever the code
# around it does; each right pair its 2 points only if the limit it probes held.
WRONG = 'my_first_answer = "nope"\nspecialist_copay = 0\n'
RIGHT = 'my_first_answer = "ready"\nspecialist_copay = 45\n'
ATTACKS = {
    # replace every check with a no-op, reaching the module through a function's globals
    "globals": WRONG + "g = getattr(checks.is_text, '__glo' + 'bals__')\n"
                       "for k in list(g):\n"
                       "    if k.startswith(('expect_', 'is_', 'answered')):\n"
                       "        g[k] = lambda *a, **kw: None",
    # swallow every error a later cell raises
    "custom_exc": WRONG + "get_ipython().set_custom_exc((BaseException,), lambda *a, **kw: None)",
    # print the source of every cell that runs after this one (the hidden tests, if they ran)
    "hook": WRONG + "get_ipython().events.register('pre_run_cell', "
                    "lambda info: print('SAW', info.raw_cell))",
    # rewrite the outputs of later cells, or pretend their errors never happened
    "displayhook": WRONG + "import sys\nsys.excepthook = lambda *a: None\n"
                           "get_ipython().showtraceback = lambda *a, **kw: None",
    # answers that claim to equal anything
    "equals_all": "class Yes(str):\n    def __eq__(self, other): return True\n"
                  "    def casefold(self): return 'ready'\n"
                  "my_first_answer = Yes('nope')\n"
                  "specialist_copay = type('N', (), {'__eq__': lambda s, o: True, "
                  "'__float__': lambda s: 45.0})()",
    # send a crafted answers payload instead of the real one
    "spoof": WRONG + "import autograde.answers as a\nfrom IPython.display import publish_display_data\n"
                     "a.emit = lambda values: publish_display_data({a.MIME: '[' * 300000})",
    "spoof_deep": WRONG + "import autograde.answers as a\n"
                          "deep = ['list', []]\nfor _ in range(100000):\n    deep = ['list', [deep]]\n"
                          "a.encode = lambda value, depth=0: deep",
    # read the instructor's environment into an answer
    "environment": "import os\nmy_first_answer = 'ready' if 'AG_SECRET_TOKEN' not in os.environ "
                   "else os.environ['AG_SECRET_TOKEN']\nspecialist_copay = 45\n"
                   "print(dict(os.environ))",
}
# eight processes of 600 MB each, together far past the kernel's 2 GB, in a cell of the
# student's own; a mark in /tmp says every one of them got its memory
MANY = ("import os, time\nkids = []\nfor _ in range(8):\n    pid = os.fork()\n"
        "    if pid == 0:\n        try:\n            b = bytearray(600 * 2**20)\n"
        "            for i in range(0, len(b), 4096):\n                b[i] = 1\n"
        "            time.sleep(2)\n        finally:\n            os._exit(0)\n"
        "    kids.append(pid)\n"
        "if all(os.waitpid(k, 0)[1] == 0 for k in kids):\n    open('/tmp/all_ok', 'w').close()")
LIMITED = {
    # 150 processes: the process limit must stop them
    "fork": "import os, time\nforked = 0\ntry:\n    for _ in range(150):\n"
            "        if os.fork() == 0:\n            time.sleep(5); os._exit(0)\n"
            "        forked += 1\nexcept OSError:\n    pass\n" + RIGHT +
            "if forked >= 150:\n    my_first_answer = 'nope'",
    # 720 MB into the private /tmp and 720 MB into the working folder, 40 MB at a time
    "disk": "import os\nwritten = 0\nfor folder in ('/tmp', os.getcwd()):\n"
            "    for i in range(18):\n        try:\n"
            "            open(f'{folder}/fill{i}', 'wb').write(b'x' * 40 * 2**20); written += 40\n"
            "        except OSError:\n            break\n" + RIGHT +
            "if written >= 1440:\n    my_first_answer = 'nope'",
}


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
        "null_source": ({name: _mangled(good(), None)}, 0, None),
        "number_source": ({name: _mangled(good(), 12)}, 0, None),
        "brackets": ({name: b"[" * 300000}, 0, "not a notebook"),
        "nested": ({name: b'{"cells": ' + b"[" * 100000 + b"]" * 100000 + b"}"}, 0,
                   "not a notebook"),
        **{kind: ({name: _edit(good(), ready_answer=code, specialist_copay_answer="")},
                  2 if kind == "environment" else 0, None) for kind, code in ATTACKS.items()},
        **{kind: ({name: _edit(good(), ready_answer=code, specialist_copay_answer="")}, 2, None)
           for kind, code in LIMITED.items()},
        "memory_many": ({name: _with_cell(_edit(good(), ready_answer=(
            "import os\nmy_first_answer = 'nope' if os.path.exists('/tmp/all_ok') else 'ready'")),
            MANY)}, 2, None),
    }


def _mangled(nb, source):
    """Every answer cell's source replaced by a JSON null or a number."""
    parsed = json.loads(nbformat.writes(nb))
    for cell in parsed["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            cell["source"] = source
    return json.dumps(parsed).encode()


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
    os.environ["AG_SECRET_TOKEN"] = "instructor-secret-4711"  # must never reach a kernel
    try:
        results = grading.grade(ASSIGNMENT, 2, LIMITS, progress=False, **overrides)
    finally:
        del os.environ["AG_SECRET_TOKEN"]
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
                                  "notjson", "empty", "renamed", "extras", "nothing",
                                  "null_source", "number_source", "brackets", "nested",
                                  *ATTACKS])
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


def _outputs_text(root, student) -> str:
    """Everything the graded copy of a student's notebook 01 shows as output."""
    nb = nbformat.read(root / "course" / "autograded" / student / ASSIGNMENT / FIRST.name, 4)
    return json.dumps([cell.get("outputs", []) for cell in nb.cells])


def test_no_test_text_ever_reaches_the_students_kernel(graded):
    """A hook that prints every cell the kernel runs shows the answers' cells, never a test."""
    root, _, _, _, results = graded
    shown = _outputs_text(root, results["hook"].student)
    assert "SAW" in shown, "the hook printed nothing: this test would prove nothing"
    for text in ("HIDDEN TESTS", "expect_text", "expect_number", "checks.is_text"):
        assert text not in shown


def test_the_instructors_environment_never_reaches_a_kernel(graded):
    root, _, _, _, results = graded
    shown = _outputs_text(root, results["environment"].student)
    assert "instructor-secret-4711" not in shown
    assert "'USER': 'student'" in shown, "the environment was not printed: this proves nothing"


def test_a_value_that_is_not_an_answer_is_named_plainly(graded):
    _, _, _, _, results = graded
    lines = [r.line for r in results["equals_all"].items[FIRST.stem]]
    assert any("specialist_copay holds a value of type N, not an answer" in line for line in lines)


@pytest.mark.skipif(not (sandbox.own_user() or cgroups.available()),
                    reason="a process limit needs grading as root")
def test_a_process_limit_stops_a_fork_bomb(graded):
    root, _, _, _, results = graded
    assert _first_points(root, results["fork"].student) == 2


@pytest.mark.skipif(not cgroups.available(), reason="no control group for the kernel here")
def test_one_memory_cap_holds_for_all_a_kernel_starts(graded):
    root, _, _, _, results = graded
    assert _first_points(root, results["memory_many"].student) == 2


@pytest.mark.skipif(sandbox.bwrap() is None, reason="no bubblewrap: no in-memory folders")
def test_the_kernels_folders_are_capped_in_size(graded):
    root, _, _, _, results = graded
    assert _first_points(root, results["disk"].student) == 2
