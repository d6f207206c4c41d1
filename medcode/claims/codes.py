"""The small code lists a claim and a remittance use: place of service, CARC, RARC, group codes.

Read from ``medcode/data/claims`` (see ``SOURCE.md`` there). CARC and RARC meanings are the
course's own words: X12 owns the official wording.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

__all__ = ["DATA", "place_of_service", "is_place_of_service", "is_facility", "carc", "rarc",
           "group", "adjustment_codes"]

DATA = Path(__file__).resolve().parent.parent / "data" / "claims"


@lru_cache(maxsize=None)
def _pos() -> dict[str, tuple[str, str]]:
    with open(DATA / "place_of_service.csv", newline="", encoding="utf-8") as f:
        return {row["code"]: (row["name"], row["setting"]) for row in csv.DictReader(f)}


@lru_cache(maxsize=None)
def adjustment_codes() -> dict[tuple[str, str], str]:
    """{(kind, code): meaning} for kind "group", "carc" or "rarc"."""
    with open(DATA / "adjustment_codes.csv", newline="", encoding="utf-8") as f:
        return {(row["kind"], row["code"]): row["meaning_in_our_words"]
                for row in csv.DictReader(f)}


def _fold(code) -> str:
    return str(code).strip().upper()


def place_of_service(code) -> str:
    """The name of a place-of-service code ("11" -> "Office"); ValueError if unknown."""
    entry = _pos().get(_fold(code).zfill(2))
    if entry is None:
        raise ValueError(f"{code!r} is not a place-of-service code in the course's CMS list")
    return entry[0]


def is_place_of_service(code) -> bool:
    return _fold(code).zfill(2) in _pos()


def is_facility(code) -> bool:
    """True when Medicare pays a physician's service here at the (lower) facility rate."""
    return _pos().get(_fold(code).zfill(2), ("", ""))[1] == "facility"


def _meaning(kind: str, code) -> str:
    meaning = adjustment_codes().get((kind, _fold(code)))
    if meaning is None:
        raise ValueError(f"{kind.upper()} {code!r} is not in the course's list")
    return meaning


def carc(code) -> str:
    """A claim adjustment reason code's meaning, in the course's own words."""
    return _meaning("carc", code)


def rarc(code) -> str:
    """A remittance advice remark code's meaning, in the course's own words."""
    return _meaning("rarc", code)


def group(code) -> str:
    """A claim adjustment group code's meaning (CO, PR, OA, PI)."""
    return _meaning("group", code)
