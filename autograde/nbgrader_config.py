"""nbgrader configuration for the course (loaded by ``python -m autograde`` and by the
``nbgrader_config.py`` at the repository root, so plain ``nbgrader`` commands work too).

Everything nbgrader generates -- release, submissions, autograded copies, feedback and the
SQLite gradebook -- goes under the git-ignored ``course/`` folder.
"""
import os

c = get_config()  # noqa: F821  (injected by traitlets when it loads this file)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GENERATED = os.path.join(ROOT, "course")

c.CourseDirectory.course_id = "medical-billing-coding"
c.CourseDirectory.root = ROOT
c.CourseDirectory.source_directory = "notebooks"
c.CourseDirectory.release_directory = "course/release"
c.CourseDirectory.submitted_directory = "course/submitted"
c.CourseDirectory.autograded_directory = "course/autograded"
c.CourseDirectory.feedback_directory = "course/feedback"
c.CourseDirectory.solution_directory = "course/solution"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(GENERATED, "gradebook.db")
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".*"]

# A blank that looks like a blank on a form: `primary_dx = ...` (see autograde/stubs.py).
c.ClearSolutions.code_stub = {"python": "..."}
c.ClearSolutions.text_stub = "Write your answer here."
c.GenerateAssignment.preprocessors = [
    "nbgrader.preprocessors.IncludeHeaderFooter",
    "nbgrader.preprocessors.InstantiateTests",
    "nbgrader.preprocessors.LockCells",
    "autograde.stubs.FormStubs",
    "autograde.practice.PracticeKeys",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.CheckCellMetadata",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.SaveCells",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.ClearMarkScheme",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Feedback without hidden tests or tracebacks however it is made: `python -m autograde
# feedback`, `nbgrader generate_feedback`, or formgrader's "Generate Feedback" button (nbgrader's
# own default shows every hidden test; see autograde/feedback.py).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "autograde.feedback.PlainErrors",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# The course's late policy, applied when grading to hand-ins whose timestamp (from the LMS
# download, see autograde/collect.py) is after the assignment's due date (collect --due):
# "none" records the lateness and takes nothing off; "zero" scores a late notebook zero.
# `export` shows each late hand-in and its penalty, and exports the score less the penalty.
c.LateSubmissionPlugin.penalty_method = "none"

# Limits while grading: one cell may run 60 s; the kernel gets 60 s to start.
c.Execute.timeout = 60
c.Execute.startup_timeout = 60
c.Execute.interrupt_on_timeout = True
