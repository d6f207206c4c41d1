"""The hidden tests: read from the instructor's notebook, run only in the trusted grader.

A student's kernel never sees a test cell. :func:`plan` takes each autograded test cell of the
source notebook (visible check and hidden tests) with the answer names it reads; the student's
kernel sends those answers out as data (``autograde.answers``); :func:`run` then runs each test
in the grading worker, a Python process that never executes student code, in a fresh namespace
holding only the notebook's preamble (its imports) and those values. Each item comes back as
a :class:`Result`: points earned and possible, what the visible check printed, and the one
plain line a failed check shows (``medcode.checks.failure_line``), which becomes the test
cell's output that nbgrader scores and the feedback page shows.
"""
from __future__ import annotations

import ast
import builtins
import contextlib
import io
import signal
from dataclasses import dataclass, field

import nbformat

from autograde import cells
from autograde.answers import NotAnAnswer
from medcode import checks

SECONDS_PER_ITEM = 10
MAX_PRINTED = 20_000
PREAMBLE = "preamble"


@dataclass(frozen=True)
class Item:
    """One autograded test cell: its whole source, its points and the answers it reads."""
    grade_id: str
    source: str
    points: float
    names: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    """What grading one notebook needs from its source: the preamble and every test."""
    preamble: str
    items: tuple[Item, ...]


@dataclass
class Result:
    """The trusted outcome of one test cell."""
    grade_id: str
    points: float
    earned: float
    printed: str = ""
    line: str = ""          # the plain line of a failed check; "" when it passed
    error: str = ""         # the error's name, for nbgrader's error output
    note: str = ""          # for the instructor only: an unexpected error in the test itself

    def outputs(self) -> list:
        """The test cell's outputs: what the check printed, then the failure if any."""
        shown = [nbformat.v4.new_output("stream", name="stdout", text=self.printed)] \
            if self.printed else []
        if self.line:
            shown.append(nbformat.v4.new_output("error", ename=self.error, evalue=self.line,
                                                traceback=[self.line]))
        return shown


def _bound(tree) -> set[str]:
    """Names a cell binds at its top level (imports and assignments)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found.add(node.id)
    return found


def _reads(source: str, known: set[str]) -> tuple[str, ...]:
    """The names a test reads that neither the preamble nor Python itself provides."""
    tree = ast.parse(source)
    loaded = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return tuple(sorted(loaded - known - set(dir(builtins))))


def plan(source_nb) -> Plan:
    """The preamble and the autograded tests of an instructor's source notebook."""
    preamble = "\n".join(c.source for c in source_nb.cells if cells.grade_id(c) == PREAMBLE)
    known = _bound(ast.parse(preamble))
    items = tuple(Item(cells.grade_id(c), c.source, cells.points(c), _reads(c.source, known))
                  for c in source_nb.cells if cells.is_test(c))
    return Plan(preamble, items)


class _TooLong(Exception):
    """A test ran past its time."""


@contextlib.contextmanager
def _time_limit(seconds: int):
    """Stop a test that runs too long (only the main thread can have the alarm)."""
    def stop(signum, frame):
        raise _TooLong()

    try:
        previous = signal.signal(signal.SIGALRM, stop)
    except ValueError:  # not the main thread: no alarm to be had
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _failed(item: Item, line: str, error: str = "AnswerProblem", **more) -> Result:
    return Result(item.grade_id, item.points, 0.0, line=line, error=error, **more)


def _check(item: Item, preamble: dict, values: dict) -> Result:
    """Run one test on the answers it reads, in a namespace of its own."""
    for name in item.names:
        if isinstance(values.get(name), NotAnAnswer):
            return _failed(item, f"{checks.FAILED} {values[name].message(name)}")
    namespace = {**preamble, **{n: values[n] for n in item.names if n in values}}
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed), _time_limit(SECONDS_PER_ITEM):
            exec(compile(item.source, f"<{item.grade_id}>", "exec"), namespace)
    except _TooLong:
        return _failed(item, f"{checks.FAILED} Checking this answer took too long; make it the "
                             "value the question asks for.", "TimeLimit")
    except Exception as error:  # noqa: BLE001  (any failure of a test scores it zero)
        line = checks.failure_line(error)
        note = "" if line else f"{type(error).__name__}: {error}"
        return _failed(item, line or f"{checks.FAILED} This answer could not be checked: it does "
                       "not have the shape the question asks for.", type(error).__name__,
                       printed=printed.getvalue()[:MAX_PRINTED], note=note)
    return Result(item.grade_id, item.points, item.points, printed.getvalue()[:MAX_PRINTED])


def run(notebook_plan: Plan, answers: dict) -> list[Result]:
    """Grade each item of a notebook from the answers its test cell sent.

    ``answers`` maps a test's grade id to {name: value} or, when the student's kernel sent
    nothing for it, to the plain reason why (the cell was not run, the data was unreadable).
    """
    preamble = {"__name__": "__graded__"}
    exec(compile(notebook_plan.preamble, "<preamble>", "exec"), preamble)
    results = []
    for item in notebook_plan.items:
        got = answers.get(item.grade_id, "this cell was not run")
        if isinstance(got, str):
            results.append(_failed(item, f"{checks.FAILED} Not graded: {got}.", "NotRun"))
        else:
            results.append(_check(item, preamble, got))
    return results


@dataclass
class Graded:
    """A notebook graded: nbgrader's copy with trusted outputs, the run's problems, the items."""
    notebook: str
    problems: list[str] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
