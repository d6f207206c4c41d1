"""``report``: class analytics for one assignment, as a single HTML page with plots.

* the distribution of total scores;
* per item: difficulty (the mean share of its points the class earned, from 0 = nobody to
  1 = everybody) and discrimination (the correlation between the item's score and the rest of
  the test: near zero or negative flags an item that does not separate students who know the
  material from those who do not);
* per item, the most common wrong answers, read from the students' answer cells, and how
  many students left it blank (a blank, ``x = ...`` as handed out, is not a wrong answer:
  it says nothing about what the class misunderstood).

Only instructors read it: it shows students' answers, never hidden tests.
"""
from __future__ import annotations

import ast
import base64
import html
import io
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograde import cells, course, problems, submissions
from autograde.course import Course
from autograde.problems import BadInput

TOP_WRONG = 3


@dataclass
class Results:
    """Points per student and item, and what each student wrote for each item."""
    max_points: dict[str, float] = field(default_factory=dict)
    written: set[str] = field(default_factory=set)
    points: dict[str, dict[str, float]] = field(default_factory=lambda: defaultdict(dict))
    answers: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    blank: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def totals(self) -> dict[str, float]:
        """Each student's total points."""
        return {s: sum(items.values()) for s, items in self.points.items()}


def _answer_text(source: str) -> str:
    """An answer cell as one short line: comments and blank lines dropped."""
    lines = [re.sub(r"\s+#.*$", "", l).strip() for l in source.splitlines()]
    return " ".join(l for l in lines if l and not l.startswith("#"))[:120]


def _blank_value(node) -> bool:
    """``...``, or a form (dict, list) whose every value is ``...``."""
    if isinstance(node, ast.Constant):
        return node.value is Ellipsis
    if isinstance(node, ast.Dict):
        return bool(node.values) and all(_blank_value(v) for v in node.values)
    if isinstance(node, (ast.List, ast.Tuple)):
        return bool(node.elts) and all(_blank_value(v) for v in node.elts)
    return False


def is_blank(source: str) -> bool:
    """An answer cell as handed out: empty, or only ``name = ...`` and forms of blanks."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return False
    return all(isinstance(n, (ast.Assign, ast.AnnAssign, ast.Expr)) and n.value is not None
               and _blank_value(n.value) for n in body)


def gather(assignment: str, **overrides) -> Results:
    """Read scores from the gradebook, answers from the autograded notebooks."""
    from nbgrader.api import Gradebook, MissingEntry

    where = Course(**overrides)
    problems.assignment(where, assignment)
    course.venv_bin_on_path()
    results = Results()
    for path in sorted(where.folder("source", ".", assignment).glob("*.ipynb")):
        source = nbformat.read(path, as_version=4)
        results.max_points.update(submissions.autograded_points(source))
        results.max_points.update(submissions.manual_points(source))
        results.written.update(submissions.manual_points(source))
    with Gradebook(where.dirs.db_url, where.dirs.course_id) as book:
        try:
            handed_in = book.assignment_submissions(assignment)
        except MissingEntry:
            handed_in = []
        for sub in handed_in:
            mine = results.points[sub.student.id]
            for notebook in sub.notebooks:
                for grade in notebook.grades:
                    item = submissions.item_of(grade.name)
                    mine[item] = mine.get(item, 0.0) + (grade.score or 0.0)
                _read_answers(where, assignment, sub.student.id, notebook.name, results)
    if not results.points:
        raise BadInput(f"nothing of {assignment} has been graded yet: run "
                       f"python -m autograde grade {assignment} first")
    return results


def _read_answers(where: Course, assignment: str, student: str, notebook: str,
                  results: Results) -> None:
    path = where.folder("autograded", student, assignment) / f"{notebook}.ipynb"
    if not path.is_file():
        return
    for cell in nbformat.read(path, as_version=4).cells:
        grade_id = cells.grade_id(cell)
        if cells.is_answer(cell):
            item = submissions.item_of(grade_id)
            results.answers[student][item] = _answer_text(cell.source)
            if cell.cell_type == "code" and is_blank(cell.source):
                results.blank[student].add(item)


def difficulty(results: Results, item: str) -> float:
    """Mean share of the item's points earned by the class."""
    shares = [p.get(item, 0) / results.max_points[item] for p in results.points.values()]
    return statistics.fmean(shares) if shares and results.max_points[item] else 0.0


def discrimination(results: Results, item: str) -> float | None:
    """Correlation of the item's score with the rest of the total (None: no spread)."""
    own = [p.get(item, 0) for p in results.points.values()]
    rest = [sum(p.values()) - p.get(item, 0) for p in results.points.values()]
    if len(own) < 3 or len(set(own)) < 2 or len(set(rest)) < 2:
        return None
    return statistics.correlation(own, rest)


def wrong_answers(results: Results, item: str) -> list[tuple[str, int]]:
    """The most common answers of students who answered the item and did not get its full
    points (blanks left out: see :func:`blanks`)."""
    wrong = Counter(results.answers[s].get(item, "(no answer)") for s, p in results.points.items()
                    if p.get(item, 0) < results.max_points[item]
                    and item not in results.blank[s])
    return wrong.most_common(TOP_WRONG)


def blanks(results: Results, item: str) -> int:
    """How many students left the item blank."""
    return sum(item in results.blank[s] for s in results.points)


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    return f'<img alt="plot" src="data:image/png;base64,{base64.b64encode(buffer.getvalue()).decode()}">'


def _plots(results: Results, items: list[str]) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    total = sum(results.max_points.values()) or 1
    shares = [100 * t / total for t in results.totals().values()]
    fig, ax = pyplot.subplots(figsize=(6, 3))
    ax.hist(shares, bins=range(0, 105, 10), color="#4477aa", edgecolor="white")
    ax.set(title="Score distribution", xlabel="score (% of points)", ylabel="students")
    plots = [_png(fig)]
    fig, (left, right) = pyplot.subplots(1, 2, sharey=True, figsize=(9, 0.4 * len(items) + 1))
    left.barh(items, [difficulty(results, i) for i in items], color="#66aa55")
    left.set(title="Difficulty (share of points earned)", xlim=(0, 1))
    right.barh(items, [discrimination(results, i) or 0 for i in items], color="#cc6677")
    right.set(title="Discrimination (item vs rest)", xlim=(-1, 1))
    plots.append(_png(fig))
    pyplot.close("all")
    return plots


def render(assignment: str, results: Results) -> str:
    """The report page as HTML."""
    items = sorted(results.max_points)
    totals = results.totals()
    rows = []
    for item in items:
        d = discrimination(results, item)
        wrong = "; ".join(f"<code>{html.escape(a)}</code> ({n})"
                          for a, n in wrong_answers(results, item)) or "none"
        if item in results.written:
            wrong = "written answer: graded by hand in formgrader"
        rows.append(f"<tr><td>{html.escape(item)}</td><td>{results.max_points[item]:g}</td>"
                    f"<td>{difficulty(results, item):.2f}</td>"
                    f"<td>{'n/a' if d is None else f'{d:.2f}'}</td><td>{wrong}</td>"
                    f"<td>{blanks(results, item)}</td></tr>")
    mean = statistics.fmean(totals.values()) if totals else 0
    return "\n".join([
        "<!DOCTYPE html><html><head><meta charset='utf-8'>",
        f"<title>Class report: {html.escape(assignment)}</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:auto}"
        "td,th{border-bottom:1px solid #ccc;padding:4px;text-align:left}</style></head><body>",
        f"<h1>Class report: {html.escape(assignment)}</h1>",
        f"<p>{len(totals)} students; mean {mean:.2f} of {sum(results.max_points.values()):g} "
        "points.</p>", *_plots(results, items),
        "<h2>Items</h2><table><tr><th>item</th><th>points</th><th>difficulty</th>"
        "<th>discrimination</th><th>most common wrong answers (students)</th>"
        "<th>left blank (students)</th></tr>",
        *rows, "</table></body></html>"])


def report(assignment: str, out: str | Path | None = None, **overrides) -> Path:
    """Write the class report of ``assignment``; returns its path."""
    where = Course(**overrides)
    facts = gather(assignment, **overrides)
    out = Path(out) if out else where.folder("reports") / f"{assignment}.html"
    out = problems.output_file(out, "the class report")
    out.write_text(render(assignment, facts), encoding="utf-8")
    return out
