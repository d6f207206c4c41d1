"""The five levels of appeal for Medicare Part A and Part B claims, with their time limits.

Sources (checked November 2026):

* 42 CFR 405.942(a): request a redetermination within 120 calendar days of receiving the
  initial determination; the notice is presumed received 5 calendar days after its date.
* 42 CFR 405.962(a): request a QIC reconsideration within 180 calendar days of receiving the
  redetermination.
* 42 CFR 405.1002(a): request an ALJ hearing (OMHA) within 60 calendar days of receiving the
  reconsideration, if the amount in controversy is met (42 CFR 405.1006).
* 42 CFR 405.1102(a): request Medicare Appeals Council review within 60 calendar days of
  receiving the ALJ's decision.
* 42 CFR 405.1130 and 405.1136: file in Federal district court within 60 calendar days of
  receiving the Council's decision, if the amount in controversy is met.
* Amount-in-controversy thresholds for calendar year 2026: $200 for an ALJ hearing and
  $1,960 for judicial review (CMS notice CMS-4209-N, 90 FR 55869, December 4, 2025).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["Level", "LEVELS", "deadline", "next_level", "table", "RECEIPT_PRESUMED_DAYS"]

RECEIPT_PRESUMED_DAYS = 5


@dataclass(frozen=True)
class Level:
    number: int
    name: str
    decided_by: str
    appeals: str
    days: int
    amount_in_controversy_2026: float | None
    rule: str


LEVELS = [
    Level(1, "redetermination", "the Medicare Administrative Contractor (MAC) that decided "
          "the claim", "the initial determination (the remittance or MSN)", 120, None,
          "42 CFR 405.942(a)"),
    Level(2, "reconsideration", "a Qualified Independent Contractor (QIC)",
          "the redetermination", 180, None, "42 CFR 405.962(a)"),
    Level(3, "hearing before an administrative law judge (ALJ)",
          "the Office of Medicare Hearings and Appeals (OMHA)", "the QIC reconsideration",
          60, 200.0, "42 CFR 405.1002(a), 405.1006"),
    Level(4, "Medicare Appeals Council review", "the Departmental Appeals Board's Medicare "
          "Appeals Council", "the ALJ decision", 60, None, "42 CFR 405.1102(a)"),
    Level(5, "judicial review", "a Federal district court", "the Council's decision", 60,
          1960.0, "42 CFR 405.1130, 405.1136"),
]


def _level(number) -> Level:
    if isinstance(number, bool) or number not in range(1, 6):
        raise ValueError(f"Medicare Part A/B appeals have levels 1 to 5, not {number!r}")
    return LEVELS[number - 1]


def deadline(level: int, notice_date: dt.date) -> dt.date:
    """The last day to request ``level``, from the date printed on the previous decision.

    The notice is presumed received 5 days after its date; the limit runs from receipt.
    """
    if not isinstance(notice_date, dt.date):
        raise ValueError(f"the notice date should be a date, not {notice_date!r}")
    return notice_date + dt.timedelta(days=RECEIPT_PRESUMED_DAYS + _level(level).days)


def next_level(level: int) -> Level | None:
    """The level after ``level``, or None after judicial review."""
    return LEVELS[level] if _level(level).number < 5 else None


def table():
    """The five levels as a pandas DataFrame, for the notebooks and the book."""
    import pandas as pd

    return pd.DataFrame([{"level": lv.number, "name": lv.name, "decided by": lv.decided_by,
                          "appeals": lv.appeals, "days to request": lv.days,
                          "minimum amount in controversy, 2026 ($)":
                              lv.amount_in_controversy_2026 or "",
                          "rule": lv.rule} for lv in LEVELS]).set_index("level")
