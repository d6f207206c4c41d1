"""Answers leave the student's kernel as plain data; hidden tests run only on the trusted side."""
import fractions
import json

import nbformat
import pytest

from autograde import answers, course, hidden
from autograde.answers import NotAnAnswer


def _round_trip(value):
    return answers._decode(json.loads(json.dumps(answers.encode(value))))


@pytest.mark.parametrize("value", ["E11.9", "", 45, -3, 1234.5, True, False, None, ...,
                                   ["E11.22", "N18.31"], ("a", 1), {"copay": 20, "dx": ["I10"]},
                                   {("a", 1): [None, ...]}, [[[["deep"]]]]])
def test_every_kind_of_answer_comes_back_as_it_was(value):
    back = _round_trip(value)
    assert back == value and type(back) is type(value)


def test_sets_and_number_types_of_other_libraries_come_back_as_plain_values():
    assert _round_trip({"I10", "E11.9"}) == {"I10", "E11.9"}
    assert _round_trip(fractions.Fraction(1, 4)) == 0.25
    assert type(_round_trip(type("Count", (int,), {})(3))) is int


@pytest.mark.parametrize("value, what", [(len, "a function"), (json, "a module"),
                                         (object(), "a value of type object"),
                                         ("x" * 70_000, "too big"), ([[[[[[[[[[[[[[1]]]]]]]]]]]]]],
                                                                     "nested too deeply")])
def test_what_cannot_be_an_answer_is_named(value, what):
    node = answers._sized(answers.encode(value))
    back = answers._decode(json.loads(json.dumps(node)))
    assert isinstance(back, NotAnAnswer) and what in back.what
    assert "not an answer" in back.message("copay")


def _display(text):
    return [{"output_type": "display_data", "data": {answers.MIME: text}}]


@pytest.mark.parametrize("outputs", [[], [{"output_type": "stream", "text": "hi"}],
                                     _display("[" * 300_000), _display("x" * 2_000_000),
                                     _display('["not", "a table"]'),
                                     _display('{"copay": ["int", "45"]}'),
                                     _display('{"copay": ["eval", "__import__(\\"os\\")"]}')])
def test_a_payload_that_is_not_answers_is_refused_plainly(outputs):
    with pytest.raises(answers.Unreadable):
        answers.read(outputs, ["copay"])


def test_a_name_the_kernel_did_not_have_is_left_out():
    payload = json.dumps({"copay": answers.encode(45), "dx": answers.MISSING})
    assert answers.read(_display(payload), ["copay", "dx"]) == {"copay": 45}


def test_harvest_code_refuses_anything_but_names():
    assert "emit" in answers.harvest_code(["copay"])
    with pytest.raises(ValueError):
        answers.harvest_code(["copay); import os; os.system('x'"])


@pytest.mark.parametrize("path", course.source_notebooks(), ids=lambda p: p.stem)
def test_each_test_reads_only_the_preamble_and_answers_of_its_notebook(path):
    """The trusted runner gives a test nothing but the preamble and harvested answers."""
    source = nbformat.read(path, 4)
    plan = hidden.plan(source)
    assigned = set()
    for cell in source.cells:
        if cell.metadata.get("nbgrader", {}).get("solution") and cell.cell_type == "code":
            assigned |= hidden._bound(hidden.ast.parse(cell.source))
    for item in plan.items:
        extra = set(item.names) - assigned
        # a name bound inside the test itself (a comprehension's variable) is fine
        inner = hidden._bound(hidden.ast.parse(item.source))
        assert extra <= inner, (item.grade_id, extra - inner)


def _plan(test_source, preamble="from medcode import checks"):
    return hidden.Plan(preamble, (hidden.Item("q_test", test_source, 2.0,
                                              hidden._reads(test_source, {"checks"})),))


def test_a_passing_test_earns_its_points_and_keeps_what_it_printed():
    [result] = hidden.run(_plan('checks.is_number(copay, "copay")\n'
                                'checks.expect_number(copay, 45)'), {"q_test": {"copay": 45}})
    assert (result.earned, result.line) == (2.0, "") and "copay is a number" in result.printed
    assert [o.output_type for o in result.outputs()] == ["stream"]


def test_a_failed_check_shows_its_plain_line_and_scores_zero():
    [result] = hidden.run(_plan("checks.expect_number(copay, 45, hint='Read the card.')"),
                          {"q_test": {"copay": 20}})
    assert result.earned == 0 and result.line == (
        "\u2717 Calculation: That number is not right yet. Recheck each step of the calculation. "
        "Read the card.")
    assert result.outputs()[-1].traceback == [result.line]


def test_a_missing_answer_gets_the_plain_unknown_name_help():
    [result] = hidden.run(_plan("checks.expect_number(copay, 45)"), {"q_test": {}})
    assert result.earned == 0 and "does not know the name copay" in result.line


def test_an_unexpected_error_in_a_test_tells_the_student_plainly_and_the_instructor_fully():
    [result] = hidden.run(_plan("copay.no_such_thing"), {"q_test": {"copay": 45}})
    assert result.earned == 0 and "could not be checked" in result.line
    assert "AttributeError" in result.note and "no_such_thing" not in result.line


def test_a_test_that_runs_too_long_is_stopped(monkeypatch):
    monkeypatch.setattr(hidden, "SECONDS_PER_ITEM", 1)
    [result] = hidden.run(_plan("while copay: pass"), {"q_test": {"copay": 1}})
    assert result.earned == 0 and result.error == "TimeLimit"


def test_an_item_whose_answers_never_came_says_why():
    [result] = hidden.run(_plan("checks.expect_number(copay, 45)"),
                          {"q_test": "not run: the kernel stopped"})
    assert result.earned == 0 and "not run: the kernel stopped" in result.line


def test_a_worker_starts_the_next_kernel_while_the_current_notebook_runs():
    """The second notebook runs on a kernel started before it was asked for, with its files."""
    import time

    from autograde import runner, sandbox

    ahead = runner.Ahead()
    first, second = nbformat.v4.new_notebook(), nbformat.v4.new_notebook()
    first.cells = [nbformat.v4.new_code_cell("1 + 1")]
    second.cells = [nbformat.v4.new_code_cell(
        "import os, time, psutil\n"
        "print(round(time.time() - psutil.Process().create_time(), 1), sorted(os.listdir()))")]
    ahead.execute(nbformat.writes(first), {}, sandbox.Limits())
    time.sleep(3)
    ran = ahead.execute(nbformat.writes(second), {"data.csv": b"a\n"}, sandbox.Limits())
    age, listing = nbformat.reads(ran.notebook, 4).cells[0].outputs[0].text.split(" ", 1)
    assert float(age) >= 3 and "'data.csv'" in listing
    _, spare, _ = ahead.loop.run_until_complete(ahead.next)
    ahead.close()
    assert not spare.exists(), "the kernel started for no notebook leaves nothing behind"


def test_a_kernels_control_group_is_removed_with_it(monkeypatch):
    from autograde import cgroups, runner, sandbox

    if not cgroups.available():
        pytest.skip("no control groups here")
    made = []

    class Tracked(cgroups.Group):
        def __init__(self, *args):
            super().__init__(*args)
            made.append(self)

    monkeypatch.setattr(cgroups, "Group", Tracked)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import os\nprint(os.getpid())")]
    runner.execute(nbformat.writes(nb), {}, sandbox.Limits())
    assert made, "no control group was made: this test would prove nothing"
    assert [p for group in made for p in group.paths if p.exists()] == []
