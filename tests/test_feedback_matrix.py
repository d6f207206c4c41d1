"""The feedback matrix: every autograded item, graded on its typical wrong answers.

For each autograded test cell of every source notebook, the right answers are the notebook's
own solution cells; ``tests/wrong_answers.py`` derives the typical wrong answers from them with
the code sets; each is graded exactly as the grader grades (``autograde.hidden.run``, outside
any kernel). Every wrong answer must lose the item's points (unless it is another accepted
spelling), its message must open with the label of a rule it actually broke
(:mod:`medcode.rules`), and the message must never show the part of the key the student lacks.
"""
from __future__ import annotations

import ast
import re
from functools import lru_cache

import nbformat
import pytest

from autograde import cells, course, hidden
from medcode import rules
from medcode.normalize import normalize_code, normalize_text
from tests import wrong_answers

_SYSTEM = re.compile(r"""system\s*=\s*["'](\w+)["']""")


@lru_cache(maxsize=None)
def _notebook(path):
    """The notebook's grading plan and the values its solution cells assign."""
    source = nbformat.read(path, 4)
    plan = hidden.plan(source)
    values = {"__name__": "__solution__"}
    exec(compile(plan.preamble, "<preamble>", "exec"), values)
    for cell in source.cells:
        if cells.is_answer(cell) and cell.cell_type == "code":
            exec(compile(cell.source, f"<{cells.grade_id(cell)}>", "exec"), values)
    return plan, values


def _options(source: str) -> list[str]:
    """The options a visible is_choice / is_form check lists, if any."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") in ("is_choice", "is_form"):
            listed = [k.value for k in node.keywords if k.arg == "options"] or node.args[1:2]
            if listed and isinstance(listed[0], ast.List) and getattr(node.func, "attr") == \
                    "is_choice" or (listed and getattr(node.func, "attr") == "is_form"
                                    and any(k.arg == "options" for k in node.keywords)):
                try:
                    return [str(v) for v in ast.literal_eval(listed[0])]
                except ValueError:
                    return []
    return []


def _grade(plan, item, values):
    return hidden.run(hidden.Plan(plan.preamble, (item,)), {item.grade_id: values})[0]


def _codes_in(line: str) -> set[str]:
    return {normalize_code(token) for token in re.findall(r"[A-Z0-9][A-Z0-9.]{1,7}", line)}


def _shows(line: str, secret) -> bool:
    """Whether a message shows a piece of the key (a code, a long enough number or term)."""
    if isinstance(secret, bool) or secret is None:
        return False
    if isinstance(secret, (int, float)):
        shown = f"{secret:g}"
        return len(shown.replace(".", "")) >= 3 and re.search(rf"(?<![\d.]){re.escape(shown)}"
                                                              r"(?!\.?\d)", line) is not None
    text = str(secret)
    if re.fullmatch(r"[A-Za-z0-9]{1,3}(\.[A-Za-z0-9]{1,4})?|[A-Z0-9]{5}(-[A-Z0-9]{2})*( x\d+)?",
                    text.strip()):
        return normalize_code(text.split(" x")[0].split("-")[0]) in _codes_in(line) \
            and len(normalize_code(text)) >= 3
    folded = normalize_text(text)
    return len(folded) >= 4 and re.search(rf"\b{re.escape(folded)}\b", normalize_text(line)) \
        is not None


def _cases(path):
    """(item, answer name, field or None, wrong answer) for every item of a notebook."""
    plan, solved = _notebook(path)
    lists = [v for v in solved.values() if isinstance(v, list)
             and all(isinstance(c, str) for c in v)]
    for item in plan.items:
        system = (_SYSTEM.findall(item.source) or [None])[0]
        options = _options(item.source)
        own = hidden._bound(ast.parse(item.source))   # a comprehension's variable is no answer
        for name in (n for n in item.names if n not in own):
            value = solved.get(name)
            if system == "icd10cm" and isinstance(value, str):
                for wrong in wrong_answers.same_case(value, lists):
                    yield item, name, None, wrong
            if isinstance(value, dict):
                for key, field_value in value.items():
                    for wrong in wrong_answers.derive(field_value, None, options):
                        if wrong.kind == "blank":
                            continue
                        yield item, name, key, wrong
            else:
                for wrong in wrong_answers.derive(value, system, options):
                    yield item, name, None, wrong


def _problems(path) -> list[str]:
    plan, solved = _notebook(path)
    found = []
    for item, name, key, wrong in _cases(path):
        values = {n: solved.get(n) for n in item.names}
        if key is None:
            values[name] = wrong.value
            secrets = wrong.keys
        else:
            values[name] = {**solved[name], key: wrong.value}
            secrets = (solved[name][key],) if not isinstance(solved[name][key], (list, tuple)) \
                else tuple(solved[name][key])
        result = _grade(plan, item, values)
        where = f"{item.grade_id} [{name}{'.' + str(key) if key is not None else ''}] " \
                f"{wrong.kind} {wrong.value!r}"
        if result.earned >= result.points:
            if not wrong.may_pass:
                found.append(f"{where}: earned full points")
            continue
        named = set(rules.named(result.line))
        wanted = wrong.rules if key is None else {"fields", "format", "blank"}
        if wrong.needs_all and not wanted <= named or not wrong.needs_all and wanted \
                and not named & wanted:
            found.append(f"{where}: names {sorted(named)}, wanted {sorted(wanted)}: {result.line}")
        if key is not None and result.line and rules.rule_of(result.line) == "fields" \
                and f"- {key}:" not in result.line:
            found.append(f"{where}: the field is not named: {result.line}")
        shown = _without_options(result.line, _options(item.source), name)
        leaked = [s for s in secrets if not _given(s, wrong.value) and _shows(shown, s)]
        if leaked:
            found.append(f"{where}: shows the key {leaked}: {result.line}")
    return found


def _without_options(line: str, options: list[str], name: str) -> str:
    """A message without what the question itself shows: its list of options, the answer's name."""
    line = line.replace(name, "")
    if options and all(repr(o) in line for o in options):
        for option in options:
            line = line.replace(repr(option), "")
    return line


def _given(secret, answer) -> bool:
    """Whether the student's own answer holds that piece (showing it back is no leak)."""
    shown = answer if isinstance(answer, (list, tuple)) else [answer]
    return any(isinstance(a, str) and isinstance(secret, str)
               and normalize_code(a) == normalize_code(secret) for a in shown)


@pytest.mark.parametrize("path", course.source_notebooks(), ids=lambda p: p.stem)
def test_every_typical_wrong_answer_is_told_the_rule_it_broke(path):
    problems = _problems(path)
    assert not problems, "\n".join(problems)


def test_the_matrix_covers_every_autograded_item_with_wrong_answers():
    for path in course.source_notebooks():
        plan, _ = _notebook(path)
        covered = {item.grade_id for item, *_ in _cases(path)}
        assert covered == {item.grade_id for item in plan.items}, path.name
        kinds = {wrong.kind for *_, wrong in _cases(path)}
        assert "blank" in kinds or not plan.items, path.name

