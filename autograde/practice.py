"""Practice keys: kept in the instructor's notebook, turned into fingerprints at release.

A practice cell gives a student immediate right-or-wrong feedback by comparing a salted hash of
the answer with a fingerprint (``medcode.checks.practice``). A fingerprint pasted by hand can
be wrong, and then a right answer is told it is wrong with nothing to catch it. So the key
itself lives in the source notebook, in the check cell's instructor-only metadata::

    "metadata": {"practice": {"key": "I10"}}

and :class:`PracticeKeys`, a step of nbgrader's ``generate_assignment``, writes the
fingerprint made from that key into the released cell and removes the key. The source cell
keeps a fingerprint too, so the instructor's notebook runs as it is;
``tests/test_practice_keys.py`` checks that every practice cell has a key and that its
fingerprint is the key's.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from nbgrader.preprocessors import NbGraderPreprocessor

from medcode import checks

META = "practice"


@dataclass(frozen=True)
class Practice:
    """One ``checks.practice(item, answer, digest, kind=...)`` call and its cell's key."""
    item: str
    digest: str
    kind: str
    key: object          # None when the cell carries no key

    @property
    def expected(self) -> str | None:
        """The fingerprint the key makes, or None without a key."""
        return None if self.key is None else checks.fingerprint(self.item, self.key, self.kind)


def _call(source: str) -> ast.Call | None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    return next((node for node in ast.walk(tree) if isinstance(node, ast.Call)
                 and getattr(node.func, "attr", "") == "practice"
                 and getattr(node.func, "value", None) is not None
                 and getattr(node.func.value, "id", "") == "checks"), None)


def practice(cell) -> Practice | None:
    """The practice check in a code cell, or None when it has none."""
    if cell.get("cell_type") != "code":
        return None
    call = _call(cell.get("source", ""))
    if call is None or len(call.args) < 3:
        return None
    kind = next((k.value for k in call.keywords if k.arg == "kind"), None)
    item, digest = call.args[0], call.args[2]
    meta = (cell.get("metadata") or {}).get(META) or {}
    return Practice(ast.literal_eval(item), ast.literal_eval(digest),
                    ast.literal_eval(kind) if kind is not None else "text", meta.get("key"))


def released(cell) -> None:
    """Write the key's fingerprint into a practice cell and remove the key (in place)."""
    found = practice(cell)
    if found is None:
        return
    if found.key is None:
        raise ValueError(f"practice {found.item!r} has no key in its cell's metadata")
    cell.source = re.sub(rf'(["\']){re.escape(found.digest)}\1', f'"{found.expected}"',
                         cell.source, count=1)
    cell.metadata.pop(META, None)


class PracticeKeys(NbGraderPreprocessor):
    """generate_assignment step: practice fingerprints from the keys, keys left behind."""

    def preprocess_cell(self, cell, resources, index):
        released(cell)
        return cell, resources
