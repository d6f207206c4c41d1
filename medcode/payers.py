"""Payers: plans, eligibility and an adjudication simulator that answers claims with an 835.

A payer decides a claim in a fixed order, and so does :func:`adjudicate`:

1. **eligibility**: is the member covered on the date of service? (else PR-26 / PR-27, N30)
2. **timely filing**: did the claim arrive within the plan's filing limit? (CO-29)
3. **duplicate**: was the same service for the same member already decided? (OA-18, M86)
4. **valid diagnosis**: is every pointed diagnosis a billable ICD-10-CM code? (CO-16, M76)
5. per line: **covered** (PR-204, N130), **prior authorisation** (CO-197), **modifier**
   rules (CO-4), **NCCI bundling**: the column 2 code of a CMS procedure-to-procedure edit
   (:mod:`medcode.ncci`) without a modifier that may bypass it (CO-236, M15), or an E/M on the
   day of a minor procedure without modifier 25 (CO-97, M15);
6. paid lines: allowed amount from the fee schedule (CO-45 writes off the rest), then the
   patient's share by :mod:`medcode.costshare`: copay (PR-3), deductible (PR-1),
   coinsurance (PR-2), up to the out-of-pocket maximum.

Every plan here is an EXAMPLE with invented fee schedules and limits; the rules are the
common ones, not any real payer's policy. CARC meanings are in the course's own words.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import costshare, ncci
from .claims.model import Claim
from .claims.remit import Adjustment, ClaimPayment, Remittance, ServicePayment
from .claims.scrub import icd_problem

__all__ = ["Plan", "Member", "Payer", "adjudicate", "eob", "EXAMPLE_PLANS", "example_payer"]

EM_CODES = {f"9920{n}" for n in "2345"} | {f"9921{n}" for n in "12345"}
BYPASS_MODIFIERS = {"59", "XE", "XP", "XS", "XU"}  # the ones that mean "a distinct service"


@dataclass(frozen=True)
class Plan:
    """A plan's benefits and rules. Amounts in dollars; ``fee_schedule`` maps code -> allowed."""
    name: str
    kind: str
    terms: costshare.Plan
    fee_schedule: dict
    filing_limit_days: int
    copay_codes: frozenset = frozenset()
    non_covered: frozenset = frozenset()
    prior_auth: frozenset = frozenset()
    required_modifiers: dict = field(default_factory=dict)
    minor_procedures: frozenset = frozenset()
    no_cost_share: frozenset = frozenset()  # paid in full; never counts toward the deductible


@dataclass
class Member:
    """An enrolled member: who, which plan, covered from ``effective`` to ``terminated``."""
    member_id: str
    name: str
    plan: Plan
    effective: dt.date
    terminated: dt.date | None = None
    encounters: list = field(default_factory=list)

    def covered_on(self, day: dt.date) -> str | None:
        """None when covered on ``day``; else the CARC: 26 (not yet) or 27 (no longer)."""
        if day < self.effective:
            return "26"
        if self.terminated and day > self.terminated:
            return "27"
        return None


@dataclass
class Payer:
    """A payer with its members and memory of decided services (for duplicates)."""
    name: str
    payer_id: str
    members: dict = field(default_factory=dict)
    decided: set = field(default_factory=set)
    next_claim_number: int = 1

    def enroll(self, member: Member) -> Member:
        self.members[member.member_id] = member
        return member


def _line_key(claim: Claim, line) -> tuple:
    return (claim.insured.id, claim.patient.last, line.from_date, line.procedure,
            tuple(line.modifiers), line.charge)


def _denied(line, group: str, carc: str, remarks=()) -> ServicePayment:
    return ServicePayment(line.procedure, list(line.modifiers), line.charge, 0.0, line.units,
                          line.from_date, [Adjustment(group, carc, line.charge)], list(remarks),
                          allowed=0.0)


def _claim_denial(claim: Claim, plan: Plan | None, member: Member | None,
                  received: dt.date, payer: Payer):
    """The claim-level denial (group, CARC, remarks) or None, checked in the payer's order."""
    if member is None:
        return "CO", "16", ["N30"]
    first_day = min(line.from_date for line in claim.lines)
    coverage = member.covered_on(first_day)
    if coverage:
        return "PR", coverage, ["N30"]
    if (received - first_day).days > plan.filing_limit_days:
        return "CO", "29", []
    if all(_line_key(claim, line) in payer.decided for line in claim.lines):
        return "OA", "18", ["M86"]
    if any(icd_problem(code) for code in claim.diagnoses):
        return "CO", "16", ["M76", "MA130"]
    return None


def _line_denial(claim: Claim, plan: Plan, line):
    """A line-level denial (group, CARC, remarks) or None."""
    if line.procedure in plan.non_covered or line.procedure not in plan.fee_schedule:
        return "PR", "204", ["N130"]
    if line.procedure in plan.prior_auth and not claim.prior_authorization:
        return "CO", "197", []
    needed = plan.required_modifiers.get(line.procedure)
    if needed and not needed & set(line.modifiers):
        return "CO", "4", []
    same_day = [o for o in claim.lines if o is not line and o.from_date == line.from_date]
    # The missing 25 is the more specific reason, so it is checked before the PTP edits (the
    # Medicare tables also pair minor procedures with E/M codes as column 2).
    if line.procedure in EM_CODES and "25" not in line.modifiers and \
            any(o.procedure in plan.minor_procedures for o in same_day):
        return "CO", "97", ["M15"]
    # NCCI lets 25 bypass an edit whose column 2 code is the significant, separate E/M visit.
    bypass = BYPASS_MODIFIERS | ({"25"} if line.procedure in EM_CODES else set())
    for other in same_day:
        edit = ncci.edit_for(other.procedure, line.procedure, on=line.from_date)
        if edit and edit["column_2"] == line.procedure and not (
                edit["modifier_indicator"] == "1" and bypass & set(line.modifiers)):
            return "CO", "236", ["M15"]
    return None


def _pay_lines(plan: Plan, member: Member, claim: Claim, lines) -> list[ServicePayment]:
    """Allowed amounts and the patient's share for lines that survived every edit.

    Lines whose code the plan exempts from cost sharing are paid in full and do not count
    toward the deductible or the out-of-pocket maximum; the rest go through costshare in order.
    """
    allowed = [min(line.charge, plan.fee_schedule[line.procedure] * line.units) for line in lines]
    shared = [(line, amount) for line, amount in zip(lines, allowed)
              if line.procedure not in plan.no_cost_share]
    encounters = [costshare.Encounter("copay" if line.procedure in plan.copay_codes else "other",
                                      amount) for line, amount in shared]
    steps = costshare.plan_year(plan.terms, member.encounters + encounters)[-len(encounters):] \
        if encounters else []
    member.encounters += encounters
    step_of = {id(line): step for (line, _), step in zip(shared, steps)}
    paid_lines = []
    for line, amount in zip(lines, allowed):
        step = step_of.get(id(line))
        adjustments = []
        if line.charge > amount:
            adjustments.append(Adjustment("CO", "45", round(line.charge - amount, 2)))
        if step:
            for carc, value in (("1", step.to_deductible), ("2", step.coinsurance),
                                ("3", step.copay)):
                if value:
                    adjustments.append(Adjustment("PR", carc, value))
        paid_lines.append(ServicePayment(line.procedure, list(line.modifiers), line.charge,
                                         step.plan_pays if step else amount, line.units,
                                         line.from_date, adjustments, allowed=amount))
    return paid_lines


def adjudicate(payer: Payer, claim: Claim, received: dt.date) -> ClaimPayment:
    """Decide one claim as ``payer`` would on the day it is ``received``."""
    member = payer.members.get(claim.insured.id)
    plan = member.plan if member else None
    denial = _claim_denial(claim, plan, member, received, payer)
    if denial:
        lines = [_denied(line, denial[0], denial[1], denial[2]) for line in claim.lines]
    else:
        decisions = [(line, _line_denial(claim, plan, line)) for line in claim.lines]
        payable = [line for line, why in decisions if why is None]
        paid = iter(_pay_lines(plan, member, claim, payable))
        lines = [next(paid) if why is None else _denied(line, *why[:2], why[2])
                 for line, why in decisions]
    if not denial or denial[1] != "18":
        payer.decided.update(_line_key(claim, line) for line in claim.lines)
    total_paid = round(sum(line.paid for line in lines), 2)
    patient = round(sum(line.patient_responsibility for line in lines), 2)
    number = f"{payer.payer_id}{received:%y%m%d}{payer.next_claim_number:05d}"
    payer.next_claim_number += 1
    return ClaimPayment(claim.claim_id, "4" if total_paid == 0 and patient == 0 else "1",
                        claim.total_charge, total_paid, patient, number,
                        f"{claim.patient.first} {claim.patient.last}", claim.insured.id, lines)


def remittance(payer: Payer, claims: list[Claim], received: dt.date, paid_on: dt.date,
               check_number: str = "EFT0001") -> Remittance:
    """Adjudicate ``claims`` and bundle the answers into one remittance (one 835)."""
    answers = [adjudicate(payer, claim, received) for claim in claims]
    billing = claims[0].billing_provider
    return Remittance(payer.name, billing.name, billing.npi, check_number, paid_on,
                      round(sum(a.paid for a in answers), 2), "ACH", answers)


def eob(answer: ClaimPayment, payer_name: str, plan: Plan | None = None) -> str:
    """A patient's explanation of benefits for one claim, in plain words. Not a bill."""
    out = [f"EXPLANATION OF BENEFITS - {payer_name}" + (f" - {plan.name}" if plan else ""),
           "THIS IS NOT A BILL.",
           f"Patient: {answer.patient_name}   Member ID: {answer.member_id}   "
           f"Claim: {answer.payer_claim_number} (your provider's number {answer.claim_id})",
           "",
           f"{'date':<11}{'service':<12}{'billed':>10}{'allowed':>10}{'plan paid':>11}"
           f"{'you owe':>10}  why"]
    for line in answer.lines:
        allowed = line.allowed if line.allowed is not None else 0.0
        reasons = "; ".join(a.meaning for a in line.adjustments if a.group != "CO"
                            or a.carc != "45") or "paid as agreed"
        out.append(f"{str(line.date):<11}{line.procedure:<12}{line.charge:>10.2f}"
                   f"{allowed:>10.2f}{line.paid:>11.2f}{line.patient_responsibility:>10.2f}"
                   f"  {reasons}")
    out += ["", f"Total billed ${answer.charge:,.2f}; plan paid ${answer.paid:,.2f}; "
                f"you may owe your provider ${answer.patient_responsibility:,.2f}.",
            "Amounts marked CO are the provider's contractual write-off: you do not owe them.",
            "You may appeal a decision you disagree with; see your plan documents for how."]
    return "\n".join(out)


# --------------------------------------------------------------------------- example plans

_FEES = {"99202": 72, "99203": 110, "99204": 165, "99205": 215, "99211": 25, "99212": 55,
         "99213": 90, "99214": 128, "99215": 180, "99395": 130, "99396": 140, "G0439": 118,
         "83036": 13, "85025": 8, "80053": 11, "80061": 14, "81003": 3, "87880": 16,
         "20610": 62, "J3301": 2, "90471": 17, "90686": 20, "90834": 98, "93000": 16,
         "72040": 40, "73110": 32, "25600": 220, "94010": 28, "95251": 36, "97110": 30,
         "97140": 28, "90662": 65, "G0008": 35}


# Medicare Part B applies neither the deductible nor coinsurance to clinical diagnostic
# laboratory tests (Social Security Act 1833(a)(1)(D) and 1833(b)(3)), to the influenza and
# pneumococcal vaccines and their administration (SSA 1833(b)(1)), or to the yearly wellness
# visit (Medicare.gov, "Yearly 'Wellness' visits": you pay nothing if the provider accepts
# assignment). These are the example fee schedule's codes in those groups.
MEDICARE_NO_COST_SHARE = frozenset({"83036", "85025", "80053", "80061", "81003", "87880",
                                    "90662", "90686", "G0008", "G0439"})


def _plan(name, kind, deductible, coinsurance, oop, copay, limit, **rules) -> Plan:
    return Plan(name, kind, costshare.Plan(deductible, coinsurance, oop, {"copay": copay}
                                           if copay else {}),
                dict(_FEES), limit, copay_codes=frozenset(EM_CODES) if copay else frozenset(),
                minor_procedures=frozenset({"20610"}), **rules)


EXAMPLE_PLANS = {
    "PPO": _plan("Example PPO Gold", "PPO", 1000, 0.20, 4000, 30, 90,
                 non_covered=frozenset({"90662"})),
    "HMO": _plan("Example HMO Select", "HMO", 0, 0.0, 3000, 20, 90,
                 prior_auth=frozenset({"72040", "25600"})),
    "HDHP": _plan("Example HDHP Bronze", "HDHP", 3000, 0.30, 7000, 0, 180),
    "MEDICARE": _plan("Example Medicare Part B", "Medicare", 283, 0.20, 10**7, 0, 365,
                      required_modifiers={"97110": frozenset({"GP", "GO", "GN"}),
                                          "97140": frozenset({"GP", "GO", "GN"})},
                      non_covered=frozenset({"99395", "99396"}),
                      no_cost_share=MEDICARE_NO_COST_SHARE),
}


def example_payer(plan_key: str = "PPO", payer_id: str = "EXHP1",
                  name: str = "Example Health Plan") -> Payer:
    """A payer with one EXAMPLE plan and the sample claims' members enrolled for 2026."""
    payer = Payer(name, payer_id)
    plan = EXAMPLE_PLANS[plan_key]
    for member_id, who in (("W900000101", "Alice Testpatient"), ("W900000404", "Frances Testpatient"),
                           ("W900000808", "Lee Testpatient"), ("W900001010", "Noel Testpatient"),
                           ("HMO900000707", "Kai Testpatient"), ("HMO900001111", "Oakley Testpatient"),
                           ("9EX9EX9EX99", "Bernard Testpatient"), ("9EX9EX9EX09", "Morgan Testpatient"),
                           ("9EX9EX9EX12", "Parker Testpatient")):
        payer.enroll(Member(member_id, who, plan, dt.date(2026, 1, 1)))
    return payer
