"""What a student reads in a feedback page for a failed test cell: one plain line."""
import nbformat

from autograde.feedback import PlainErrors


def _test_cell(*errors):
    cell = nbformat.v4.new_code_cell("checks.is_text(x, 'x')\n### BEGIN HIDDEN TESTS\n...")
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "x_test"}
    cell.outputs = [nbformat.v4.new_output("error", ename=e, evalue=v, traceback=tb)
                    for e, v, tb in errors]
    return cell


def test_feedback_keeps_the_checks_plain_line_and_cuts_every_traceback():
    cell = _test_cell(
        ("NameError", "name 'x' is not defined", ["\u2717 The notebook does not know the name x."]),
        ("AnswerProblem", "Recheck the deductible.", ["\u2717 Recheck the deductible."]),
        ("ZeroDivisionError", "division by zero",
         ["----", "Cell In[3], line 2", "checks.expect_number(x, 1234)", "ZeroDivisionError"]),
        ("NameError", "name 'y' is not defined", ["\u2717 one", "checks.expect_text(y, 'key')"]))
    cell, _ = PlainErrors().preprocess_cell(cell, {}, 0)
    shown = [output.traceback for output in cell.outputs]
    assert shown == [["\u2717 The notebook does not know the name x."],
                     ["\u2717 Recheck the deductible."],
                     ["ZeroDivisionError: division by zero"],
                     ["NameError: name 'y' is not defined"]]
