"""The small vocabulary of rules a failed answer check names.

Every message a check prints for a wrong answer opens with one of these labels ("Incomplete
code: E11 is a category ..."), so a student sees at a glance which rule was missed, the
feedback page can group messages by rule, and the course's feedback-matrix test
(``tests/test_feedback_matrix.py``) can assert that each typical wrong answer is told the rule
it actually broke. A form's message names a rule per field line ("- copay: Rounding: ...").
Item hints follow the label's message; they add to it, they never replace it.
"""
from __future__ import annotations

import re

LABELS = {
    "blank": "Blank",
    "format": "Answer format",
    "not_a_code": "Not a code",
    "incomplete": "Incomplete code",
    "seventh": "7th character",
    "laterality": "Laterality",
    "specificity": "Specificity",
    "category": "Category",
    "chapter": "Chapter",
    "section": "Section",
    "code_set": "Code set",
    "descriptor": "Descriptor",
    "em_level": "E/M level",
    "patient_status": "New or established patient",
    "modifier": "Modifier",
    "order": "Sequencing",
    "missing": "Missing code",
    "extra": "Extra code",
    "code_choice": "Code choice",
    "rounding": "Rounding",
    "units": "Units",
    "calculation": "Calculation",
    "date": "Date",
    "term": "Term",
    "choice": "Choice",
    "yes_no": "Yes or no",
    "count": "Number of entries",
    "fields": "Form fields",
}

_BY_LABEL = {label: rule for rule, label in LABELS.items()}
_OPENING = re.compile(r"(?:^|\n(?:- [^\n]*?: )?|\. )(?P<label>"
                      + "|".join(re.escape(label) for label in sorted(_BY_LABEL, key=len,
                                                                         reverse=True))
                      + r"):")


def say(rule: str, text: str) -> str:
    """``text`` opened by the label of ``rule`` (a key of :data:`LABELS`)."""
    return f"{LABELS[rule]}: {text}"


def rule_of(text: str | None) -> str | None:
    """The rule a message opens with, or None when it carries no label (or is None)."""
    found = named(text)
    return found[0] if found else None


def named(text: str | None) -> list[str]:
    """Every rule a message names, in order: its opening label, then any field line's label."""
    if not text:
        return []
    body = text.lstrip("\u2717 ")
    return [_BY_LABEL[m.group("label")] for m in _OPENING.finditer(body)]
