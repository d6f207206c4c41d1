"""Normalising answers: the one place that decides which spellings of an answer are the same.

Every engine (code sets, fee schedules, NCCI, terminology) and every answer check compares
what a student typed through these functions, so case, spaces, hyphens, the dot in an
ICD-10-CM code, "$" and commas in money are forgiven the same way everywhere. Nothing here
knows about notebooks or IPython: the notebook API is :mod:`medcode.checks`.
"""
from __future__ import annotations

import datetime
import math
import re

__all__ = ["normalize_text", "normalize_code", "as_number", "as_date", "is_sequence",
           "same_text", "same_code", "same_codes", "same_number", "same_date"]


def is_sequence(value) -> bool:
    """A list or tuple: the shapes a student's list of codes may take."""
    return isinstance(value, (list, tuple))


_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
                         "\u2014": "-", "\u2019": "'", "\u2018": "'"})


def normalize_text(value) -> str:
    """Fold a free-text answer so that case, spacing, hyphens and end punctuation don't matter.

    "Fee-for-service.", " fee for  service" and "FEE FOR SERVICE" all become "fee for service".
    """
    text = str(value).translate(_DASHES).casefold()
    text = re.sub(r"[-_/+]+", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text.strip(" .,;:!?\"'")


def normalize_code(value) -> str:
    """Fold a code so that case, spaces, dots and a leading hyphen don't matter.

    "e11.9", " E119 " and "E11.9" all become "E119"; a modifier "-25" becomes "25".
    Codes are compared in this folded form and displayed in their official form.
    """
    text = str(value).translate(_DASHES).upper()
    text = re.sub(r"[\s.]+", "", text)
    return text.lstrip("-")


_MONEY = re.compile(r"^[+-]?\$?[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")


def as_number(value) -> float | None:
    """The number an answer stands for, or None if it is not one.

    Accepts 1234.5, 1234, "1234.50", "$1,234.50". Rejects True/False, blanks and words,
    because a student who typed them has not yet given a number.
    """
    if isinstance(value, bool) or value is None or value is Ellipsis:
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        if text and any(ch.isdigit() for ch in text) and _MONEY.match(text):
            negative = text.startswith("-") or text.startswith("$-")
            number = float(re.sub(r"[^\d.]", "", text))
            return -number if negative else number
    return None


def same_text(answer, key) -> bool:
    """True when a free-text answer equals the key once both are normalised."""
    return normalize_text(answer) == normalize_text(key)


def same_code(answer, key) -> bool:
    """True when two codes are the same once case, spaces and dots are ignored."""
    return isinstance(answer, str) and normalize_code(answer) == normalize_code(key)


def same_codes(answer, key, ordered: bool = False) -> bool:
    """True when a list of codes matches the key; order counts only when ``ordered``."""
    if not is_sequence(answer) or not all(isinstance(a, str) for a in answer):
        return False
    got = [normalize_code(a) for a in answer]
    want = [normalize_code(k) for k in key]
    return got == want if ordered else sorted(got) == sorted(want)


def same_number(answer, key, tolerance: float = 0.005) -> bool:
    """True when an answer is the key's number, within ``tolerance`` (half a cent by default)."""
    number = as_number(answer)
    return number is not None and abs(number - float(key)) <= tolerance


# A date as people and forms write it: 2026-10-21 (ISO, the 837's CCYYMMDD with dashes),
# 10/21/2026, 10-21-26, 10 21 26 (the CMS-1500's MM DD YY boxes), 10212026, 20261021.
_YEAR_FIRST = re.compile(r"^(\d{4})[-/. ](\d{1,2})[-/. ](\d{1,2})$")
_MONTH_FIRST = re.compile(r"^(\d{1,2})[-/. ]+(\d{1,2})[-/. ]+(\d{2}|\d{4})$")
_DIGITS_ONLY = re.compile(r"^\d{6}$|^\d{8}$")
_WORDED = ("%B %d, %Y", "%B %d %Y", "%b %d, %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y")


def _full_year(year: str) -> int:
    """A two-digit year read as forms read it: 00-69 are 2000s, 70-99 are 1900s."""
    number = int(year)
    if len(year) == 4:
        return number
    return 2000 + number if number < 70 else 1900 + number


def _calendar(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def as_date(value) -> datetime.date | None:
    """The calendar date an answer spells, in any common US or ISO spelling, or None.

    Also "October 1, 2015", "Oct. 1 2015" and "1 October 2015".

    Month comes before day in every slashed or spaced spelling (the US and CMS-1500 order);
    eight bare digits are read year-first when they start with a plausible year (X12's
    CCYYMMDD), otherwise as MMDDYYYY.
    """
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    found = _YEAR_FIRST.match(text)
    if found:
        return _calendar(int(found[1]), int(found[2]), int(found[3]))
    found = _MONTH_FIRST.match(text)
    if found:
        return _calendar(_full_year(found[3]), int(found[1]), int(found[2]))
    for spelling in _WORDED:
        try:
            return datetime.datetime.strptime(text.replace(".", ""), spelling).date()
        except ValueError:
            continue
    if _DIGITS_ONLY.match(text):
        if len(text) == 8 and 1900 <= int(text[:4]) <= 2099:
            return _calendar(int(text[:4]), int(text[4:6]), int(text[6:]))
        return _calendar(_full_year(text[4:]), int(text[:2]), int(text[2:4]))
    return None


def same_date(answer, key) -> bool:
    """True when an answer spells the key's calendar date (see :func:`as_date`)."""
    got = as_date(answer)
    return got is not None and got == as_date(key)
