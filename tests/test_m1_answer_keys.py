"""Module 1's answer keys agree with the course's own engines and data.

The keys in the hidden tests are literal numbers, as students' grades need them to be; this test
recomputes each one from the scenario cells of the source notebooks with ``medcode.costshare``,
``medcode.reimbursement`` and ``medcode.history``, so a key and the engine cannot drift apart.
"""
import ast
import re
from datetime import date
from pathlib import Path

import nbformat
import pytest

from medcode import costshare, history, reimbursement
from medcode.costshare import Encounter, Plan

FOLDER = Path(__file__).resolve().parent.parent / "notebooks" / "m1_profession"
CF_2026_NON_QP = 33.4009   # CY 2026 PFS final rule, 90 FR 49266; also stated in notebook 3


def _cells(name):
    return {c.metadata["nbgrader"]["grade_id"]: c.source
            for c in nbformat.read(FOLDER / name, as_version=4).cells
            if "grade_id" in c.metadata.get("nbgrader", {})}


def _scenario(name, grade_id):
    """The variables a scenario cell defines (plain literals: safe to run here)."""
    namespace = {}
    exec(compile(_cells(name)[grade_id], grade_id, "exec"), namespace)
    return namespace


def _key(name, item):
    """The literal key the hidden test of ``item`` compares against."""
    hidden = _cells(name)[f"{item}_test"].split("### BEGIN HIDDEN TESTS")[1]
    call = ast.parse(hidden.strip().split("### END HIDDEN TESTS")[0]).body[0].value
    assert call.args[0].id == item, f"{item}'s hidden test checks another variable"
    return ast.literal_eval(call.args[1])


@pytest.fixture(scope="module")
def bea():
    s = _scenario("02_health_insurance.ipynb", "scenario_bea")
    plan = Plan(s["bea_deductible"], s["bea_coinsurance"], s["bea_out_of_pocket_max"],
                {"office visit": s["bea_office_visit_copay"]})
    encounters = [Encounter(service, allowed) for service, allowed in s["bea_encounters"]]
    return plan, encounters, costshare.plan_year(plan, encounters)


def test_bea_plan_year_keys(bea):
    plan, encounters, steps = bea
    nb = "02_health_insurance.ipynb"
    assert _key(nb, "bea_ct_patient") == steps[2].patient_pays
    assert _key(nb, "bea_surgery_plan") == steps[3].plan_pays
    assert _key(nb, "bea_cap_encounter") == next(i for i, s in enumerate(steps, 1) if s.capped)
    assert _key(nb, "bea_year_patient") == costshare.patient_total(plan, encounters)
    assert _key(nb, "bea_year_plan") == costshare.plan_total(plan, encounters)


def test_practice_digest_for_bea_visit_one(bea):
    from medcode import checks
    source = next(c.source for c in nbformat.read(FOLDER / "02_health_insurance.ipynb", 4).cells
                  if '"bea visit 1"' in c.source)
    digest = re.search(r'"([0-9a-f]{16})"', source).group(1)
    assert digest == checks.fingerprint("bea visit 1", bea[2][0].patient_pays, "number")


def test_balance_billing_keys():
    # Fay: in network, deductible met, 20% coinsurance; charge $500, allowed amount $320.
    nb = "02_health_insurance.ipynb"
    step = costshare.plan_year(Plan(0, 0.20, 10_000), [Encounter("procedure", 320)])[0]
    assert _key(nb, "fay_owes") == step.patient_pays
    assert _key(nb, "fay_write_off") == 500 - step.allowed


def test_rbrvs_keys():
    nb = "03_reimbursement.ipynb"
    s = _scenario(nb, "scenario_rbrvs")
    adjusted = (s["proc_work_rvu"] * s["proc_work_gpci"] + s["proc_pe_rvu"] * s["proc_pe_gpci"]
                + s["proc_mp_rvu"] * s["proc_mp_gpci"])
    assert _key(nb, "proc_adjusted_rvus") == pytest.approx(adjusted, abs=1e-9)
    assert _key(nb, "proc_payment") == round(adjusted * CF_2026_NON_QP, 2)
    assert str(CF_2026_NON_QP) in _cells(nb)["example_rbrvs"]


def test_the_notebook_and_the_fee_schedule_engine_use_the_same_conversion_factor():
    from medcode import mpfs
    assert mpfs.CONVERSION_FACTOR == CF_2026_NON_QP


def test_capitation_keys():
    nb = "03_reimbursement.ipynb"
    s = _scenario(nb, "scenario_clinic")
    result = reimbursement.compare(s["clinic_members"], s["clinic_pmpm"], s["clinic_services"],
                                   s["clinic_months"])
    assert _key(nb, "clinic_capitation") == result.capitation
    assert _key(nb, "clinic_ffs") == result.fee_for_service
    assert _key(nb, "clinic_better") == result.better_for_practice


def test_history_keys_match_the_timeline():
    nb = "01_the_profession.ipynb"
    rows = {row["short"]: row for row in history.milestones()}
    assert _key(nb, "hipaa_year") == rows["HIPAA"]["year"]
    icd10 = date.fromisoformat(rows["ICD-10-CM/PCS"]["date"])
    spellings = _key(nb, "icd10_date")
    assert icd10.strftime("%m/%d/%Y") in spellings and icd10.isoformat() in spellings
    events = {"A": "HIPAA", "B": "CPT, 1st edition", "C": "ICD-10-CM/PCS", "D": "Medicare DRG payment"}
    by_date = sorted(events, key=lambda letter: rows[events[letter]]["date"])
    assert _key(nb, "milestone_order") == by_date


def test_eve_worked_example_matches_its_walkthrough():
    """The prose under the worked example quotes these amounts row by row."""
    namespace = {"Plan": Plan, "Encounter": Encounter, "costshare": costshare}
    exec(_cells("02_health_insurance.ipynb")["example_eve_year"], namespace)
    steps = costshare.plan_year(namespace["eve_plan"], namespace["eve_year"])
    assert [s.patient_pays for s in steps] == [20, 300, 400, 1280, 0]
    assert steps[2].out_of_pocket_so_far == 720 and steps[3].capped
    assert (steps[0].plan_pays, steps[3].plan_pays, steps[4].plan_pays) == (130, 7720, 150)


def test_money_in_lecture_text_is_not_read_as_math():
    """MyST (dollarmath) and Jupyter read "$20 ... $130" as inline math unless the $ is escaped."""
    for path in sorted(FOLDER.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown":
                assert not re.search(r"(?<!\\)\$\d", cell.source), f"{path.name}: {cell.source[:80]}"
