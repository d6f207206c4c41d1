"""Read the package's CSV tables (``medcode/data/<thing>/<file>.csv``) once, as plain dicts.

Every code-set module keeps its data beside a ``SOURCE.md`` that names the CMS or AMA file it
came from; this helper only loads it, so the modules stay about rules, not file handling.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def rows(path: str) -> tuple[dict, ...]:
    """The rows of ``medcode/data/<path>`` as read-only dicts (cached: the tables never change)."""
    with resources.files("medcode").joinpath(f"data/{path}").open(newline="", encoding="utf-8") as fh:
        return tuple(csv.DictReader(fh))


@lru_cache(maxsize=None)
def keyed(path: str, column: str) -> dict[str, dict]:
    """The rows of ``medcode/data/<path>`` by the value of ``column`` (built once, then cached)."""
    return {row[column]: row for row in rows(path)}
