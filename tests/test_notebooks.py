"""Every notebook, as the instructor wrote it and as the student gets it.

- the source runs top to bottom and passes every one of its own tests;
- the student version runs with its blanks: lecture cells work, every graded test fails
  (so a blank earns nothing), and the blanks read like a form;
- end to end through nbgrader: a correct submission scores full marks, a blank one zero, a
  partly right one its exact partial score, as read back from the exported grades.
"""
import nbformat
import pytest

from autograde import course, submissions
from tests import harness

SOURCES = course.source_notebooks()
ASSIGNMENTS = course.assignments()


def _id(path):
    return f"{path.parent.name}/{path.stem}"


@pytest.mark.parametrize("path", SOURCES, ids=_id)
def test_source_runs_and_passes_its_own_tests(path):
    nb = harness.execute(path)
    for index, cell in enumerate(nb.cells):
        errors = harness.outputs_of_kind(cell, "error")
        assert not errors, f"cell {index} ({harness.role(cell)}) failed: {errors[0].get('evalue')}"
        if harness.role(cell) == "test":
            assert not harness.outputs_of_kind(cell, "stderr"), f"test cell {index} wrote to stderr"


@pytest.mark.parametrize("path", SOURCES, ids=_id)
def test_student_version_runs_and_earns_nothing_blank(path, released):
    student = released(path.parent.name) / path.name
    nb = harness.execute(student)
    for index, cell in enumerate(nb.cells):
        kind = harness.role(cell)
        if kind == "test":
            assert harness.outputs_of_kind(cell, "error"), f"test cell {index} passes on a blank"
            message = harness.outputs_of_kind(cell, "error")[0]
            assert message["ename"] == "AnswerProblem", f"cell {index}: {message['ename']} on a blank"
        elif kind == "answer":
            assert "..." in cell.source, f"answer cell {index} shows no blank"
        else:
            assert not harness.outputs_of_kind(cell, "error"), f"lecture cell {index} failed"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_grades_end_to_end(assignment, course_copy, released, tmp_path):
    released(assignment)
    sources = [nbformat.read(p, as_version=4) for p in course.source_notebooks(assignment)]
    auto = {k: v for nb in sources for k, v in submissions.autograded_points(nb).items()}
    manual = sum(v for nb in sources for v in submissions.manual_points(nb).values())
    some = sorted(auto)[::2]
    students = {f"{assignment}-correct": None, f"{assignment}-blank": [],
                f"{assignment}-partial": some}
    grader = course.api(**course_copy)
    for student, items in students.items():
        harness.submit(course_copy, assignment, student, items)
        course.checked(grader.autograde(assignment, student, force=True, create=True),
                       f"autograde {student}")
    harness.grade_manual_in_full(course_copy, assignment, f"{assignment}-correct")
    scores = harness.export_scores(course_copy, tmp_path / "grades.csv")
    full = sum(auto.values()) + manual
    assert scores[(assignment, f"{assignment}-correct")] == (full, full)
    assert scores[(assignment, f"{assignment}-blank")] == (0, full)
    assert scores[(assignment, f"{assignment}-partial")] == (sum(auto[i] for i in some), full)
