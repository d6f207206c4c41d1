"""Typical wrong answers, derived from a right one with the course's own engines.

Used by ``tests/test_feedback_matrix.py``. Each :class:`Wrong` is what a student plausibly
types instead of the key -- the parent category, a sibling code, the wrong 7th character or
side, the right codes in the wrong order, a code missing or extra, a number off by rounding or
a unit, a blank, the wrong kind of value -- with the rules (:mod:`medcode.rules`) its message
may name. Nothing here is per item: the derivations read only the value and the code set it
belongs to, so items added later are covered as they appear.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from medcode import cpt, ehr, hcpcs, icd10cm
from medcode.normalize import as_date, normalize_code

SAME_CATEGORY = frozenset({"specificity", "laterality", "seventh"})
# A spare code of each set that no key uses, for "one code too many".
_SPARE = {"icd10cm": "R51.9", "cpt": "99000", "hcpcs": "A4550", "line": "36415"}


@dataclass(frozen=True)
class Wrong:
    """A wrong answer, why it is typical, and the rules a right message may name."""
    kind: str
    value: object
    rules: frozenset
    may_pass: bool = False       # e.g. another order where the item does not grade order
    needs_all: bool = False      # the message must name every rule, not one of them
    keys: tuple = field(default=())  # parts of the key the answer lacks: never in the message


def _wrong(kind, value, rules, **more) -> Wrong:
    return Wrong(kind, value, frozenset([rules] if isinstance(rules, str) else rules), **more)


# --------------------------------------------------------------------------- what a value is

def system_of(code: str, hinted: str | None) -> str | None:
    """The code set a key code belongs to (the item's system= when it names one)."""
    if not isinstance(code, str):
        return None
    if hinted:
        return hinted
    if _line(code) and (cpt.is_valid(_line(code)[0]) or hcpcs.is_valid(_line(code)[0])):
        return "line"
    return None


def _line(text: str):
    """(code, "-MOD-MOD", units) of a claim line typed as the notebooks ask, or None."""
    try:
        line = ehr.parse_line(text)
    except ValueError:
        return None
    return line["code"], "".join(f"-{m}" for m in line["modifiers"]), line["units"]


# --------------------------------------------------------------------------- single codes

def _parent(code: str) -> str | None:
    """The category or subcategory just above a code (not a block of categories)."""
    parent = icd10cm.parent(code)
    return parent if parent and "-" not in parent else None


def _icd_family(code: str) -> list[Wrong]:
    out = []
    parent = _parent(code)
    if parent:
        out.append(_wrong("parent category", parent, "incomplete", keys=(code,)))
    folded = normalize_code(code)
    siblings = [c for c in icd10cm.children(parent) if normalize_code(c) != folded] if parent else []
    described = icd10cm.describe(code).lower()
    for sibling in siblings:
        if len(folded) == 7 and normalize_code(sibling)[:-1] == folded[:-1]:
            out.append(_wrong("wrong 7th character", sibling, "seventh", keys=(code,)))
            break
    for sibling in siblings:
        other = icd10cm.describe(sibling).lower()
        if any(a in described and b in other for a, b in (("right", "left"), ("left", "right"))):
            swapped = re.sub(r"\b(right|left)\b", lambda m: "left" if m[1] == "right" else "right",
                             described)
            if swapped == other and icd10cm.is_billable(sibling):
                out.append(_wrong("wrong laterality", sibling, "laterality", keys=(code,)))
                break
    billable = [s for s in siblings if icd10cm.is_billable(s)]
    if billable:
        out.append(_wrong("sibling code", billable[0], SAME_CATEGORY, keys=(code,)))
    return out


def _cpt_family(code: str) -> list[Wrong]:
    out = []
    new, established = ["99202", "99203", "99204", "99205"], ["99211", "99212", "99213",
                                                              "99214", "99215"]
    for family, other in ((new, established), (established, new)):
        if code in family:
            level = family.index(code)
            lower = family[level - 1] if level else family[level + 1]
            out.append(_wrong("E/M level off by one", lower, "em_level", keys=(code,)))
            out.append(_wrong("new/established mixed up", other[min(level, len(other) - 1)],
                              "patient_status", keys=(code,)))
            return out
    neighbour = next((c for c in cpt.codes() if c != code and cpt.section(c) == cpt.section(code)
                      and c[:3] == code[:3]), None)
    if neighbour:
        out.append(_wrong("neighbouring code", neighbour, "descriptor", keys=(code,)))
    return out


def _hcpcs_family(code: str) -> list[Wrong]:
    near = [c for c in hcpcs.codes() if c != code and c[:3] == code[:3]]
    out = [_wrong("CPT for HCPCS", "99213", "code_set", keys=(code,))]
    if near:
        out.append(_wrong("neighbouring code", near[0], "descriptor", keys=(code,)))
    return out


def _modifier_family(code: str) -> list[Wrong]:
    pairs = {"RT": "LT", "LT": "RT", "F1": "F2", "T1": "T2", "FA": "F1", "TA": "T1"}
    out = []
    if code in pairs:
        out.append(_wrong("other side or digit", pairs[code], "laterality", keys=(code,)))
    other = "25" if code != "25" else "59"
    out.append(_wrong("another modifier", other, {"modifier", "laterality"}, keys=(code,)))
    return out


def _code_answers(code: str, system: str) -> list[Wrong]:
    family = {"icd10cm": _icd_family, "cpt": _cpt_family, "hcpcs": _hcpcs_family,
              "modifier": _modifier_family}.get(system, lambda c: [])
    out = family(code)
    out.append(_wrong("not a code", "ZZZ99", {"not_a_code", "format", "code_choice", "code_set"},
                      keys=(code,)))
    return out


# --------------------------------------------------------------------------- other values

def _number_answers(key: float) -> list[Wrong]:
    out = [_wrong("number as words", "about forty", "format")]
    if key:
        out += [_wrong("percent or cents: x100", round(key * 100, 6), "units"),
                _wrong("percent or cents: /100", key / 100, "units")]
    rounded = round(key)
    if abs(rounded - key) > 0.005:
        out.append(_wrong("rounded too early", rounded, "rounding"))
    else:
        # some items take a looser tolerance than half a cent: then a cent off may pass
        out.append(_wrong("off by a cent", key + 0.01, "rounding", may_pass=True))
    out.append(_wrong("calculation slip", key * 1.5 + 7, "calculation"))
    return out


def _date_answers(text: str) -> list[Wrong]:
    day = as_date(text)
    other = day + datetime.timedelta(days=1)
    return [_wrong("another spelling of the date", day.strftime("%m/%d/%y"), set(), may_pass=True),
            _wrong("the ISO spelling", day.isoformat(), set(), may_pass=True),
            _wrong("another date", other.strftime("%m/%d/%Y"), "date", keys=(text,)),
            _wrong("not a date", "last week", {"date", "format"}, keys=(text,))]


def _text_answers(text: str, options: list[str]) -> list[Wrong]:
    if as_date(text):
        return _date_answers(text)
    out = [_wrong("a number for text", 42, {"format", "term", "choice", "calculation",
                                            "not_a_code"}, keys=(text,))]
    others = [o for o in options if o.lower() != text.lower()]
    if others:
        out.append(_wrong("another option", others[0], {"choice", "term", "format"},
                          keys=(text,), may_pass=True))
    else:
        out.append(_wrong("another term", "something else entirely",
                          {"term", "choice", "format", "code_choice", "not_a_code"},
                          keys=(text,)))
    return out


def _list_answers(items: list, system: str | None) -> list[Wrong]:
    out = []
    if len(items) > 1:
        out.append(_wrong("right codes, wrong order", list(reversed(items)), "order",
                          may_pass=True))
        out.append(_wrong("a code missing", items[:-1], {"missing", "count"}, keys=(items[-1],)))
    spare = _SPARE.get(system or "")
    if spare and spare not in items:
        out.append(_wrong("a code too many", [*items, spare], {"extra", "count"}))
    if system == "icd10cm":
        for i, code in enumerate(items):
            parent = _parent(code)
            if parent:
                changed = [*items[:i], parent, *items[i + 1:]]
                out.append(_wrong("a non-billable code in the list", changed, "incomplete",
                                  keys=(code,)))
                if len(items) > 2:
                    short = [c for c in changed if c != items[(i + 1) % len(items)]]
                    out.append(_wrong("a code missing and another incomplete", short,
                                      {"incomplete"}, needs_all=True,
                                      keys=(code, items[(i + 1) % len(items)])))
                break
    if system == "line":
        out += _line_list_answers(items)
    return out


def _line_list_answers(items: list) -> list[Wrong]:
    out = []
    for i, item in enumerate(items):
        code, mods, units = _line(item)
        swap = lambda new: [*items[:i], new, *items[i + 1:]]  # noqa: E731
        if mods:
            out.append(_wrong("modifier left off", swap(code + (f" x{units}" if units > 1 else "")),
                              "modifier"))
        out.append(_wrong("units miscounted", swap(f"{code}{mods} x{units + 1}"), "units"))
        family = _cpt_family(code) if code[:1].isdigit() else _hcpcs_family(code)[1:]
        out += [_wrong(w.kind, swap(w.value + mods), w.rules) for w in family[:1]]
    return out


def same_case(code: str, lists: list) -> list[Wrong]:
    """For a first-listed code: the case's other codes (from the notebook's code lists)."""
    others = {c for codes in lists if code in codes for c in codes if c != code}
    return [_wrong("another code of the same case first", other, "order", keys=(code,))
            for other in sorted(others)[:2]]


def derive(value, system: str | None = None, options: list[str] = ()) -> list[Wrong]:
    """The typical wrong answers for the right answer ``value``."""
    out = [_wrong("blank", ..., "blank")]
    if isinstance(value, bool):
        return out + [_wrong("the other way round", not value, "yes_no"),
                      _wrong("not yes or no", "maybe", {"format", "yes_no"})]
    if isinstance(value, (int, float)):
        return out + _number_answers(float(value))
    if isinstance(value, str):
        hinted = system_of(value, system)
        if hinted in ("icd10cm", "cpt", "hcpcs", "modifier"):
            return out + _code_answers(value, hinted)
        return out + _text_answers(value, list(options))
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        hinted = system or (system_of(value[0], None) if value else None)
        return out + [_wrong("one entry as text", value[0] if value else "x",
                             {"format", "count", "missing"})] + _list_answers(list(value), hinted)
    return out
