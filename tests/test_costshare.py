"""The cost-sharing engine, checked against plan years worked out by hand."""
import pytest

from medcode import costshare
from medcode.costshare import Encounter, Plan

PPO = Plan(deductible=1500, coinsurance=0.20, out_of_pocket_max=4000,
           copays={"office visit": 30})
YEAR = [Encounter("office visit", 120), Encounter("MRI", 1100), Encounter("ER visit", 2400),
        Encounter("surgery", 14000), Encounter("office visit", 120)]


def test_each_step_of_a_hand_worked_year():
    steps = costshare.plan_year(PPO, YEAR)
    # visit 1: copay only, deductible untouched
    assert (steps[0].copay, steps[0].to_deductible, steps[0].patient_pays) == (30, 0, 30)
    # visit 2: all of it goes to the deductible
    assert (steps[1].to_deductible, steps[1].coinsurance, steps[1].plan_pays) == (1100, 0, 0)
    # visit 3: the last $400 of deductible, then 20% of the other $2,000
    assert (steps[2].to_deductible, steps[2].coinsurance, steps[2].patient_pays) == (400, 400, 800)
    assert steps[2].deductible_met_so_far == 1500
    # visit 4: 20% would be $2,800 but only $2,070 is left under the $4,000 maximum
    assert steps[3].capped and steps[3].patient_pays == 2070 and steps[3].plan_pays == 11930
    # visit 5: out-of-pocket maximum reached, the plan pays everything, copay too
    assert steps[4].patient_pays == 0 and steps[4].plan_pays == 120
    assert steps[4].out_of_pocket_so_far == 4000


def test_totals_add_up_to_the_allowed_amounts():
    assert costshare.patient_total(PPO, YEAR) == 4000
    assert costshare.plan_total(PPO, YEAR) == 13740
    assert costshare.patient_total(PPO, YEAR) + costshare.plan_total(PPO, YEAR) == sum(
        e.allowed for e in YEAR)


def test_copay_never_exceeds_the_allowed_amount():
    plan = Plan(deductible=0, coinsurance=0.2, out_of_pocket_max=1000, copays={"lab": 25})
    step = costshare.plan_year(plan, [Encounter("lab", 18.40)])[0]
    assert step.patient_pays == 18.40 and step.plan_pays == 0


def test_amounts_round_to_the_cent_half_up():
    plan = Plan(deductible=0, coinsurance=0.20, out_of_pocket_max=5000)
    step = costshare.plan_year(plan, [Encounter("x-ray", 99.99)])[0]
    assert step.coinsurance == 20.00 and step.plan_pays == 79.99
    assert costshare.coinsurance_share(12.345, 1) == 12.35


def test_order_of_encounters_matters():
    plan = Plan(deductible=500, coinsurance=0.5, out_of_pocket_max=5000,
                copays={"office visit": 40})
    first = [Encounter("lab", 400), Encounter("office visit", 200), Encounter("lab", 400)]
    assert costshare.patient_total(plan, first) == 400 + 40 + (100 + 150)


def test_table_has_one_row_per_encounter():
    frame = costshare.table(PPO, YEAR)
    assert list(frame.index) == [1, 2, 3, 4, 5]
    assert frame["patient_pays"].sum() == 4000


@pytest.mark.parametrize("terms", [dict(deductible=100, coinsurance=1.5, out_of_pocket_max=500),
                                   dict(deductible=900, coinsurance=0.2, out_of_pocket_max=500),
                                   dict(deductible=-1, coinsurance=0.2, out_of_pocket_max=500)])
def test_impossible_plans_are_refused(terms):
    with pytest.raises(ValueError):
        Plan(**terms)


def test_invariants_hold_for_many_random_plan_years():
    import random
    rng = random.Random(2026)
    for _ in range(300):
        deductible = rng.choice([0, 250, 500, 1500, 3000])
        plan = Plan(deductible=deductible, coinsurance=rng.choice([0, 0.1, 0.2, 0.3, 0.5]),
                    out_of_pocket_max=deductible + rng.choice([0, 500, 2500, 6000]),
                    copays={"office visit": rng.choice([0, 20, 45])})
        year = [Encounter(rng.choice(["office visit", "lab", "imaging", "surgery"]),
                          round(rng.uniform(5, 20000), 2)) for _ in range(rng.randint(1, 12))]
        steps = costshare.plan_year(plan, year)
        for step in steps:
            assert step.patient_pays >= 0 and step.plan_pays >= 0
            assert round(step.patient_pays + step.plan_pays, 2) == step.allowed
            assert step.deductible_met_so_far <= plan.deductible
            assert step.out_of_pocket_so_far <= plan.out_of_pocket_max
        assert costshare.patient_total(plan, year) == steps[-1].out_of_pocket_so_far
