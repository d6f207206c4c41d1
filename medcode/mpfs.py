"""Medicare Physician Fee Schedule payment for the course's codes, with the arithmetic shown.

Medicare pays a physician service as

    (work RVU x work GPCI + PE RVU x PE GPCI + MP RVU x MP GPCI) x conversion factor

where the relative value units (RVUs) rank the service's physician work, practice expense and
malpractice cost, each geographic practice cost index (GPCI) adjusts one of them to the
locality, and the conversion factor turns RVUs into dollars. The practice-expense RVU differs by
setting: the *non-facility* RVU (office) includes the practice's overhead, the *facility* RVU
(hospital, ASC) does not.

Data: CMS CY 2026 RVU file (July release), CY 2026 GPCIs and conversion factor; see
``data/mpfs/SOURCE.md``.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from medcode import normalize, tables

__all__ = ["CONVERSION_FACTOR", "Payment", "rvus", "localities", "gpci", "payment"]

CONVERSION_FACTOR = 33.4009  # CY 2026, non-qualifying APM participants (CONV FACTOR column)
PAYABLE = {"A", "R", "T"}


@dataclass
class Payment:
    """A computed fee-schedule amount and the formula with the numbers filled in."""
    code: str
    locality: str
    facility: bool
    amount: float
    formula: str
    note: str = ""

    def __str__(self) -> str:
        return "\n".join(part for part in (self.formula, self.note) if part)


def rvus(code: str, modifier: str = "") -> dict:
    """The CMS row for ``code`` (and modifier 26/TC, if given): status, RVUs, global days."""
    key, mod = normalize.normalize_code(code), normalize.normalize_code(modifier) if modifier else ""
    for row in tables.rows("mpfs/rvu.csv"):
        if row["code"] == key and row["modifier"] == mod:
            return row
    raise KeyError(f"{code}{'-' + mod if mod else ''} is not in the course's fee-schedule table")


def localities() -> list[str]:
    """Locality keys "ST-NN" (state and CMS locality number), e.g. "AL-00", "CA-05"."""
    return [f"{row['state']}-{row['locality']}" for row in tables.rows("mpfs/gpci.csv")]


def gpci(locality: str) -> dict:
    """The GPCI row for a locality given as "CA-05", "CA 05" or its name ("Alabama", "Napa")."""
    wanted = normalize.normalize_text(locality)
    for row in tables.rows("mpfs/gpci.csv"):
        names = {normalize.normalize_text(f"{row['state']}-{row['locality']}"),
                 normalize.normalize_text(row["locality_name"])}
        if wanted in names:
            return row
    raise KeyError(f"{locality!r} is not one of the course's localities: {', '.join(localities())}")


def _cents(value: float) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def payment(code: str, locality: str, facility: bool = False, modifier: str = "") -> Payment:
    """The fee-schedule amount for one unit of ``code`` in ``locality``, formula shown.

    >>> payment("99213", "AL-00").amount
    87.79
    """
    row, area = rvus(code, modifier), gpci(locality)
    pe_column = "pe_rvu_facility" if facility else "pe_rvu_nonfacility"
    work, pe, mp = (float(row[c]) for c in ("work_rvu", pe_column, "mp_rvu"))
    pw, pe_g, mp_g = (float(area[c]) for c in ("pw_gpci", "pe_gpci", "mp_gpci"))
    total_rvu = work * pw + pe * pe_g + mp * mp_g
    amount = _cents(total_rvu * CONVERSION_FACTOR)
    where = "facility" if facility else "non-facility"
    formula = (f"({work:.2f} x {pw:.3f} + {pe:.2f} x {pe_g:.3f} + {mp:.2f} x {mp_g:.3f}) "
               f"x ${CONVERSION_FACTOR} = {total_rvu:.4f} x ${CONVERSION_FACTOR} = ${amount:,.2f} "
               f"({row['code']}{'-' + row['modifier'] if row['modifier'] else ''}, {where}, "
               f"{area['locality_name'].title()})")
    note = "" if row["status"] in PAYABLE else (
        f"Medicare status {row['status']}: the code is not separately paid under the fee schedule "
        "(B bundled, C carrier-priced, I not valid for Medicare, N not covered).")
    return Payment(row["code"], f"{area['state']}-{area['locality']}", facility, amount, formula, note)
