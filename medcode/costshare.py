"""A patient's cost sharing across a plan year, worked out one encounter at a time.

Billers answer the same question many times a day: of the allowed amount for this visit,
how much does the patient owe and how much does the plan pay? The answer depends on where the
patient already stands in the plan year -- how much of the deductible is met, how close the
out-of-pocket maximum is -- so it cannot be worked out for one claim in isolation.

The rules modelled here are the common ones a course starts from (HealthCare.gov glossary
definitions of deductible, copayment, coinsurance and out-of-pocket maximum):

* a service with a **copayment** costs the patient the copay (never more than the allowed
  amount); the deductible does not apply to it;
* any other service goes to the **deductible** first, until it is met; the patient then pays
  the **coinsurance** percentage of the rest of the allowed amount;
* everything the patient pays for covered services (deductible, copays, coinsurance) counts
  toward the **out-of-pocket maximum**; once it is reached the plan pays 100 %;
* amounts are in dollars, rounded to the cent at each step, as on a real statement.

Premiums, non-covered services and balance billing are outside cost sharing and not modelled.
Every step is returned, so a notebook can show the working in a table, line by line.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["Plan", "Encounter", "Step", "plan_year", "patient_total", "plan_total",
           "table", "coinsurance_share"]

CENT = Decimal("0.01")


def _money(value) -> Decimal:
    """A dollar amount as an exact Decimal rounded to the cent (half up, as billing systems do)."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Plan:
    """The cost-sharing terms of a health plan for one plan year (in-network).

    ``coinsurance`` is the *patient's* share after the deductible, as a fraction (0.20 = 20 %).
    ``copays`` maps a kind of service (e.g. "office visit") to its flat copayment.
    """
    deductible: float
    coinsurance: float
    out_of_pocket_max: float
    copays: dict = field(default_factory=dict)

    def __post_init__(self):
        if not 0 <= self.coinsurance <= 1:
            raise ValueError("coinsurance is the patient's share as a fraction between 0 and 1")
        if min(self.deductible, self.out_of_pocket_max) < 0:
            raise ValueError("the deductible and out-of-pocket maximum cannot be negative")
        if self.deductible > self.out_of_pocket_max:
            raise ValueError("a deductible larger than the out-of-pocket maximum is not a valid plan")


@dataclass(frozen=True)
class Encounter:
    """One covered service: what it was (its kind decides whether a copay applies) and the
    plan's allowed amount for it."""
    service: str
    allowed: float


@dataclass(frozen=True)
class Step:
    """How one encounter was shared, and where the patient stands after it."""
    service: str
    allowed: float
    copay: float
    to_deductible: float
    coinsurance: float
    patient_pays: float
    plan_pays: float
    capped: bool
    deductible_met_so_far: float
    out_of_pocket_so_far: float


def coinsurance_share(amount, rate) -> float:
    """The patient's coinsurance on ``amount`` at ``rate`` (0.20 = 20 %), to the cent."""
    return float(_money(Decimal(str(amount)) * Decimal(str(rate))))


def _share(plan: Plan, encounter: Encounter, deductible_left: Decimal):
    """Copay, deductible and coinsurance parts of one encounter before the out-of-pocket cap."""
    allowed = _money(encounter.allowed)
    if encounter.service in plan.copays:
        return min(_money(plan.copays[encounter.service]), allowed), Decimal(0), Decimal(0)
    to_deductible = min(allowed, deductible_left)
    coinsurance = _money((allowed - to_deductible) * Decimal(str(plan.coinsurance)))
    return Decimal(0), to_deductible, coinsurance


def _cap(parts, room: Decimal):
    """Shrink the parts so their sum fits the room left under the out-of-pocket maximum.

    The deductible part is kept first (it is what was owed first), then copay, then coinsurance.
    """
    copay, to_deductible, coinsurance = parts
    if copay + to_deductible + coinsurance <= room:
        return parts, False
    to_deductible = min(to_deductible, room)
    copay = min(copay, room - to_deductible)
    coinsurance = room - to_deductible - copay
    return (copay, to_deductible, coinsurance), True


def plan_year(plan: Plan, encounters) -> list[Step]:
    """Share each encounter of a plan year, in date order, carrying the running totals."""
    deductible_met = out_of_pocket = Decimal(0)
    steps = []
    for encounter in encounters:
        allowed = _money(encounter.allowed)
        parts = _share(plan, encounter, _money(plan.deductible) - deductible_met)
        (copay, to_deductible, coinsurance), capped = _cap(
            parts, _money(plan.out_of_pocket_max) - out_of_pocket)
        patient = copay + to_deductible + coinsurance
        deductible_met += to_deductible
        out_of_pocket += patient
        steps.append(Step(encounter.service, float(allowed), float(copay), float(to_deductible),
                          float(coinsurance), float(patient), float(allowed - patient), capped,
                          float(deductible_met), float(out_of_pocket)))
    return steps


def patient_total(plan: Plan, encounters) -> float:
    """Everything the patient pays over the plan year (never more than the out-of-pocket max)."""
    return float(sum(_money(s.patient_pays) for s in plan_year(plan, encounters)))


def plan_total(plan: Plan, encounters) -> float:
    """Everything the plan pays over the plan year."""
    return float(sum(_money(s.plan_pays) for s in plan_year(plan, encounters)))


def table(plan: Plan, encounters):
    """The plan year as a pandas DataFrame, one row per encounter, for showing the working."""
    import pandas as pd

    frame = pd.DataFrame([asdict(s) for s in plan_year(plan, encounters)])
    frame.index = range(1, len(frame) + 1)
    frame.index.name = "encounter"
    return frame
