"""Read the package's CSV tables (``medcode/data/<thing>/<file>.csv``) once, as plain dicts.

Every code-set module keeps its data beside a ``SOURCE.md`` that names the CMS or AMA file it
came from; this helper only loads it, so the modules stay about rules, not file handling.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

from . import normalize


@lru_cache(maxsize=None)
def rows(path: str) -> tuple[dict, ...]:
    """The rows of ``medcode/data/<path>`` as read-only dicts (cached: the tables never change)."""
    with resources.files("medcode").joinpath(f"data/{path}").open(newline="", encoding="utf-8") as fh:
        return tuple(csv.DictReader(fh))


@lru_cache(maxsize=None)
def keyed(path: str, column: str) -> dict[str, dict]:
    """The rows of ``medcode/data/<path>`` by the value of ``column`` (built once, then cached)."""
    return {row[column]: row for row in rows(path)}


def fold(code) -> str:
    """A code as the tables key it: case, spaces, dots and a leading hyphen ignored, as in
    answers (:func:`medcode.normalize.normalize_code`); "" for anything that is not text."""
    return normalize.normalize_code(code) if isinstance(code, str) else ""


class CodeTable:
    """One code set's table, keyed by its code column and looked up in any reasonable spelling.

    ``what`` names a code of the set in messages ("a HCPCS Level II code").
    """

    def __init__(self, path: str, column: str, what: str):
        self.path, self.column, self.what = path, column, what

    def rows(self) -> dict[str, dict]:
        """Every row, by its folded code."""
        return keyed(self.path, self.column)

    def codes(self) -> list[str]:
        """Every code in the table, sorted."""
        return sorted(self.rows())

    def __contains__(self, code) -> bool:
        return fold(code) in self.rows()

    def get(self, code) -> dict | None:
        """The row of ``code``, or None when the table does not have it."""
        return self.rows().get(fold(code))

    def row(self, code) -> dict:
        """The row of ``code``; a KeyError that says so in plain words when it is not there."""
        found = self.get(code)
        if found is None:
            raise KeyError(f"{code!r} is not {self.what} in the course's table")
        return found
