"""Module 4's answer keys agree with the course's own engines and data.

The hidden tests hold literal keys, as students' grades need them to be; this test recomputes each
one from ``medcode.cpt``, ``em``, ``hcpcs``, ``modifiers``, ``ncci`` and ``mpfs``, so a key and the
CMS-sourced data cannot drift apart. Code keys are also checked course-wide by test_answer_keys.py.
"""
import ast
from pathlib import Path

import nbformat
import pytest

from medcode import checks, cpt, em, hcpcs, modifiers, mpfs, ncci

FOLDER = Path(__file__).resolve().parent.parent / "notebooks" / "m4_procedures"


def _cells(name):
    return {c.metadata["nbgrader"]["grade_id"]: c.source
            for c in nbformat.read(FOLDER / name, as_version=4).cells
            if "grade_id" in c.metadata.get("nbgrader", {})}


def _key(name, item):
    """The literal key the hidden test of ``item`` compares against."""
    hidden = _cells(name)[f"{item}_test"].split("### BEGIN HIDDEN TESTS")[1]
    call = ast.parse(hidden.split("### END HIDDEN TESTS")[0].strip()).body[0].value
    assert call.args[0].id == item, f"{item}'s hidden test checks another variable"
    return ast.literal_eval(call.args[1])


def _solution(name, item):
    """The value the source notebook's solution assigns to ``item``."""
    namespace = {}
    exec(compile(_cells(name)[f"{item}_answer"], item, "exec"), namespace)
    return namespace[item]


NB1, NB2, NB3, NB4 = ("01_cpt_structure.ipynb", "02_evaluation_and_management.ipynb",
                      "03_hcpcs_and_modifiers.ipynb", "04_ncci_and_fee_schedule.ipynb")


def test_cpt_structure_keys():
    assert _key(NB1, "category_2029F") == cpt.category("2029F")
    assert all(cpt.section(code) == section for code, section in _key(NB1, "sections").items())
    assert cpt.global_days("20610") == "000" and not cpt.is_add_on("20610")
    assert cpt.is_add_on(_key(NB1, "vaccine_admin")[1]) and not cpt.is_add_on(_key(NB1, "vaccine_admin")[0])
    assert cpt.global_days(_key(NB1, "unlisted_wrist")) == "YYY"
    assert _key(NB1, "fracture_global_days") == int(cpt.global_days("25600"))
    assert _key(NB1, "anesthesia_time_units") == round(47 / 15, 1)


@pytest.mark.parametrize("item, patient, elements", [
    ("carla_code", "established", dict(problems="moderate", data="minimal", risk="moderate", minutes=18)),
    ("dan_code", "new", dict(problems="low", data="minimal", risk="low", minutes=20)),
    ("eve_code", "established", dict(problems="low", data="limited", risk="moderate", minutes=35)),
    ("frank_code", "new", dict(minutes=62)),
])
def test_em_keys_match_the_engine(item, patient, elements):
    assert _key(NB2, item) == em.level(patient, **elements).code


def test_new_patient_keys():
    assert (_key(NB2, "ana_new") is True) == em.is_new_patient(2 + 10 / 12)
    assert (_key(NB2, "ben_new") is True) == em.is_new_patient(1 / 12, same_specialty_group=False)
    assert "age 40 to 64" in cpt.summary(_key(NB2, "gina_code"))
    assert "subsequent" in hcpcs.describe(_key(NB2, "hal_code"))


def test_drug_unit_keys():
    assert hcpcs.units(_key(NB3, "ivan_drug"), 30, "mg") == _key(NB3, "ivan_units")
    assert hcpcs.units("J1650", 40, "mg") == _key(NB3, "jia_units")
    assert hcpcs.units("J1745", 350, "mg") == _key(NB3, "kofi_units")
    assert hcpcs.section("E0116").lower().startswith("durable") and _key(NB3, "dme_letter") == "E"
    ambulance = hcpcs.describe(_key(NB3, "ambulance_code"))
    assert "basic life support, non-emergency" in ambulance


def test_modifier_keys():
    namespace = {}
    exec(_cells(NB3)["scenario_claim_lines"], namespace)
    problems = modifiers.check(namespace["claim_lines"])
    assert [p["line"] for p in problems] == [_key(NB3, "bad_line")]
    assert "separate organ/structure" in modifiers.describe(_key(NB3, "x_modifier"))
    assert modifiers.describe(_key(NB3, "radiologist_modifier")).startswith("Professional")


def test_ncci_keys():
    assert ncci.edit_for("29000", "29010")["column_1"] == _key(NB4, "cast_paid")
    assert ncci.edit_for("29325", "L1951")["modifier_indicator"] == ("1" if _key(NB4, "bypass_29325") else "0")
    assert ncci.edit_for("29305", "L1951")["modifier_indicator"] == ("1" if _key(NB4, "bypass_29305") else "0")
    over = ncci.check([{"code": "E0116", "units": 3}])
    assert over[0]["over_by"] == _key(NB4, "crutch_units_over")


@pytest.mark.parametrize("item, args", [
    ("az_office", ("99214", "AZ-00")),
    ("az_facility", ("99214", "AZ-00", True)),
    ("wrist_26", ("73110", "AL-00", False, "26")),
])
def test_fee_schedule_keys_and_solutions(item, args):
    amount = mpfs.payment(*args).amount
    assert _key(NB4, item) == amount
    assert round(_solution(NB4, item), 2) == amount


def _hidden_test_passes(name, item, answer):
    """Run ``item``'s hidden test on ``answer``, as the grader would."""
    hidden = _cells(name)[f"{item}_test"].split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
    try:
        exec(hidden, {"checks": checks, item: answer})
    except checks.AnswerProblem:
        return False
    return True


@pytest.mark.parametrize("item, args, other_setting", [
    ("az_office", ("99214", "AZ-00"), ("99214", "AZ-00", True)),
    ("az_facility", ("99214", "AZ-00", True), ("99214", "AZ-00")),
    ("wrist_26", ("73110", "AL-00", False, "26"), ("73110", "AL-00")),
])
def test_fee_schedule_items_accept_rounding_of_the_printed_total(item, args, other_setting):
    """A student who multiplies the four-decimal RVU total that mpfs.payment prints, and rounds to
    the cent, may land one cent away (83.35 for 83.34); that must earn the points, while the other
    setting's or component's amount must not."""
    printed_total = float(mpfs.payment(*args).formula.split(" = ")[1].split(" x ")[0])
    by_hand = round(printed_total * mpfs.CONVERSION_FACTOR, 2)
    assert _hidden_test_passes(NB4, item, by_hand)
    assert not _hidden_test_passes(NB4, item, mpfs.payment(*other_setting).amount)
