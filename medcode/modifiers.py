"""CPT and HCPCS Level II modifiers: what each means, and the conflicts a claim line must avoid.

A modifier is two characters appended to a procedure code ("99213-25", "73610-RT"). CPT
modifiers are numbers (descriptions here are the course's own words, CPT is (c) AMA); HCPCS
Level II modifiers are letters or a letter and a digit, described with the CMS long descriptor
of the January 2026 HCPCS file (public). Every HCPCS row is marked ``in_hcpcs_2026`` = "yes":
listed in that file with no termination date, so a 2026 claim may carry it (see
``data/modifiers/SOURCE.md``); CPT modifiers are not in the CMS file and leave the column empty.

:func:`check` is what the claim scrubber calls. It takes one line or a list of lines, each a dict
``{"code": "99213", "modifiers": ["25"], "units": 1}`` (or a string ``"99213-25"``), and returns
a list of findings, each a dict::

    {"line": 1, "code": "99213", "modifier": "25", "severity": "error" | "warning",
     "problem": "plain-English explanation"}

An empty list means no modifier conflict was found. ``severity`` is "error" for combinations
that cannot be right (26 with TC, 50 with LT/RT, 25 on a procedure) and "warning" for choices a
coder should reconsider (59 where an X modifier fits).
"""
from __future__ import annotations

from collections.abc import Mapping

from medcode import normalize, tables
from medcode.rules import say

__all__ = ["NCCI_ASSOCIATED", "ANATOMIC", "modifiers", "is_valid", "describe", "level",
           "when_to_use", "parse", "check", "answer_feedback"]

# Modifiers CMS lists as NCCI-associated (NCCI Policy Manual for Medicare Services, Chapter I):
# when documentation supports them, they may bypass a PTP edit whose modifier indicator is 1.
ANATOMIC = frozenset("E1 E2 E3 E4 FA F1 F2 F3 F4 F5 F6 F7 F8 F9 TA T1 T2 T3 T4 T5 T6 T7 T8 T9 "
                     "LT RT LC LD RC LM RI".split())
NCCI_ASSOCIATED = ANATOMIC | frozenset("24 25 27 57 58 78 79 59 91 XE XS XP XU".split())
X_MODIFIERS = ("XE", "XS", "XP", "XU")
_DIGITS = {"F": ("FA",) + tuple(f"F{i}" for i in range(1, 10)),
           "T": ("TA",) + tuple(f"T{i}" for i in range(1, 10))}


_TABLE = tables.CodeTable("modifiers/modifiers.csv", "modifier", "a modifier")


def modifiers() -> list[str]:
    """Every modifier in the course's table."""
    return _TABLE.codes()


def is_valid(mod) -> bool:
    """True when ``mod`` ("25", "-25", "lt") is a modifier in the course's table."""
    return mod in _TABLE


def describe(mod) -> str:
    """What a modifier means (CMS 2026 long descriptor for HCPCS modifiers, our summary for CPT
    ones)."""
    return _TABLE.row(mod)["description"]


def _gist(mod) -> str:
    """The descriptor up to its first semicolon: CMS's long descriptors (TC runs to seven lines)
    are too long for a feedback line, and their first clause carries the meaning."""
    return describe(mod).split(";")[0]


def level(mod) -> str:
    """"CPT" or "HCPCS": which code set the modifier belongs to."""
    return _TABLE.row(mod)["level"]


def when_to_use(mod) -> str:
    """When a coder appends this modifier, in plain words."""
    return _TABLE.row(mod)["when_to_use"]


def parse(line) -> dict:
    """A claim line as a dict: "99213-25" or {"code": ..., "modifiers": [...]} -> normalised dict."""
    if isinstance(line, str):
        code, *mods = [part for part in line.replace(" ", "").split("-") if part]
        line = {"code": code, "modifiers": mods}
    mods = line.get("modifiers") or []
    if isinstance(mods, str):
        mods = [mods]
    return {**line, "code": normalize.normalize_code(line["code"]),
            "modifiers": [tables.fold(m) for m in mods], "units": line.get("units", 1)}


def _is_em(code: str) -> bool:
    return code.isdigit() and "99202" <= code <= "99499"


def _finding(number, code, mod, severity, problem) -> dict:
    return {"line": number, "code": code, "modifier": mod, "severity": severity,
            "problem": problem}


def _split_rows(code: str) -> set[str]:
    """Modifiers (26, TC) the fee schedule lists separately for a code, if the code is priced."""
    return {row["modifier"] for row in tables.rows("mpfs/rvu.csv") if row["code"] == code}


def _line_findings(number: int, line: dict) -> list[dict]:
    code, mods = line["code"], line["modifiers"]
    found = [_finding(number, code, m, "error", f"{m} is not a modifier the course knows; "
                      "check the CPT and HCPCS modifier lists.") for m in mods if not is_valid(m)]
    if "26" in mods and "TC" in mods:
        found.append(_finding(number, code, "26", "error", "26 (professional component) and TC "
                              "(technical component) split one service: a line carries one or the "
                              "other; for both parts, report the code alone."))
    if "50" in mods and {"LT", "RT"} & set(mods):
        found.append(_finding(number, code, "50", "error", "50 already means both sides; do not "
                              "add LT or RT to a bilateral line."))
    if {"LT", "RT"} <= set(mods):
        found.append(_finding(number, code, "LT", "error", "LT and RT on one line contradict "
                              "each other: use two lines, or 50 when the procedure is bilateral."))
    split = _split_rows(code)
    for mod in ("26", "TC"):
        if mod in mods and split and mod not in split:
            found.append(_finding(number, code, mod, "error", f"{code} has no professional/"
                                  f"technical split in the fee schedule, so {mod} does not apply."))
    if "25" in mods and not _is_em(code):
        found.append(_finding(number, code, "25", "error", "25 belongs on the E/M code, never on "
                              "the procedure: it says the visit was separately identifiable."))
    if "59" in mods:
        found.append(_finding(number, code, "59", "error" if _is_em(code) else "warning",
                              "59 is never appended to an E/M service (use 25)." if _is_em(code)
                              else "59 is the modifier of last resort: use XE (separate "
                              "encounter), XS (separate structure), XP (separate practitioner) or "
                              "XU (unusual non-overlapping service) when one describes the case."))
    return found


def _claim_findings(lines: list[dict]) -> list[dict]:
    has_procedure = any(not _is_em(line["code"]) for line in lines)
    return [_finding(n, line["code"], "25", "warning", "25 says the visit was separate from a "
                     "procedure the same day, but no procedure is on this claim.")
            for n, line in enumerate(lines, 1)
            if "25" in line["modifiers"] and _is_em(line["code"]) and not has_procedure]


def check(lines) -> list[dict]:
    """Modifier conflicts on one claim line or a list of lines (see the module docstring).

    >>> [f["problem"][:2] for f in check("71046-26-TC")]
    ['26']
    """
    if isinstance(lines, (str, Mapping)):
        lines = [lines]
    parsed = [parse(line) for line in lines]
    found = [f for n, line in enumerate(parsed, 1) for f in _line_findings(n, line)]
    return found + _claim_findings(parsed)


def answer_feedback(answer, key) -> str | None:
    """Why a modifier answer is not the key, from the modifier table; never names the key.

    Called by :func:`medcode.checks.expect_code` (system="modifier"); the message opens with
    its rule's label (:mod:`medcode.rules`).
    """
    got, want = tables.fold(answer), tables.fold(key)
    if not got or got == want:
        return None
    if not is_valid(got):
        return say("not_a_code", f"{got} is not a modifier in the course's CPT/HCPCS tables.")
    for family in _DIGITS.values():
        if got in family and want in family:
            return say("laterality", f"{got} means \"{_gist(got)}\": right idea (a digit "
                       "modifier), wrong finger or toe. Count the digits from the thumb or great "
                       "toe, and check the side.")
    if {got, want} == {"LT", "RT"}:
        return say("laterality", "Right idea, wrong side: recheck which side the record names.")
    if got == "59" and want in X_MODIFIERS:
        return say("modifier", "59 is the modifier of last resort; CMS asks for the more "
                   "specific X modifier (XE, XS, XP or XU) that describes why the service is "
                   "distinct.")
    return say("modifier", f"{got} means: {_gist(got)}. That is not what this case calls for.")
