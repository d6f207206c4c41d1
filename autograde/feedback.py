"""``feedback``: an HTML page per student, without hidden tests or expected answers.

nbgrader's own feedback shows every test cell as it ran, hidden tests included (its issue
#917), and a failed plain ``assert`` shows the line with the expected answer in its traceback.
The course's nbgrader configuration (autograde/nbgrader_config.py) gives nbgrader's feedback
step two more preprocessors: nbgrader's ClearHiddenTests, which cuts each hidden-test region out
of the test cells, and :class:`PlainErrors`, which shortens every error in a test cell to its
one-line message (the course's checks write that message in plain English, without the key).
It is set there, not here, so that formgrader's "Generate Feedback" button and a plain
``nbgrader generate_feedback`` make the same safe pages.
"""
from __future__ import annotations

from pathlib import Path

from nbgrader.preprocessors import NbGraderPreprocessor

from autograde import cells, course, problems
from autograde.course import Course
from autograde.problems import BadInput
from medcode import checks


class PlainErrors(NbGraderPreprocessor):
    """Errors in test cells show one line: no traceback, no test source.

    The line is the one the student saw in the notebook when the course's checks wrote it
    (a single line starting with a cross, from ``medcode.checks``), else ``name: message``.
    """

    def preprocess_cell(self, cell, resources, index):
        if cells.is_test(cell):
            for output in cell.get("outputs", []):
                if output.output_type == "error":
                    output.traceback = [_one_line(output)]
        return cell, resources


def _one_line(error) -> str:
    """The plain line the checks showed for an error output, or its name and message."""
    shown = error.get("traceback", [])
    if len(shown) == 1 and shown[0].startswith(checks.FAILED):
        return shown[0]
    return f"{error.ename}: {error.evalue}".rstrip(": ")


def feedback(assignment: str, **overrides) -> list[Path]:
    """Write feedback HTML for every graded student; returns the pages written."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    where = Course(**overrides)
    graded_notebooks(where, assignment)
    cfg = course.config(**overrides)
    course.venv_bin_on_path()
    api = NbGraderAPI(CourseDirectory(config=cfg), config=cfg)
    course.checked(api.generate_feedback(assignment, force=True), f"generate_feedback {assignment}")
    return sorted(where.folder("feedback", ".", assignment).parent.glob(f"*/{assignment}/*.html"))


def graded_notebooks(where: Course, assignment: str) -> list[Path]:
    """The autograded notebooks of ``assignment``; BadInput when there are none yet."""
    problems.assignment(where, assignment)
    top = Path(where.folder("autograded", ".", assignment)).parent
    graded = sorted(top.glob(f"*/{assignment}/*.ipynb"))
    if not graded:
        raise BadInput(f"nothing of {assignment} has been graded yet: run "
                       f"python -m autograde grade {assignment} first")
    return graded
