"""What a student sees in a real kernel: a check never passes an answer the cell above no
longer produces, a curly quote is named as such (Validate included), and the set-up cell runs
first when a student starts further down (medcode/preamble.py)."""
import json

import nbformat
import pytest
from jupyter_client.manager import start_new_kernel
from nbgrader.validator import Validator

from autograde import cells, course, workbook
from medcode import checks, preamble

CURLY_ANSWER = "my_first_answer = \u201cready\u201d"


class Kernel:
    """A real IPython kernel, driven the way JupyterLab drives it: one cell at a time."""

    def __init__(self, **kwargs):
        self.manager, self.client = start_new_kernel(kernel_name="python3", **kwargs)

    def run(self, source: str) -> str:
        """Run one cell; everything it showed (text, errors), as one string."""
        shown = []

        def keep(message):
            content = message["content"]
            if message["msg_type"] == "stream":
                shown.append(content["text"])
            elif message["msg_type"] == "error":
                shown.append("\n".join(content["traceback"]))
            elif message["msg_type"] in ("execute_result", "display_data"):
                shown.append(content["data"].get("text/plain", ""))

        self.client.execute_interactive(source, output_hook=keep, timeout=60)
        return "".join(shown)

    def stop(self):
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


@pytest.fixture
def kernel():
    started = Kernel()
    yield started
    started.stop()


def test_a_check_refuses_the_old_value_once_its_answer_cell_breaks(kernel):
    kernel.run("from medcode import checks\nchecks.setup_notebook()")
    kernel.run('my_first_answer = "ready"')
    check = 'checks.is_text(my_first_answer, "my_first_answer")'
    assert "\u2713 my_first_answer is text" in kernel.run(check)

    broken = kernel.run(CURLY_ANSWER)
    assert "curly \u201csmart\u201d quote" in broken and "SyntaxError" in broken
    assert kernel.run('print(repr(my_first_answer))').strip() == "'ready'", \
        "the old value stays in the kernel; only the check must refuse it"
    refused = kernel.run(check)
    assert "\u2713" not in refused and refused.startswith(checks.FAILED)
    assert "The cell that sets my_first_answer did not run" in refused
    assert "curly \u201csmart\u201d quote" in refused and "Traceback" not in refused

    kernel.run('my_first_answer = "ready"')
    assert "\u2713 my_first_answer is text" in kernel.run(check)


def test_a_cell_that_stops_part_way_leaves_its_names_stale_until_it_runs(kernel):
    kernel.run("from medcode import checks\nchecks.setup_notebook()")
    kernel.run("copay = 30")
    shown = kernel.run("copay = 45\ncoinsurance = 0.2 * undefined_amount")
    assert "does not know the name undefined_amount" in shown
    for name in ("copay", "coinsurance"):
        refused = kernel.run(f'checks.is_number({name}, "{name}")')
        assert f"The cell that sets {name} did not run" in refused and "undefined_amount" in refused
    kernel.run("copay = 45\ncoinsurance = 9")
    assert "\u2713 copay is a number" in kernel.run('checks.is_number(copay, "copay")')


def test_names_assigned_by_a_cell_python_cannot_read_are_still_found():
    assert checks.assigned_names("x = \u201cE11.9\u201d\ny: str = 'a'\nz == 1") == ["x", "y"]
    assert checks.assigned_names("a, (b, c) = 1, (2, 3)\nd += 1\nprint(e)") == ["a", "b", "c", "d"]
    assert checks.assigned_names('form = {\n    "copay": \u201c30\u201d,\n}') == ["form"]


def _first_released(released):
    return sorted(released("m0_orientation").glob("*.ipynb"))[0]


def test_validate_names_the_curly_quote_not_a_missing_name(released, tmp_path):
    nb = nbformat.read(_first_released(released), as_version=4)
    answer = next(c for c in nb.cells if cells.grade_id(c) == "ready_answer")
    answer.source = CURLY_ANSWER
    path = tmp_path / "curly.ipynb"
    nbformat.write(nb, path)
    result = Validator().validate(str(path))
    messages = [cell["error"] for cell in result["failed"]]
    first = next(m for m in messages if "my_first_answer" in m)
    assert "curly \u201csmart\u201d quote" in first and "does not know the name" not in first


@pytest.fixture
def kernel_for_a_notebook(released):
    """A kernel started as the student's JupyterLab starts one, for a released notebook."""
    path = _first_released(released)
    started = Kernel(extra_arguments=["--ext=medcode.preamble"], cwd=str(path.parent),
                     env={"JPY_SESSION_NAME": str(path)})
    yield started, nbformat.read(path, as_version=4)
    started.stop()


def test_the_preamble_runs_first_when_a_student_starts_further_down(kernel_for_a_notebook):
    kernel, nb = kernel_for_a_notebook
    blank = next(c for c in nb.cells if cells.is_answer(c))
    check = next(c for c in nb.cells if cells.is_test(c))
    assert kernel.run(blank.source).strip() == preamble.NOTICE
    shown = kernel.run(check.source)
    assert "is still blank" in shown and "NameError" not in shown
    assert preamble.NOTICE not in shown, "it runs once per kernel"


def test_a_student_who_starts_at_the_top_runs_the_preamble_once(kernel_for_a_notebook):
    kernel, nb = kernel_for_a_notebook
    assert kernel.run(nb.cells[0].source) == ""
    check = next(c for c in nb.cells if cells.is_test(c))
    assert preamble.NOTICE not in kernel.run(check.source)


def test_the_preamble_is_found_only_in_a_course_notebook(tmp_path):
    lecture = tmp_path / "other.ipynb"
    lecture.write_text(json.dumps({"cells": [{"cell_type": "code", "source": ["import os"],
                                              "metadata": {}}]}))
    assert preamble.preamble_source(lecture) is None
    assert preamble.preamble_source(tmp_path / "missing.ipynb") is None
    source = preamble.preamble_source(course.source_notebooks()[0])
    assert source.startswith(workbook.BANNERS["preamble"])
    assert source.rstrip().endswith("checks.setup_notebook()")


def test_the_stale_record_is_read_only_while_a_notebook_cell_runs(capsys):
    """The grader's trusted runner calls the same checks outside any cell: it never sees it."""
    from IPython.core.interactiveshell import InteractiveShell
    shell = InteractiveShell.instance()
    shell.run_cell("from medcode import checks; checks.setup_notebook()")
    shell.run_cell("stale_copay = 45")
    shell.run_cell("stale_copay = $45")
    capsys.readouterr()
    shell.run_cell('checks.is_number(stale_copay, "stale_copay")')
    assert "did not run" in capsys.readouterr().out
    checks.is_number(45, "stale_copay")
    assert "\u2713 stale_copay is a number" in capsys.readouterr().out
