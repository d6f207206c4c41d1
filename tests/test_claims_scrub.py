"""The scrubber: each rule fires with its CMS-1500 item, and clean samples stay clean."""
import datetime as dt
import json

import pytest

from medcode import claims
from medcode.claims import model, scrub

TODAY = dt.date(2026, 11, 1)


def _scrubbed(edit, name="01"):
    data = json.loads(claims.sample(name).to_json())
    edit(data)
    return scrub.scrub(model.from_dict(data), TODAY)


@pytest.mark.parametrize("name", claims.samples())
def test_samples_have_no_errors(name):
    assert scrub.errors(scrub.scrub(claims.sample(name), TODAY)) == []


@pytest.mark.parametrize("edit, item, words", [
    (lambda d: d.update(diagnoses=["E11", "I10"]), "21A", "not billable"),
    (lambda d: d.update(diagnoses=["E11.9", "Q99.99"]), "21B", "not an ICD-10-CM code"),
    (lambda d: d["billing_provider"].update(npi="1234567890"), "33a", "check digit"),
    (lambda d: d["service_lines"][0].update(place_of_service="88"), "24B, line 1",
     "place-of-service"),
    (lambda d: d["service_lines"][1].update(pointers=["C"]), "24E, line 2", "pointer"),
    (lambda d: d["service_lines"][0].update(procedure="9921"), "24D, line 1", "CPT"),
    (lambda d: d["service_lines"][0].update(modifiers=["2"]), "24D, line 1", "modifier"),
    (lambda d: d["service_lines"][0].update(from_date="2026-12-01", to_date="2026-12-01"), "24A, line 1",
     "future"),
    (lambda d: d.update(condition={"auto_accident": True}), "10b", "state"),
    (lambda d: d.update(amount_paid=999), "29", "more than the total"),
    (lambda d: d["patient"].update(birth_date="2026-10-30"), "3", "after the date of service"),
])
def test_each_rule_names_its_item(edit, item, words):
    found = scrub.errors(_scrubbed(edit))
    assert any(f.item == item and words in f.message for f in found), found


def test_unused_diagnosis_is_a_warning_not_an_error():
    found = _scrubbed(lambda d: d["diagnoses"].append("J06.9"))
    assert [f.item for f in found] == ["21C"] and found[0].severity == "warning"


def test_scrub_json_turns_structure_errors_into_findings():
    found = scrub.scrub_json('{"claim_id": "X"}', TODAY)
    assert len(found) == 1 and found[0].severity == "error"


def _with_lines(lines):
    def edit(data):
        data["service_lines"] = [{"from_date": "2026-10-05", "place_of_service": "11",
                                  "pointers": ["A"], "charge": 50.0, "units": 1, **line}
                                 for line in lines]
    return edit


def test_ncci_pair_on_one_day_is_an_error_on_the_column_2_line():
    found = _scrubbed(_with_lines([{"procedure": "29000"}, {"procedure": "29010"}]))
    assert any(f.item == "24D, line 2" and f.message.startswith("NCCI") and
               f.severity == "error" for f in found), found


def test_ncci_pair_bypassed_by_an_x_modifier_is_only_a_warning():
    found = _scrubbed(_with_lines([{"procedure": "29305"},
                                   {"procedure": "L1951", "modifiers": ["XS"]}]))
    ncci_found = [f for f in found if f.message.startswith("NCCI")]
    assert ncci_found and all(f.severity == "warning" for f in ncci_found)


def test_ncci_pair_on_different_days_is_not_an_edit():
    def edit(data):
        _with_lines([{"procedure": "29000"}, {"procedure": "29010"}])(data)
        data["service_lines"][1]["from_date"] = "2026-10-06"
    assert not any(f.message.startswith("NCCI") for f in _scrubbed(edit))


def test_units_over_the_mue_name_item_24g():
    found = _scrubbed(_with_lines([{"procedure": "G0121", "units": 2}]))
    assert any(f.item == "24G, line 1" and "MUE" in f.message for f in found), found


def test_modifier_conflict_from_the_modifier_engine():
    found = _scrubbed(_with_lines([{"procedure": "20610", "modifiers": ["RT", "LT"]}]))
    assert any(f.item == "24D, line 1" and "LT and RT" in f.message for f in found), found


def test_real_cpt_code_outside_the_course_list_is_a_warning():
    found = _scrubbed(_with_lines([{"procedure": "92567"}]))
    assert [f.severity for f in found if f.item == "24D, line 1"] == ["warning"]


def test_onset_after_the_service_is_an_error():
    found = scrub.errors(_scrubbed(lambda d: d.update(onset_date="2026-10-10"), "05"))
    assert [f.item for f in found] == ["14"]


def test_medicare_filing_limit_is_one_calendar_year():
    claim = claims.sample("02")                       # Medicare, service on 2026-10-06
    on_time = scrub.scrub(claim, dt.date(2027, 10, 6))
    late = scrub.scrub(claim, dt.date(2027, 10, 7))
    assert not any("filing limit" in f.message for f in on_time)
    assert [f.item for f in late if "filing limit" in f.message] == ["24A, line 1", "24A, line 2"]
    ppo = scrub.scrub(claims.sample("01"), dt.date(2027, 12, 1))
    assert not any("filing limit" in f.message for f in ppo)
