"""The CMS-1500 model: JSON round trip, and bad input named by its item (never a traceback)."""
import json
import subprocess
import sys

import pytest

from medcode import claims
from medcode.claims import ClaimError, model, npi

FIRST = "01_office_visit_self"


def _data(name=FIRST):
    return json.loads(claims.sample(name).to_json())


def test_at_least_ten_samples_round_trip_through_json():
    names = claims.samples()
    assert len(names) >= 10
    for name in names:
        claim = claims.sample(name)
        assert model.from_dict(json.loads(claim.to_json())) == claim


def test_total_charge_is_the_sum_of_line_charges():
    claim = claims.sample(FIRST)
    assert claim.total_charge == pytest.approx(sum(line.charge for line in claim.lines))
    assert claim.to_dict()["total_charge"] == claim.total_charge


def test_pointer_letters_resolve_to_item_21():
    claim = claims.sample(FIRST)
    assert claim.diagnosis_for("A") == claim.diagnoses[0]
    assert claim.diagnosis_for("L") is None


@pytest.mark.parametrize("edit, item", [
    (lambda d: d.pop("diagnoses"), "21 A-L"),
    (lambda d: d["patient"].update(birth_date="2026-02-30"), "3"),
    (lambda d: d["patient"].update(birth_date="04/12/1980"), "3"),
    (lambda d: d["service_lines"][0].update(units=0), "24G, line 1"),
    (lambda d: d["service_lines"][1].update(charge="lots"), "24F, line 2"),
    (lambda d: d["service_lines"][0].update(from_date="2026-13-01"), "24A, line 1"),
    (lambda d: d.update(federal_tax_id="12"), "25"),
    (lambda d: d["billing_provider"].update(npi="12345"), "33, 33a"),
    (lambda d: d["patient"].update(relationship="cousin"), "6"),
    (lambda d: d["payer"].pop("payer_id"), "carrier block"),
    (lambda d: d.update(service_lines=d["service_lines"] * 4), "24"),
])
def test_bad_input_names_the_item(edit, item):
    data = _data()
    edit(data)
    with pytest.raises(ClaimError) as caught:
        model.from_dict(data)
    assert caught.value.item == item
    assert str(caught.value).startswith(f"Item {item}:")


def test_malformed_json_is_reported_with_line_and_column():
    with pytest.raises(ClaimError, match=r"not valid JSON \(line 1"):
        model.loads('{"claim_id": ')


def test_self_insured_copies_the_patient_and_keeps_the_member_id():
    claim = claims.sample(FIRST)
    assert claim.insured.last == claim.patient.last
    assert claim.insured.id == "W900000101"
    assert claim.patient.id == ""


@pytest.mark.parametrize("number, ok", [("1234567893", True), ("1234567890", False),
                                        ("123456789", False), ("12345678a3", False),
                                        (None, False)])
def test_npi_check_digit(number, ok):
    assert npi.is_valid(number) is ok


def test_npi_examples_pass_and_one_changed_digit_fails():
    import random
    rng = random.Random(1)
    for _ in range(50):
        number = npi.example(rng)
        assert npi.is_valid(number)
        changed = number[:4] + str((int(number[4]) + 1) % 10) + number[5:]
        assert not npi.is_valid(changed)


def test_schema_table_lists_every_item():
    table = claims.schema_markdown()
    for item in ("1a", "21 A-L", "24D", "24E", "33, 33a"):
        assert f"| {item} |" in table


def test_cli_bad_file_prints_item_and_no_traceback(tmp_path):
    data = _data()
    data["service_lines"][0]["from_date"] = "2026-02-31"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    result = subprocess.run([sys.executable, "-m", "medcode.claims", "to-837p", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "Item 24A, line 1" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
