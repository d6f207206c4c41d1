"""Capitation versus fee-for-service: what a practice is paid for the same panel of patients.

Under **fee-for-service** a practice is paid for each service it furnishes, so revenue rises
with the number of visits. Under **capitation** it is paid a fixed amount per member per
month (PMPM) for every patient assigned to it, whether or not they come in, so revenue is
fixed and the practice carries the risk of high use. Comparing the two for one panel is the
standard exercise that shows who bears the financial risk under each method.

Physician fee-schedule (RBRVS) pricing belongs to ``medcode.mpfs``; this module takes the
fee per service as given.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["capitation_revenue", "fee_for_service_revenue", "Comparison", "compare",
           "break_even_visits"]

CENT = Decimal("0.01")


def _money(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def capitation_revenue(members: int, pmpm, months: int = 12) -> float:
    """Capitation paid for ``members`` patients at ``pmpm`` dollars per member per month."""
    if members < 0 or months < 0:
        raise ValueError("members and months cannot be negative")
    return float(_money(Decimal(members) * Decimal(str(pmpm)) * months))


def fee_for_service_revenue(services) -> float:
    """Fee-for-service revenue for ``services``: an iterable of (count, fee per service) pairs."""
    return float(sum(_money(Decimal(count) * Decimal(str(fee))) for count, fee in services))


@dataclass(frozen=True)
class Comparison:
    """Both methods' revenue for one panel and year, and which one pays the practice more."""
    capitation: float
    fee_for_service: float

    @property
    def difference(self) -> float:
        """Capitation minus fee-for-service: positive when capitation pays the practice more."""
        return float(_money(self.capitation) - _money(self.fee_for_service))

    @property
    def better_for_practice(self) -> str:
        if self.difference > 0:
            return "capitation"
        if self.difference < 0:
            return "fee-for-service"
        return "equal"


def compare(members: int, pmpm, services, months: int = 12) -> Comparison:
    """Capitation and fee-for-service revenue for the same panel over ``months``."""
    return Comparison(capitation_revenue(members, pmpm, months), fee_for_service_revenue(services))


def break_even_visits(members: int, pmpm, fee_per_visit, months: int = 12) -> float:
    """Visits per year at ``fee_per_visit`` that would earn exactly the capitation amount.

    Below this many visits capitation pays the practice more; above it, fee-for-service does.
    """
    return capitation_revenue(members, pmpm, months) / float(fee_per_visit)
