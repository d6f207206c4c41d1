"""NCCI edits: procedure-to-procedure (PTP) pairs and medically unlikely edits (MUEs).

A PTP edit pairs a column 1 (comprehensive) code with a column 2 (component) code that should
not be paid when both are reported for one patient, one provider, one date. Its *modifier
indicator* says whether an NCCI-associated modifier (59, XE/XS/XP/XU, anatomic and global-surgery
modifiers) may bypass the edit when the documentation supports it: 0 = never, 1 = yes,
9 = not applicable. An MUE is the most units of a code one provider would report for one patient
on one date.

The rows are verified extracts of CMS NCCI tables (see ``data/ncci/SOURCE.md``), and each row's
``source`` says which table and quarter it reproduces:

* ``Medicare 2026Q4 v32.3``: the Medicare practitioner PTP edits and MUEs of the quarter beginning
  2026-10-01 for the 62 course codes a public extract of those files holds (no rationale);
* ``Medicare CY2025 (quarter not stated)``: practitioner MUEs, with MAI and CMS rationale, for the
  other course codes, from an undated copy of a CY 2025 Medicare practitioner MUE table (it agrees
  with the 2026Q4 extract on all 61 of that extract's codes that were compared);
* ``Medicaid 2022Q4``: a few Medicaid rows for casting and DME codes.

A pair that is not in the table is reported as *unknown to the course*, never as edit-free. An MUE
of 0 is CMS's mark for a code Medicare does not pay at all in that setting (preventive visits,
IUD insertion, drugs Medicare excludes): that is a coverage rule, not a unit cap, and
Medicaid or private payers may pay such codes, so :func:`check` does not report it as units over
the MUE.

:func:`check` is what the claim scrubber calls. ``lines`` is a list of dicts
``{"code": "29325", "units": 1, "modifiers": ["XS"]}`` (or strings "29325-XS"), all on one date
of service. It returns a list of findings, each a dict with ``kind`` "ptp" or "mue":

* PTP: ``column_1``, ``column_2``, ``modifier_indicator``, ``modifier_allowed`` (may a modifier
  bypass it?), ``bypassed`` (does the column 2 line already carry one?), ``rationale``, ``message``;
* MUE: ``code``, ``units``, ``mue``, ``over_by``, ``source`` (the table and quarter), ``message``.
"""
from __future__ import annotations

from datetime import date

from medcode import normalize, tables
from medcode.modifiers import NCCI_ASSOCIATED, parse

__all__ = ["ptp_edits", "edit_for", "mue_row", "mue", "check"]


def _active(row: dict, on: date | None) -> bool:
    if on is None:
        return not row["deletion_date"]
    starts = date.fromisoformat(row["effective_date"])
    ends = date.fromisoformat(row["deletion_date"]) if row["deletion_date"] else date.max
    return starts <= on <= ends


def ptp_edits(on: date | None = None) -> list[dict]:
    """The PTP edits in force on ``on`` (default: edits with no deletion date)."""
    return [row for row in tables.rows("ncci/ptp.csv") if _active(row, on)]


def edit_for(first: str, second: str, on: date | None = None) -> dict | None:
    """The PTP edit between two codes, in either order, or None if the course's table has none."""
    pair = {normalize.normalize_code(first), normalize.normalize_code(second)}
    for row in ptp_edits(on):
        if {row["column_1"], row["column_2"]} == pair:
            return row
    return None


def mue_row(code: str) -> dict | None:
    """The course's MUE row for ``code`` (value, MAI, rationale, source table and quarter), or None."""
    return tables.keyed("ncci/mue.csv", "code").get(tables.fold(code))


def mue(code: str) -> int | None:
    """The MUE (most units per date of service) for ``code``, or None if the table has none."""
    row = mue_row(code)
    return int(row["mue"]) if row else None


def _ptp_finding(row: dict, column_2_line: dict) -> dict:
    allowed = row["modifier_indicator"] == "1"
    used = sorted(set(column_2_line["modifiers"]) & NCCI_ASSOCIATED)
    bypassed = allowed and bool(used)
    why = f" ({row['rationale'].lower()})" if row["rationale"] else ""
    if row["modifier_indicator"] == "0":
        message = (f"{row['column_2']} is bundled into {row['column_1']}{why}; no modifier can "
                   f"bypass this edit, so only {row['column_1']} is payable.")
    elif bypassed:
        message = (f"{row['column_1']} and {row['column_2']} are an NCCI pair, bypassed by "
                   f"{', '.join(used)} on {row['column_2']}: the record must show the services "
                   "were truly distinct.")
    else:
        message = (f"{row['column_2']} is bundled into {row['column_1']}{why}. A modifier such "
                   f"as XS, XE, XP, XU or 59 on {row['column_2']} may bypass it only if the "
                   "services were distinct.")
    return {"kind": "ptp", "column_1": row["column_1"], "column_2": row["column_2"],
            "modifier_indicator": int(row["modifier_indicator"]), "modifier_allowed": allowed,
            "bypassed": bypassed, "rationale": row["rationale"], "message": message}


def _mue_finding(code: str, units: int) -> dict | None:
    row = mue_row(code)
    limit = int(row["mue"]) if row else None
    if not limit or units <= limit:  # no row, or 0: Medicare pays no units, a coverage question
        return None
    return {"kind": "mue", "code": code, "units": units, "mue": limit, "over_by": units - limit,
            "source": row["source"],
            "message": f"{units} units of {code} exceed its MUE of {limit} per date of service "
                       f"({row['source']} {row['table']} table)."}


def check(lines, on: date | None = None) -> list[dict]:
    """Every PTP conflict and MUE excess among claim lines for one date (see module docstring)."""
    parsed = [parse(line) for line in lines]
    by_code = {line["code"]: line for line in parsed}
    found = [_ptp_finding(row, by_code[row["column_2"]]) for row in ptp_edits(on)
             if row["column_1"] in by_code and row["column_2"] in by_code]
    totals: dict[str, int] = {}
    for line in parsed:
        totals[line["code"]] = totals.get(line["code"], 0) + int(line["units"])
    found += [f for code, units in totals.items() if (f := _mue_finding(code, units))]
    return found
