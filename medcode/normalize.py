"""Normalising answers: the one place that decides which spellings of an answer are the same.

Every engine (code sets, fee schedules, NCCI, terminology) and every answer check compares
what a student typed through these functions, so case, spaces, hyphens, the dot in an
ICD-10-CM code, "$" and commas in money are forgiven the same way everywhere. Nothing here
knows about notebooks or IPython: the notebook API is :mod:`medcode.checks`.
"""
from __future__ import annotations

import math
import re

__all__ = ["normalize_text", "normalize_code", "as_number", "is_sequence",
           "same_text", "same_code", "same_codes", "same_number"]


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
