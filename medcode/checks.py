"""Answer checks for the course's notebooks, with plain-English feedback.

Students are not programmers. Every graded item is a value assigned to a named variable,
followed by a test cell that calls the functions here:

* the *visible* checks (``is_number``, ``is_text``, ``is_code_list`` ...) tell the student
  whether the answer is well-formed -- still blank, the wrong kind of value, a malformed code --
  without saying whether it is right;
* the *expectations* (``expect_number``, ``expect_text``, ``expect_codes`` ...) sit in the hidden
  tests and decide whether it is right. When it is not, they say which rule was missed and
  never print the key.

Both raise :class:`AnswerProblem`, an ``AssertionError`` that nbgrader scores as a failed test.
Inside Jupyter it is shown as a short message with no Python traceback, which also keeps the
source of a hidden test out of what the student sees.

Normalising (case, spaces, punctuation, the dot in an ICD-10-CM code, "$" and commas in money)
is :mod:`medcode.normalize`, shared with every engine; its functions are re-exported here for
notebooks. Inside Jupyter the preamble calls :func:`setup_notebook` to show failed checks as
one plain line; importing this module changes nothing by itself.
"""
from __future__ import annotations

import ast
import hashlib
import importlib
import math
import re
import sys
from collections.abc import Iterable, Mapping

from medcode import rules
from medcode.normalize import (as_date, as_number, is_sequence, normalize_code, normalize_text,
                               same_code, same_codes, same_date, same_number, same_text)

__all__ = [
    "AnswerProblem", "BLANK_HELP",
    "normalize_text", "normalize_code", "as_number",
    "same_text", "same_code", "same_codes", "same_number", "same_date",
    "answered", "is_number", "is_text", "is_choice", "is_yes_no", "is_list", "is_code",
    "is_code_list", "is_form",
    "expect_number", "expect_text", "expect_choice", "expect_yes_no", "expect_code",
    "expect_codes", "expect_form", "expect_split", "code_feedback", "number_problem",
    "date_problem",
    "fingerprint", "practice", "practice_correct", "passed", "unknown_name_help",
    "FAILED", "failure_line", "syntax_help", "assigned_names", "setup_notebook",
]

BLANK_HELP = "Replace the ... after the = sign with your answer, then run the cell again."
FORM_BLANK_HELP = "Replace each ... after a colon with your answer, then run the cell again."


class AnswerProblem(AssertionError):
    """An answer that is blank, malformed or wrong, explained in plain English."""


def _problem(rule: str, text: str) -> AnswerProblem:
    """An AnswerProblem whose message opens with the label of the rule it names."""
    return AnswerProblem(rules.say(rule, text))


# --------------------------------------------------------------------------- visible checks

def _is_blank(value) -> bool:
    return value is Ellipsis or value is None or (isinstance(value, str) and not value.strip())


def answered(value, name: str = "your answer") -> None:
    """Fail with a friendly message while the answer is still blank, or no longer current.

    Every visible check starts here, so none of them shows \u2713 for a value that the answer
    cell above no longer produces (see :func:`setup_notebook`).
    """
    stale = _STALE.message(name)
    if stale:
        raise AnswerProblem(stale)
    if _is_blank(value):
        raise _problem("blank", f"{name} is still blank. {BLANK_HELP}")


def _ok(name: str, what: str) -> None:
    print(f"\u2713 {name} {what}. Whether it is right is checked when your work is graded.")


def is_number(value, name: str = "your answer") -> None:
    """Check that an answer is a number (a dollar amount, a count, a percentage as a number)."""
    answered(value, name)
    if is_sequence(value) and all(as_number(v) is not None for v in value):
        raise _problem(
            "format", f"{name} has a comma outside quotes, which splits the number into pieces {value!r}. "
            "Write it without commas, like 1234.50.")
    if as_number(value) is None:
        raise _problem(
            "format", f"{name} should be a number, like 1234.50 (no quotes needed), but it is {value!r}. "
            "Leave out words; a $ sign and commas are fine only inside quotes, like \"$1,234.50\".")
    _ok(name, "is a number")


def is_text(value, name: str = "your answer") -> None:
    """Check that an answer is some text in quotes."""
    answered(value, name)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise _problem("format", f"{name} is text, so it goes in quotes: write \"{value}\", not {value}.")
    if not isinstance(value, str):
        raise _problem(
            "format", f"{name} should be text in quotes, like \"deductible\", but it is {value!r}.")
    _ok(name, "is text")


def is_choice(value, options: Iterable[str], name: str = "your answer") -> None:
    """Check that an answer is one of the listed options (any case)."""
    answered(value, name)
    options = list(options)
    if not isinstance(value, str) or not any(same_text(value, o) for o in options):
        listed = ", ".join(repr(o) for o in options)
        raise _problem("format", f"{name} should be one of {listed}, but it is {value!r}.")
    _ok(name, "is one of the choices")


_YES = {"yes", "y", "true"}
_NO = {"no", "n", "false"}


def _yes_no(value) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        folded = normalize_text(value)
        if folded in _YES:
            return True
        if folded in _NO:
            return False
    return None


def is_yes_no(value, name: str = "your answer") -> None:
    """Check that an answer is yes or no (True/False, "yes"/"no" in any case)."""
    answered(value, name)
    if _yes_no(value) is None:
        raise _problem("format", f"{name} should be \"yes\" or \"no\", but it is {value!r}.")
    _ok(name, "is a yes-or-no answer")


def _require_list(value, name: str, length: int | None) -> None:
    answered(value, name)
    if isinstance(value, str) and "," not in value:
        raise _problem("format", f"{name} should be a list in square brackets, even with one entry: "
                            f"write [\"{value}\"].")
    if not is_sequence(value):
        raise _problem(
            "format", f"{name} should be a list in square brackets, like [\"a\", \"b\"], but it is {value!r}. "
            "Put each entry in its own quotes, with a comma between entries.")
    if any(_is_blank(v) for v in value):
        raise _problem("blank", f"{name} still has a blank (...) or empty entry in it. {BLANK_HELP}")
    if length is not None and len(value) != length:
        fewer = " Put a comma between entries, like [\"a\", \"b\"]." if len(value) < length else ""
        raise _problem("count", f"{name} should have {length} entries, but it has {len(value)}.{fewer}")


def is_list(value, name: str = "your answer", length: int | None = None) -> None:
    """Check that an answer is a list in square brackets, of the asked-for length."""
    _require_list(value, name, length)
    _ok(name, "is a list" + (f" of {length}" if length is not None else ""))


_CODE_SHAPES = {
    "icd10cm": (re.compile(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$"),
                "an ICD-10-CM code is a letter, two characters, then up to four more after a dot, "
                "like K21.9 or S82.101A"),
    "cpt": (re.compile(r"^([0-9]{5}|[0-9]{4}[FTU])$"),
            "a CPT code is five characters: five digits, or four digits and F, T or U, like 99212"),
    "hcpcs": (re.compile(r"^[A-V][0-9]{4}$"),
              "a HCPCS Level II code is a letter A-V and four digits, like E0114"),
    "modifier": (re.compile(r"^[0-9A-Z]{2}$"),
                 "a modifier is two characters, like 76 or RT"),
}


def _shape(value: str, system: str) -> str:
    """The folded code, with the ICD-10-CM dot put back after the category."""
    folded = normalize_code(value)
    if system == "icd10cm" and len(folded) > 3:
        return folded[:3] + "." + folded[3:]
    return folded


def _require_code(value, system: str, name: str, billable: bool = True) -> None:
    answered(value, name)
    pattern, rule = _CODE_SHAPES[system]
    if is_sequence(value):
        raise _problem("format", f"{name} asks for one code, not a list: "
                            + (f"write \"{value[0]}\" without the square brackets."
                               if len(value) == 1 else "choose the one code the case calls for."))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise _problem("format", f"{name} is a code, and a code goes in quotes: write \"{value}\", "
                            f"not {value}.")
    if not isinstance(value, str):
        raise _problem("format", f"{name} should be a code in quotes, but it is {value!r}: {rule}.")
    other = _other_code_set(value, system)
    if other:
        raise _problem("code_set", f"{name} = {value!r} looks like a {other} code, but this "
                       f"question asks for another code set: {rule}.")
    if not pattern.match(_shape(value, system)):
        raise _problem("not_a_code", f"{name} = {value!r} is not shaped like a code: {rule}.")
    if system == "icd10cm" and billable:
        _require_billable(value, name)


def _require_billable(value: str, name: str) -> None:
    """A well-shaped ICD-10-CM answer that the code set already knows is no billable code.

    Said before grading because it needs no key: the release alone shows that N18.3 has codes
    below it, or that E11.99 does not exist. The message names no other code.
    """
    icd10cm = importlib.import_module("medcode.icd10cm")
    if icd10cm.is_billable(value):
        return
    reason = icd10cm.answer_feedback(value, value) if icd10cm.is_valid(value) else \
        icd10cm.answer_feedback(value, "A00.0")
    if reason:
        label, rest = reason.split(": ", 1)
        raise AnswerProblem(f"{label}: in {name}, {rest}")


_NAMES = {"icd10cm": "ICD-10-CM", "cpt": "CPT", "hcpcs": "HCPCS Level II"}


def _other_code_set(value: str, system: str) -> str | None:
    """The name of another code set whose shape ``value`` has (a CPT code for HCPCS ...)."""
    for other in ("hcpcs", "cpt", "icd10cm"):
        if other != system and system in _NAMES \
                and _CODE_SHAPES[other][0].match(_shape(value, other)) \
                and not _CODE_SHAPES[system][0].match(_shape(value, system)):
            return _NAMES[other]
    return None


def is_code(value, system: str, name: str = "your answer", billable: bool = True) -> None:
    """Check that an answer has the shape of a code of ``system`` (icd10cm, cpt, hcpcs, modifier).

    An ICD-10-CM answer must also be a billable code of the pinned release (every key is),
    so a category, a code missing its 7th character or a code that does not exist is named
    before grading; ``billable=False`` for an item that asks about billability itself.
    Whether the code is right is for the hidden tests.
    """
    _require_code(value, system, name, billable)
    _ok(name, "is shaped like a code")


def is_code_list(value, system: str, name: str = "your answer", length: int | None = None,
                 billable: bool = True) -> None:
    """Check that an answer is a list of well-shaped codes of ``system`` (see :func:`is_code`)."""
    _require_list(value, name, length)
    for i, item in enumerate(value, 1):
        _require_code(item, system, f"entry {i} of {name}", billable)
    _ok(name, "is a list of codes")


def is_form(value, fields: Iterable[str], name: str = "your answer",
            options: Iterable[str] | None = None) -> None:
    """Check that a dict answer (a form) has every field filled and no field missing.

    With ``options`` (the labels the question lists), every field must hold one of them, so a
    label typed in other words is caught before grading rather than marked wrong.
    """
    answered(value, name)
    fields = list(fields)
    if not isinstance(value, Mapping):
        raise _problem("format", f"{name} should be a form in curly braces, {{\"field\": value, ...}}.")
    missing = [f for f in fields if f not in value]
    if missing:
        raise _problem("format", f"{name} is missing the field(s) {', '.join(map(repr, missing))}. "
                            "Keep each field name to the left of a colon exactly as given.")
    blank = [f for f in fields if _is_blank(value[f])]
    if blank:
        raise _problem("blank", f"In {name}, fill in {', '.join(map(repr, blank))}. {FORM_BLANK_HELP}")
    if options is not None:
        options = list(options)
        off = [f for f in fields if not isinstance(value[f], str)
               or not any(same_text(value[f], o) for o in options)]
        if off:
            listed = ", ".join(repr(o) for o in options)
            raise _problem("format", f"In {name}, write {', '.join(map(repr, off))} as one of {listed}, "
                                "exactly as the question lists them.")
    _ok(name, "has every field filled in")


# --------------------------------------------------------------------------- expectations

def _joined(*parts: str | None) -> str:
    return " ".join(part for part in parts if part)


def _wrong(rule: str, text: str, hint: str | None) -> AnswerProblem:
    """The failure of an expectation: the rule's own message, then the item's hint after it."""
    return _problem(rule, _joined(text, hint))


# Factors that turn a right number into the same number in another unit: percent written as a
# fraction or the other way round, cents for dollars, thousands, minutes for hours.
_UNIT_FACTORS = (100, 1000, 60)


def number_problem(answer, key, tolerance: float = 0.005) -> tuple[str, str] | None:
    """(rule, message) for a number that is not the key, or None when it is the key.

    Tells a number off by a unit (x100, x1000, x60 either way) and one off by rounding (within
    a unit and at most 2% of the key) from a calculation that went wrong, without the key.
    """
    if same_number(answer, key, tolerance):
        return None
    got, want = as_number(answer), float(key)
    if got is None:
        return "format", f"{answer!r} is not a number: write it like 1234.50."
    for factor in _UNIT_FACTORS:
        if want and min(abs(got / factor - want), abs(got * factor - want)) <= tolerance:
            return "units", (f"{answer} is off by a factor of {factor}: check the unit the "
                             "question asks for (a percentage as 20 for 20%, dollars and not "
                             "cents, minutes and not hours).")
    if _rounded_early(got, want, tolerance):
        return "rounding", (f"{answer} is close but not exact: keep every digit until the last "
                            "step, then round once, as the question says (to the cent for money).")
    return "calculation", "That number is not right yet. Recheck each step of the calculation."


def _rounded_early(got: float, want: float, tolerance: float) -> bool:
    """Whether ``got`` is the key rounded or cut to 0-2 decimals, or a cent away from it."""
    near = [round(want, places) for places in (0, 1, 2)]
    near += [math.floor(want * 10 ** places) / 10 ** places for places in (0, 1, 2)]
    return abs(got - want) <= 0.01 + tolerance or any(abs(got - n) <= tolerance for n in near)


def expect_number(answer, key, tolerance: float = 0.005, hint: str | None = None) -> None:
    """Hidden test: the answer is the key's number. ``hint`` names the rule to revisit."""
    problem = number_problem(answer, key, tolerance)
    if problem:
        raise _wrong(*problem, hint)


def _is_date_key(keys: list) -> bool:
    return any(as_date(k) is not None for k in keys)


def date_problem(answer, keys) -> str | None:
    """Why an answer is not one of the key dates, or None when it is (any common spelling)."""
    if any(same_date(answer, k) for k in keys):
        return None
    if as_date(answer) is None:
        return (f"{answer!r} is not a date as written: give month, day and year as digits, "
                "MM/DD/YYYY (a CMS-1500 box also takes MM DD YY; an 837 file CCYY-MM-DD).")
    return "That is a date, but not the one the question asks for: reread which event it dates."


def expect_text(answer, keys, hint: str | None = None, rule: str = "term") -> None:
    """Hidden test: the answer is one of the accepted spellings in ``keys`` (str or list).

    A key that is a date accepts every common spelling of that date.
    """
    keys = [keys] if isinstance(keys, str) else list(keys)
    if _is_date_key(keys):
        reason = date_problem(answer, [k for k in keys if as_date(k) is not None])
        if reason:
            raise _wrong("date", reason, hint)
        return
    if not isinstance(answer, str) or not any(same_text(answer, k) for k in keys):
        text = ("That is not the best choice. Reread the question and each option."
                if rule == "choice" else
                "That is not the term we are looking for. Reread the definitions above.")
        raise _wrong(rule, text, hint)


def expect_choice(answer, key, hint: str | None = None) -> None:
    """Hidden test: a multiple-choice answer (letter or option text) is the key."""
    expect_text(answer, key, hint, rule="choice")


def expect_yes_no(answer, key: bool, hint: str | None = None) -> None:
    """Hidden test: a yes-or-no answer matches the key."""
    if _yes_no(answer) is not bool(key):
        raise _wrong("yes_no", "Not this time. Reread the rule and think about which way it "
                     "applies.", hint)


def expect_split(parts, term: str, hint: str | None = None) -> None:
    """Hidden test: ``parts`` (a list like ["peri-", "card/i", "-itis"]) splits ``term``.

    The message says whether a part is missing or extra, the parts are out of order, or a part
    is not the term's (``medcode.terminology.split_problem``), without giving the split away.
    """
    problem = importlib.import_module("medcode.terminology").split_problem(parts, term)
    if problem:
        raise _wrong(*problem, hint)


# system= names whose module is named differently (the module is named after the thing, plural).
_CODE_SET_MODULES = {"modifier": "modifiers"}


def code_feedback(answer, key, system: str | None) -> str | None:
    """What rule a wrong code answer missed, from the code set's own module.

    A code-set module (``medcode.icd10cm``, ``medcode.hcpcs`` ...) may define
    ``answer_feedback(answer, key) -> str | None``: a plain-English reason computed from the
    real code set, opened by its rule's label (:mod:`medcode.rules`: not a code; a category
    that needs more characters; a missing 7th character ...), that never reveals the key.
    None when the module has nothing to say.
    """
    if not system:
        return None
    try:
        module = importlib.import_module(f"medcode.{_CODE_SET_MODULES.get(system, system)}")
    except ImportError:
        return None
    explain = getattr(module, "answer_feedback", None)
    return explain(answer, key) if explain else None


def expect_code(answer, key, system: str | None = None, hint: str | None = None,
                case_codes: Iterable[str] = ()) -> None:
    """Hidden test: a single code matches the key (case, spaces and dots ignored).

    ``system`` ("icd10cm", "cpt", "hcpcs", "modifier") marks the key for the course-wide
    code-set tests and lets the code set explain a wrong answer. ``case_codes`` are the case's
    other codes, for an item that asks which code goes first: giving one of them is a
    sequencing slip, not a wrong code.
    """
    if same_code(answer, key):
        return
    if any(same_code(answer, other) for other in case_codes):
        raise _wrong("order", f"{answer} is one of this case's codes, but not the one this "
                     "question asks for. Recheck which code the sequencing rule puts first.", hint)
    reason = code_feedback(answer, key, system)
    if reason:
        raise AnswerProblem(_joined(reason, hint))
    raise _wrong("code_choice", "That is not the code for this case. Look it up again in the "
                 "code set.", hint)


def expect_codes(answer, key, ordered: bool = False, system: str | None = None,
                 hint: str | None = None) -> None:
    """Hidden test: a list of codes matches the key; ``ordered`` when sequencing matters.

    The message names what is wrong with the list as a whole (order, a code missing, one too
    many), then what the code set says about each listed code that is not in the key (an
    incomplete code is named even when a code is also missing), then the item's hint.
    """
    if same_codes(answer, key, ordered):
        return
    if same_codes(answer, key, ordered=False):
        raise _wrong("order", "You have the right codes, but not in the right order.",
                     hint or "Review the sequencing rule.")
    reasons = _list_feedback(answer, key, system)
    given = len(answer) if is_sequence(answer) else 0
    if given != len(key):
        rule = "missing" if given < len(key) else "extra"
        what = "a code is missing" if given < len(key) else "at least one code is not needed"
        raise _wrong(rule, _joined(f"This case needs {len(key)} code(s); you gave {given}: {what}.",
                                   reasons), hint)
    if reasons:
        raise AnswerProblem(_joined(reasons, hint))
    raise _wrong("code_choice", "At least one of these codes is not right. Check each against "
                 "the record.", hint)


# A claim line in the one spelling answers are compared in (medcode.ehr.line_text).
_LINE_TEXT = re.compile(r"^\S+, \d+ units?$")


def _list_feedback(answer, key, system: str | None) -> str | None:
    """What the code set says about each listed code that is not in the key."""
    if not is_sequence(answer):
        return None
    if not system and key and all(isinstance(k, str) and _LINE_TEXT.match(k) for k in key):
        return importlib.import_module("medcode.ehr").lines_feedback(answer, key)
    if not system:
        return None
    wanted = {normalize_code(k) for k in key}
    reasons = []
    for given in answer:
        if isinstance(given, str) and normalize_code(given) not in wanted:
            close = [k for k in key if normalize_code(k)[:3] == normalize_code(given)[:3]]
            reason = code_feedback(given, close[0] if close else key[0], system)
            if reason:
                reasons.append(reason)
    return " ".join(reasons) or None


def expect_form(answer: Mapping, key: Mapping, hints: Mapping | None = None) -> None:
    """Hidden test: every field of a form matches; the message names the fields to fix.

    Numbers compare as numbers, dates as dates in any common spelling, strings as normalised
    text, lists as unordered code lists. Each field to fix gets its rule's message, then the
    item's hint for that field.
    """
    hints = hints or {}
    lines = []
    for field, want in key.items():
        problem = _field_problem(answer.get(field), want)
        if problem:
            rule, text = problem
            lines.append(f"- {field}: {rules.say(rule, _joined(text, _sentence(hints.get(field))))}")
    if lines:
        raise _problem("fields", "Some fields need another look:\n" + "\n".join(lines))


def _sentence(hint: str | None) -> str | None:
    """A form field's hint (often a fragment) as a sentence after the rule's message."""
    if not hint:
        return None
    hint = hint[0].upper() + hint[1:]
    return hint if hint.endswith((".", "?", "!")) else hint + "."


def _field_problem(got, want) -> tuple[str, str] | None:
    """(rule, message) for one form field that does not match its key, or None."""
    if isinstance(want, bool):
        return None if _yes_no(got) is want else ("yes_no", "not this way round.")
    if isinstance(want, (int, float)):
        return number_problem(got, want)
    if isinstance(want, (list, tuple)):
        if same_codes(got, want):
            return None
        if isinstance(got, str):
            return "format", ("this field holds a list: put each entry in its own quotes inside "
                              "square brackets, like [\"first\", \"second\"].")
        return "code_choice", "not the right entries yet."
    if as_date(want) is not None:
        reason = date_problem(got, [want])
        return ("date", reason) if reason else None
    if isinstance(got, str) and (same_text(got, want) or same_code(got, want)):
        return None
    return "term", "not right yet."


# --------------------------------------------------------------------------- practice items

def fingerprint(item: str, answer, kind: str = "text") -> str:
    """A salted hash of a normalised answer, so practice cells can check it without showing it.

    ``kind`` is "text", "code" or "number"; the same kind must be used when checking.
    """
    if kind == "code":
        folded = normalize_code(answer)
    elif kind == "number":
        number = as_number(answer)
        folded = "" if number is None else f"{number:.2f}"
    else:
        folded = normalize_text(answer)
    return hashlib.sha256(f"medcode-practice:{item}:{folded}".encode()).hexdigest()[:16]


def practice_correct(item: str, answer, digest: str, kind: str = "text") -> bool:
    """Whether a practice answer matches its digest (see :func:`fingerprint`)."""
    return not _is_blank(answer) and fingerprint(item, answer, kind) == digest


def practice(item: str, answer, digest: str, kind: str = "text", hint: str = "") -> None:
    """Give immediate right-or-wrong feedback on an ungraded practice answer.

    Prints only (returns nothing), so the practice cell shows the message and no stray value.
    """
    if _is_blank(answer):
        print(f"\u270e Practice {item}: fill in your answer above, then run this cell. {BLANK_HELP}")
    elif practice_correct(item, answer, digest, kind):
        print(f"\u2713 Practice {item}: correct.")
    else:
        print(f"\u2717 Practice {item}: not yet. {hint}".rstrip())


def passed(message: str = "All checks passed.") -> None:
    """Say so when a whole test cell has passed."""
    print(f"\u2713 {message}")


# --------------------------------------------------------------------------- display

def unknown_name_help(name: str) -> str:
    """What a student can do when a cell uses a name the notebook does not know.

    Nearly always an answer typed without quotes (``copay_kind = text``) or a blank whose cell
    was not run or whose name was retyped; Python's own NameError says neither.
    """
    return (f"The notebook does not know the name {name}. If that is your answer, or part of "
            "it, put the whole answer in quotes; if it is the name of a blank, run the cells "
            "above this one first (Run \u2192 Run All Above Selected Cell) and keep the name "
            "exactly as given.")


FAILED = "\u2717"
"""The mark that opens every failed check's line, in the notebook and on the feedback page."""


def failure_line(error: BaseException, in_the_cell: bool = True) -> str | None:
    """The one plain line a student sees for a failed check, or None for a real bug.

    The contract shared by the notebook (:func:`setup_notebook`) and the grader's trusted
    test runner (``autograde.hidden``), whose lines the feedback page shows unchanged: an
    :class:`AnswerProblem` shows its own message; a name the cell uses but nobody defined
    (a blank not run, an answer without quotes) gets :func:`unknown_name_help`. Anything
    else is not the student's to fix and keeps Python's own report.
    """
    if isinstance(error, AnswerProblem):
        return f"{FAILED} {error}"
    if isinstance(error, NameError) and getattr(error, "name", None) and in_the_cell:
        return f"{FAILED} {unknown_name_help(error.name)}"
    return None


def _in_the_cell(tb) -> bool:
    """Whether an error was raised by the cell's own lines, not inside a function it called."""
    while tb.tb_next is not None:
        tb = tb.tb_next
    return tb.tb_frame.f_code.co_name == "<module>"


def _show_plainly(shell, etype, value, tb, tb_offset=None):
    """IPython handler: show an AnswerProblem, or a cell's unknown name, as one plain line.

    IPython discards what a custom handler returns, so the handler shows the error itself;
    the kernel still records it as an error output. A NameError raised inside a function
    keeps its full traceback: that is a bug to find.
    """
    in_the_cell = _in_the_cell(tb)
    line = (in_the_cell and _STALE.unknown_name_line(value)) or failure_line(value, in_the_cell)
    if line is None:
        return shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
    shell._showtraceback(etype, value, [line])
    return [line]


SYNTAX_HELP = (f"{FAILED} The notebook could not read this cell. Check the line marked below for "
               "text, a code or a date without straight quotes \" around it, a curly \u201csmart\u201d "
               "quote, a $ outside quotes, or a missing bracket.")
CURLY_HELP = (f"{FAILED} This cell has a curly \u201csmart\u201d quote, which Python cannot read. Type "
              "each quote again as a straight quote \" (curly ones come from copying out of a word "
              "processor, a web page or a phone).")
_CURLY = "\u201c\u201d\u2018\u2019\u201e\u201a\u201f\u2033\u2032\u00ab\u00bb"


def syntax_help(source: str | None) -> str:
    """The plain line for a cell Python could not read; ``source`` is the cell or its bad line.

    A curly quote is the one slip that looks right on screen, so it gets its own message.
    """
    if source and any(mark in source for mark in _CURLY):
        return CURLY_HELP
    return SYNTAX_HELP


def _explain_syntax_errors(shell) -> None:
    """Print one plain line above Python's own report of a cell it could not read.

    Python's wording ("leading zeros in decimal integer literals", "invalid character '\u201c'")
    names no slip a student would recognise; the marked line below it still shows where to look.
    """
    original = shell.showsyntaxerror
    if getattr(original, "explains", False):
        return

    def showsyntaxerror(*args, **kwargs):
        print(syntax_help(getattr(sys.exc_info()[1], "text", None)))
        return original(*args, **kwargs)

    showsyntaxerror.explains = True
    shell.showsyntaxerror = showsyntaxerror


# --------------------------------------------------------------------------- stale answers

_LINE_ASSIGNMENT = re.compile(r"^([A-Za-z_]\w*)\s*(?::[^=\n]*)?=(?!=)", re.MULTILINE)


def assigned_names(source: str) -> list[str]:
    """The names a cell assigns at its top level (``copay = 25``, ``a, b = ...``, ``x += 1``).

    A cell Python cannot read is scanned line by line for ``name =`` at the start of a line,
    which is how every blank in the course is written.
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return list(dict.fromkeys(_LINE_ASSIGNMENT.findall(source)))
    targets = []
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets += node.targets
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            targets.append(node.target)
    names = [n.id for target in targets for n in ast.walk(target) if isinstance(n, ast.Name)]
    return list(dict.fromkeys(names))


def _why_the_cell_failed(error: BaseException, source: str) -> str:
    """What stopped a cell, said of "that cell" for the check below it."""
    if isinstance(error, SyntaxError):
        if syntax_help(source) == CURLY_HELP:
            return ("It has a curly \u201csmart\u201d quote: type each quote again as a straight "
                    "quote \".")
        return "Python could not read it: look at the line marked under it."
    if isinstance(error, NameError) and getattr(error, "name", None):
        return (f"It uses the name {error.name}, which the notebook does not know: if that is "
                "your answer, put it in quotes.")
    return f"It stopped with an error ({type(error).__name__}); the message under it says where."


class _StaleAnswers:
    """Names whose last assigning cell failed, each with why that cell failed.

    The kernel keeps the value an earlier run left, so without this a check below a broken
    answer cell would still pass the old answer. The value itself is left alone: the
    notebook's saved answers, not the kernel's, are what gets graded. The record is read only
    while a cell of the set-up notebook runs, so checks called anywhere else (the grader's
    trusted runner, a script) never see it.
    """

    def __init__(self):
        self.why: dict[str, str] = {}
        self.running = False

    def cell_starts(self, info) -> None:
        """IPython pre-run hook."""
        self.running = True

    def cell_ended(self, result) -> None:
        """IPython post-run hook: a failed cell's names become stale; a cell that ran frees them."""
        self.running = False
        source = (result.info.raw_cell if result.info is not None else "") or ""
        error = result.error_before_exec or result.error_in_exec
        for name in assigned_names(source):
            if error is None:
                self.why.pop(name, None)
            else:
                self.why[name] = _why_the_cell_failed(error, source)

    def message(self, name: str) -> str | None:
        """Why a check may not use ``name``'s value, or None when it may."""
        if not self.running or name not in self.why:
            return None
        return (f"The cell that sets {name} did not run, so this check cannot use your answer. "
                f"{self.why[name]} Fix that cell and run it, then run this check again.")

    def unknown_name_line(self, error: BaseException) -> str | None:
        """The plain line for a check whose stale name never got a value (a fresh kernel)."""
        name = getattr(error, "name", None) if isinstance(error, NameError) else None
        message = self.message(name) if name else None
        return f"{FAILED} {message}" if message else None


_STALE = _StaleAnswers()


def setup_notebook() -> None:
    """Show failed checks and unreadable cells as plain lines, and never pass a stale answer.

    Every course notebook's preamble calls it once; outside IPython it does nothing. Calling
    it again (a re-run preamble) changes nothing.
    """
    try:
        shell = get_ipython()  # noqa: F821  (defined only inside IPython)
    except NameError:
        return
    shell.set_custom_exc((AnswerProblem, NameError), _show_plainly)
    _explain_syntax_errors(shell)
    if _STALE.cell_ended not in shell.events.callbacks["post_run_cell"]:
        shell.events.register("pre_run_cell", _STALE.cell_starts)
        shell.events.register("post_run_cell", _STALE.cell_ended)
