"""The answer keys written in the source notebooks, found by reading their code (never running it).

Hidden tests decide correctness with ``checks.expect_*`` calls whose second argument is the key.
The course-wide tests (``tests/test_answer_keys.py``) check those keys against the pinned code
sets; this module finds them, so a check for another code set or another kind of key (CPT,
HCPCS, a JSON chart's answer) is a few lines on top of :func:`calls`::

    for call in keys.calls("expect_code", "expect_codes"):
        if call.system == "cpt":
            for code in call.codes: ...

Arguments are bound to the real signature of the ``checks`` function, so positional and keyword
spellings are read alike. A key given as a variable is resolved when the notebook assigns that
variable a literal at the top level of some cell; otherwise ``call.literal`` is False.
"""
from __future__ import annotations

import ast
import inspect
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograde import course
from autograde.cells import grade_id
from medcode import checks

ICD_SHAPE = re.compile(r"^[A-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?$")
_UNKNOWN = object()


@dataclass(frozen=True)
class KeyCall:
    """One ``checks.<function>(...)`` call in a notebook cell, with its arguments bound."""

    notebook: Path
    cell: str          # the cell's nbgrader grade_id, or "cell N"
    line: int
    function: str
    arguments: dict    # parameter name -> literal value (or _UNKNOWN when not a literal)

    @property
    def where(self) -> str:
        shown = self.notebook.relative_to(course.ROOT) if self.notebook.is_relative_to(course.ROOT) \
            else self.notebook
        return f"{shown} [{self.cell}] line {self.line}"

    @property
    def key(self):
        return self.arguments.get("key")

    @property
    def literal(self) -> bool:
        return self.key is not _UNKNOWN

    @property
    def system(self) -> str | None:
        system = self.arguments.get("system")
        return None if system is _UNKNOWN else system

    @property
    def codes(self) -> list[str]:
        """The key as a list of code strings (one for expect_code, all for expect_codes)."""
        key = self.key
        if isinstance(key, str):
            return [key]
        if isinstance(key, (list, tuple)):
            return [k for k in key if isinstance(k, str)]
        return []


def _parse(source: str) -> ast.Module | None:
    """The cell's code as a syntax tree; IPython magics are translated first."""
    try:
        return ast.parse(source)
    except SyntaxError:
        from IPython.core.inputtransformer2 import TransformerManager
        try:
            return ast.parse(TransformerManager().transform_cell(source))
        except SyntaxError:
            return None


def _value(node: ast.AST, names: dict):
    if isinstance(node, ast.Name):
        return names.get(node.id, _UNKNOWN)
    try:
        return ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError):
        return _UNKNOWN


def _literal_names(trees) -> dict:
    """Top-level ``NAME = literal`` assignments anywhere in the notebook."""
    names = {}
    for tree in trees:
        for stmt in tree.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 \
                    and isinstance(stmt.targets[0], ast.Name):
                value = _value(stmt.value, {})
                if value is not _UNKNOWN:
                    names[stmt.targets[0].id] = value
    return names


def _called(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
            and func.value.id == "checks":
        return func.attr
    return func.id if isinstance(func, ast.Name) else None


def _bind(function: str, node: ast.Call, names: dict) -> dict:
    signature = inspect.signature(getattr(checks, function))
    kwargs = {kw.arg: kw.value for kw in node.keywords if kw.arg}
    try:
        bound = signature.bind_partial(*node.args, **kwargs)
    except TypeError:
        return {}
    return {name: _value(value, names) for name, value in bound.arguments.items()}


def notebook_calls(path: Path, functions) -> list[KeyCall]:
    """The calls to the named ``checks`` functions in one notebook's code cells."""
    nb = nbformat.read(path, as_version=4)
    cells = [(grade_id(c) or f"cell {i}", _parse(c.source))
             for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    names = _literal_names(tree for _, tree in cells if tree)
    found = []
    for cell, tree in cells:
        for node in ast.walk(tree) if tree else ():
            if isinstance(node, ast.Call) and _called(node) in functions:
                function = _called(node)
                found.append(KeyCall(path, cell, node.lineno, function,
                                     _bind(function, node, names)))
    return found


def calls(*functions: str, notebooks=None) -> list[KeyCall]:
    """Every call to the named ``checks`` functions in the source notebooks (or ``notebooks``)."""
    paths = notebooks if notebooks is not None else course.source_notebooks()
    return [call for path in paths for call in notebook_calls(Path(path), set(functions))]


def unparsable(notebooks=None) -> list[str]:
    """Code cells that are not Python even after IPython's translation: keys there are unseen."""
    paths = notebooks if notebooks is not None else course.source_notebooks()
    bad = []
    for path in map(Path, paths):
        nb = nbformat.read(path, as_version=4)
        bad += [f"{path.name} cell {i}" for i, c in enumerate(nb.cells)
                if c.cell_type == "code" and _parse(c.source) is None]
    return bad
