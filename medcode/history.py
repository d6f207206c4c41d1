"""Dated milestones of the billing and coding profession and its code sets.

The timeline is package data (``data/history/milestones.csv``), one row per milestone with
the primary source that states its date, so a notebook can show it as a table or a plot and a
test can check that every row is sourced.
"""
from __future__ import annotations

import csv
from datetime import date
from importlib import resources

__all__ = ["milestones", "year_of"]

FIELDS = ("date", "precision", "category", "short", "milestone", "source", "source_url")


def milestones() -> list[dict]:
    """Every milestone, oldest first, as a dict of the CSV's fields plus ``year``."""
    with resources.files("medcode").joinpath("data/history/milestones.csv").open(
            encoding="utf-8", newline="") as handle:
        rows = [dict(row, year=year_of(row["date"])) for row in csv.DictReader(handle)]
    return sorted(rows, key=lambda row: row["date"])


def year_of(iso: str) -> int:
    """The year of an ISO date given to year, month or day precision ("1893", "1979-01")."""
    parts = [int(p) for p in iso.split("-")]
    return date(*(parts + [1] * (3 - len(parts)))).year
