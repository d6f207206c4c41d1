"""Office/outpatient E/M levelling (medcode.em)."""
import pytest

from medcode import em


@pytest.mark.parametrize("patient,problems,data,risk,code", [
    ("established", "low", "limited", "low", "99213"),
    ("established", "moderate", "limited", "moderate", "99214"),
    ("established", "high", "minimal", "low", "99213"),
    ("established", "minimal", "minimal", "high", "99212"),
    ("established", "high", "extensive", "moderate", "99215"),
    ("new", "moderate", "moderate", "low", "99204"),
    ("new", "minimal", "minimal", "high", "99202"),
    ("new", "high", "extensive", "high", "99205"),
])
def test_two_of_three_mdm(patient, problems, data, risk, code):
    assert em.level(patient, problems=problems, data=data, risk=risk).code == code


@pytest.mark.parametrize("patient,minutes,code", [
    ("new", 15, "99202"), ("new", 29, "99202"), ("new", 30, "99203"), ("new", 60, "99205"),
    ("established", 10, "99212"), ("established", 25, "99213"), ("established", 40, "99215"),
])
def test_time_thresholds(patient, minutes, code):
    assert em.level(patient, minutes=minutes).code == code


def test_too_little_time_has_no_level():
    assert em.by_time("established", 9) is None
    with pytest.raises(ValueError):
        em.level("established", minutes=5)


def test_higher_of_mdm_and_time_wins_with_reasoning():
    result = em.level("established", problems="low", data="limited", risk="low", minutes=35)
    assert result.code == "99214" and result.basis == "time"
    assert any("99213" in step for step in result.reasoning)


def test_bad_inputs_say_what_is_allowed():
    with pytest.raises(ValueError, match="new' or 'established"):
        em.level("returning", minutes=20)
    with pytest.raises(ValueError, match="all three"):
        em.level("new", problems="low")


def test_new_patient_three_year_rule():
    assert em.is_new_patient(None)
    assert em.is_new_patient(3.5)
    assert not em.is_new_patient(2)
    assert em.is_new_patient(1, same_specialty_group=False)
