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
