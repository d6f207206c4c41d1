"""Office and other outpatient E/M levelling under the 2021-and-later rules.

Since 2021 an office or outpatient visit (new patient 99202-99205, established 99212-99215) is
levelled by **either** medical decision making (MDM) **or** the practitioner's total time on the
date of the encounter -- whichever the documentation supports better. History and examination
no longer pick the level; they only need to be medically appropriate.

MDM has three elements; the level is the highest one that **two of the three** reach:

* number and complexity of problems addressed: minimal, low, moderate, high;
* amount and/or complexity of data reviewed and analysed: minimal, limited, moderate, extensive;
* risk of complications of patient management: minimal, low, moderate, high.

The minimum minutes for each level by time are the ones in the CMS CY 2026 fee schedule file's
descriptors (99202 15, 99203 30, 99204 45, 99205 60; 99212 10, 99213 20, 99214 30, 99215 40).
99211 is the visit that may not require a physician; it has no MDM or time level.
"""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["MDM_LEVELS", "Level", "mdm", "level", "by_time", "is_new_patient"]

MDM_LEVELS = ("straightforward", "low", "moderate", "high")

_ELEMENT_WORDS = {
    "problems": ("minimal", "low", "moderate", "high"),
    "data": ("minimal", "limited", "moderate", "extensive"),
    "risk": ("minimal", "low", "moderate", "high"),
}
_CODES = {"new": ("99202", "99203", "99204", "99205"),
          "established": ("99212", "99213", "99214", "99215")}
_MINUTES = {"new": (15, 30, 45, 60), "established": (10, 20, 30, 40)}


@dataclass
class Level:
    """An E/M level: the code, what it rests on ("MDM" or "time"), and why, step by step."""
    code: str
    basis: str
    reasoning: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join([f"{self.code} (by {self.basis})", *[f"- {r}" for r in self.reasoning]])


def _rank(element: str, value: str) -> int:
    words = _ELEMENT_WORDS[element]
    text = str(value).strip().lower()
    if text == "straightforward":
        text = "minimal"
    if text not in words:
        raise ValueError(f"{element} must be one of {', '.join(words)}; got {value!r}")
    return words.index(text)


def _patient(patient: str) -> str:
    text = str(patient).strip().lower()
    if text not in _CODES:
        raise ValueError(f"patient must be 'new' or 'established'; got {patient!r}")
    return text


def mdm(problems: str, data: str, risk: str) -> tuple[str, list[str]]:
    """The MDM level two of the three elements reach, with the reasoning."""
    ranks = {e: _rank(e, v) for e, v in (("problems", problems), ("data", data), ("risk", risk))}
    middle = sorted(ranks.values())[1]          # the level at least two elements meet
    steps = [f"{e}: {_ELEMENT_WORDS[e][r]} -> {MDM_LEVELS[r]}" for e, r in ranks.items()]
    steps.append(f"two of three elements reach {MDM_LEVELS[middle]}, so MDM is {MDM_LEVELS[middle]}")
    return MDM_LEVELS[middle], steps


def by_time(patient: str, minutes: float) -> Level | None:
    """The level total time on the date of the encounter supports, or None below the lowest level."""
    kind = _patient(patient)
    met = [i for i, floor in enumerate(_MINUTES[kind]) if minutes >= floor]
    if not met:
        return None
    i = met[-1]
    return Level(_CODES[kind][i], "time",
                 [f"{minutes:g} minutes total on the date of the encounter",
                  f"{_CODES[kind][i]} needs at least {_MINUTES[kind][i]} minutes ({kind} patient)"])


def level(patient: str, problems: str | None = None, data: str | None = None,
          risk: str | None = None, minutes: float | None = None) -> Level:
    """Level an office/outpatient visit by MDM, by time, or both (the higher level wins).

    >>> level("established", problems="moderate", data="limited", risk="moderate").code
    '99214'
    >>> level("new", minutes=47).code
    '99204'
    """
    kind = _patient(patient)
    options = []
    if None not in (problems, data, risk):
        name, steps = mdm(problems, data, risk)
        code = _CODES[kind][MDM_LEVELS.index(name)]
        options.append(Level(code, "MDM", steps + [f"{name} MDM for {'a new' if kind == 'new' else 'an established'} patient is {code}"]))
    elif any(v is not None for v in (problems, data, risk)):
        raise ValueError("MDM needs all three elements: problems, data and risk")
    if minutes is not None:
        timed = by_time(kind, minutes)
        if timed:
            options.append(timed)
    if not options:
        raise ValueError("give the three MDM elements, or total minutes that reach a level")
    best = max(options, key=lambda o: o.code)
    if len(options) == 2:
        other = min(options, key=lambda o: o.code)
        best.reasoning.append(f"by {other.basis} the visit would be {other.code}; report the "
                              f"higher level the documentation supports, {best.code}")
    return best


def is_new_patient(years_since_last_service: float | None, same_specialty_group: bool = True) -> bool:
    """CPT's new-patient rule: no face-to-face professional service from this physician, or one of
    the same specialty in the same group, within the past three years.

    ``years_since_last_service`` is None when the patient was never seen.
    """
    if years_since_last_service is None or not same_specialty_group:
        return True
    return years_since_last_service >= 3
