"""The adjudication simulator: each denial rule, the money arithmetic, and a valid 835 out."""
import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from medcode import claims, payers
from medcode.claims import model, remit, x835

RECEIVED = dt.date(2026, 11, 1)
PAID_ON = dt.date(2026, 11, 15)


def _claim(name="01", edit=None):
    data = json.loads(claims.sample(name).to_json())
    if edit:
        edit(data)
    return model.from_dict(data)


def _decide(claim, plan="PPO", received=RECEIVED, payer=None):
    payer = payer or payers.example_payer(plan)
    return payers.adjudicate(payer, claim, received)


def _reasons(answer):
    return [(a.group, a.carc) for line in answer.lines for a in line.adjustments]


def test_every_line_balances_and_claim_totals_add_up():
    payer = payers.example_payer("PPO")
    for name in ("01", "04", "08", "10"):
        answer = payers.adjudicate(payer, claims.sample(name), RECEIVED)
        assert all(line.balances() for line in answer.lines)
        assert answer.paid == pytest.approx(sum(line.paid for line in answer.lines))
        assert answer.patient_responsibility == pytest.approx(
            sum(line.patient_responsibility for line in answer.lines))


def test_copay_then_deductible_then_coinsurance():
    payer = payers.example_payer("PPO")
    first = payers.adjudicate(payer, claims.sample("01"), RECEIVED)
    visit, lab = first.lines
    assert ("PR", "3") in [(a.group, a.carc) for a in visit.adjustments]
    assert visit.patient_responsibility == 30 and visit.paid == visit.allowed - 30
    assert lab.adjustments[-1].carc == "1" and lab.paid == 0   # lab goes to the deductible


def test_medicare_pays_lab_in_full_and_it_does_not_count_toward_the_deductible():
    """SSA 1833(a)(1)(D), (b)(3): no Part B deductible or coinsurance on clinical lab tests."""
    payer = payers.example_payer("MEDICARE")
    for member in payer.members.values():
        medicare_id = member.member_id
        break
    lab_only = _claim("01", lambda d: (d["insured"].update(id=medicare_id),
                                       d.update(service_lines=d["service_lines"][1:])))
    assert all(line.procedure in payers.MEDICARE_NO_COST_SHARE for line in lab_only.lines)
    lab = payers.adjudicate(payer, lab_only, RECEIVED)
    assert lab.patient_responsibility == 0
    assert all(line.paid == line.allowed for line in lab.lines)
    visit = payers.adjudicate(payer, _claim("01", lambda d: (
        d["insured"].update(id=medicare_id), d.update(service_lines=d["service_lines"][:1],
                                                      claim_id="MC-VISIT"))), RECEIVED)
    to_deductible = sum(a.amount for line in visit.lines for a in line.adjustments
                        if (a.group, a.carc) == ("PR", "1"))
    assert to_deductible == min(visit.lines[0].allowed, 283)


@pytest.mark.parametrize("edit, plan, received, expected", [
    (lambda d: d["insured"].update(id="W999999999"), "PPO", RECEIVED, ("CO", "16")),
    (None, "PPO", dt.date(2027, 3, 1), ("CO", "29")),
    (lambda d: d.update(diagnoses=["E11", "I10"]), "PPO", RECEIVED, ("CO", "16")),
])
def test_claim_level_denials(edit, plan, received, expected):
    answer = _decide(_claim("01", edit), plan, received)
    assert answer.denied and answer.paid == 0
    assert set(_reasons(answer)) == {expected}


def test_coverage_ended_is_patient_responsibility():
    payer = payers.example_payer("PPO")
    payer.members["W900000101"].terminated = dt.date(2026, 9, 30)
    answer = payers.adjudicate(payer, claims.sample("01"), RECEIVED)
    assert set(_reasons(answer)) == {("PR", "27")}
    assert answer.patient_responsibility == answer.charge
    assert "N30" in answer.lines[0].remarks


def test_duplicate_claim_is_denied_the_second_time():
    payer = payers.example_payer("PPO")
    first = payers.adjudicate(payer, claims.sample("01"), RECEIVED)
    second = payers.adjudicate(payer, claims.sample("01"), RECEIVED)
    assert not first.denied
    assert set(_reasons(second)) == {("OA", "18")}


def test_line_denials():
    non_covered = _decide(claims.sample("12"), "PPO")           # flu vaccine 90662 not covered
    assert ("PR", "204") in _reasons(non_covered)
    no_auth = _decide(_claim("07", lambda d: d.pop("prior_authorization")), "HMO")
    assert ("CO", "197") in _reasons(no_auth)
    with_auth = _decide(claims.sample("07"), "HMO")
    assert ("CO", "197") not in _reasons(with_auth)
    no_gp = _decide(_claim("09", lambda d: d["service_lines"][0].update(modifiers=[])),
                    "MEDICARE")
    assert _reasons(no_gp).count(("CO", "4")) == 1


def test_em_without_25_on_injection_day_is_bundled():
    without = _decide(_claim("04", lambda d: d["service_lines"][0].update(modifiers=[])))
    assert ("CO", "97") in [(a.group, a.carc) for a in without.lines[0].adjustments]
    with_25 = _decide(claims.sample("04"))
    assert with_25.lines[0].paid > 0


def test_835_round_trips_and_passes_x12valid(tmp_path):
    payer = payers.example_payer("PPO")
    sent = payers.remittance(payer, [claims.sample(n) for n in ("01", "04", "12")],
                             RECEIVED, PAID_ON)
    text = x835.to_835(sent, payer.payer_id)
    back = remit.parse_835(text)
    assert back.total_paid == pytest.approx(sent.total_paid)
    assert [c.claim_id for c in back.claims] == [c.claim_id for c in sent.claims]
    for got, want in zip(back.claims, sent.claims):
        assert got.paid == pytest.approx(want.paid)
        assert [ln.adjustments for ln in got.lines] == [ln.adjustments for ln in want.lines]
        assert [ln.remarks for ln in got.lines] == [ln.remarks for ln in want.lines]
    path = tmp_path / "era.835"
    path.write_text(text)
    x12valid = shutil.which("x12valid") or str(Path(sys.executable).parent / "x12valid")
    result = subprocess.run([x12valid, str(path)], capture_output=True, text=True)
    assert f"{path}: OK" in result.stdout + result.stderr


def test_eob_is_not_a_bill_and_explains_patient_amounts():
    answer = _decide(claims.sample("01"))
    text = payers.eob(answer, "Example Health Plan")
    assert "THIS IS NOT A BILL" in text
    assert "copayment" in text
    assert f"${answer.patient_responsibility:,.2f}" in text


def test_ncci_column_2_line_is_denied_unless_a_modifier_may_bypass_it():
    def lines(second_modifiers, first="29000", second="29010"):
        def edit(data):
            data["service_lines"] = [
                {"from_date": "2026-10-05", "place_of_service": "11", "procedure": code,
                 "pointers": ["A"], "charge": 80.0, "units": 1, "modifiers": mods}
                for code, mods in ((first, []), (second, second_modifiers))]
        return edit

    def plan_with_fees(*codes):
        plan = payers.EXAMPLE_PLANS["PPO"]
        return payers.Plan(**{**plan.__dict__,
                              "fee_schedule": {**plan.fee_schedule, **{c: 50 for c in codes}}})

    payer = payers.example_payer("PPO")
    payer.members["W900000101"].plan = plan_with_fees("29000", "29010", "29305", "L1951")
    never = payers.adjudicate(payer, _claim("01", lines(["XS"])), RECEIVED)
    assert [(a.group, a.carc) for a in never.lines[1].adjustments] == [("CO", "236")]
    assert never.lines[0].paid > 0 or never.lines[0].patient_responsibility > 0
    bypassed = payers.adjudicate(payer, _claim("01", lines(["XS"], "29305", "L1951")), RECEIVED)
    assert ("CO", "236") not in [(a.group, a.carc) for a in bypassed.lines[1].adjustments]
