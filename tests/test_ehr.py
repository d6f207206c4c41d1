"""The EHR case library: valid FHIR, synthetic, in sync with its source, keys that hold up."""
import re
from datetime import date

import pytest
import yaml

from autograde import casekeys
from medcode import ehr, modifiers, ncci

CASES = ehr.case_ids()


def npi_ok(npi: str) -> bool:
    """The NPI check digit: Luhn over the prefix 80840 and the first nine digits."""
    total = 0
    for i, d in enumerate(int(ch) for ch in reversed("80840" + npi)):
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return len(npi) == 10 and total % 10 == 0


def resources(case_id, kind=None):
    return [e["resource"] for e in ehr.bundle(case_id)["entry"]
            if kind is None or e["resource"]["resourceType"] == kind]


def service_date(case_id) -> date:
    return date.fromisoformat(dict(ehr.chart(case_id).encounter())["Date of service"])


def test_the_npi_check_itself():
    assert npi_ok("1234567893") and not npi_ok("1234567890")


def test_library_is_big_enough_and_in_sync_with_its_source():
    assert len(CASES) >= 40
    built = ehr.built_files()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in ehr.CASES.glob("*.json")}
    assert built == on_disk, "run `python -m medcode.ehr build` after editing a source case"


def _nulls(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            if value is None:
                yield f"{path}.{key}"
            yield from _nulls(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _nulls(value, f"{path}[{i}]")


def test_source_files_have_no_accidental_empty_fields():
    """An unquoted comma inside {...} in YAML silently makes an empty key; catch it."""
    for path in sorted(ehr.SOURCE.glob("*.yaml")):
        assert list(_nulls(yaml.safe_load(path.read_text()))) == [], path.name


@pytest.mark.parametrize("case_id", CASES)
def test_bundle_is_valid_fhir_with_the_core_resources(case_id):
    ehr.validate(ehr.bundle(case_id))
    kinds = {r["resourceType"] for r in resources(case_id)}
    assert {"Patient", "Coverage", "Practitioner", "Organization", "Encounter", "Condition",
            "AllergyIntolerance", "DocumentReference"} <= kinds


def test_invalid_fhir_is_rejected():
    data = ehr.bundle("c01")
    data["entry"][0]["resource"]["favouriteColour"] = "blue"
    with pytest.raises(ValueError):
        ehr.validate(data)


def test_library_uses_every_resource_the_issue_names():
    kinds = {r["resourceType"] for c in CASES for r in resources(c)}
    assert {"Procedure", "Observation", "MedicationRequest", "Immunization",
            "ServiceRequest"} <= kinds


@pytest.mark.parametrize("case_id", CASES)
def test_everyone_is_obviously_synthetic(case_id):
    data = ehr.bundle(case_id)
    assert ehr.SYNTHETIC_TAG in data["meta"]["security"]
    patient = resources(case_id, "Patient")[0]
    ssn = next(i["value"] for i in patient["identifier"] if i["system"].endswith("us-ssn"))
    assert ssn.startswith("9")
    phones = [t["value"] for r in resources(case_id) for t in r.get("telecom", [])]
    assert phones and all(re.search(r"555-01\d\d$", p) for p in phones)
    npis = [i["value"] for r in resources(case_id) for i in r.get("identifier", [])
            if i.get("system") == "http://hl7.org/fhir/sid/us-npi"]
    assert npis and all(npi_ok(n) for n in npis)
    assert all(ehr.SYNTHETIC_BANNER in text for _, text in ehr.chart(case_id).notes())


@pytest.mark.parametrize("case_id", CASES)
def test_dates_of_service_fall_in_the_pinned_code_set_year(case_id):
    """FY2026 ICD-10-CM (April 2026 update) applies to services from 2026-04-01 to 2026-09-30."""
    assert date(2026, 4, 1) <= service_date(case_id) <= date(2026, 9, 30)


@pytest.mark.parametrize("case_id", CASES)
def test_answer_key_is_well_formed_and_explained(case_id):
    assert casekeys.problems(casekeys.key(case_id)) == []


def test_the_shape_check_catches_a_bad_key():
    key = casekeys.key("c01")
    assert casekeys.problems({**key, "pos": "office"}) == ["pos 'office' is not a two-digit "
                                                           "place-of-service code"]
    assert casekeys.problems({**key, "icd10cm": ["I10", "I10", "Z99.9"]}) == [
        "icd10cm must list at least one code, each once", "the rationale does not explain Z99.9"]
    assert "exactly the fields" in casekeys.problems({**key, "extra": 1})[0]
    assert "whole number of units" in casekeys.problems(
        {**key, "procedures": [{"code": "99203", "modifiers": [], "units": 0}]})[0]
    with pytest.raises(KeyError):
        casekeys.key("c99")


@pytest.mark.parametrize("case_id", CASES)
def test_claim_takes_the_keyed_place_of_service_from_the_chart(case_id):
    """The practice system's place of service (chart only) agrees with the instructor's key."""
    assert ehr.place_of_service(ehr.chart(case_id)) == casekeys.key(case_id)["pos"]


@pytest.mark.parametrize("case_id", CASES)
def test_procedure_keys_pass_ncci_and_the_modifier_rules(case_id):
    """No unbypassed PTP pair and no units above an MUE in the course's NCCI tables."""
    lines = casekeys.key(case_id)["procedures"]
    assert ncci.check(lines, on=service_date(case_id)) == []
    assert [f for f in modifiers.check(lines) if f["severity"] == "error"] == []
    for line in lines:
        limit = ncci.mue(line["code"])  # 0 marks a code Medicare never pays, not a unit cap
        assert not limit or line["units"] <= limit, line


def test_ncci_check_would_catch_a_bad_key():
    """The NCCI test above can fail: a known edited pair without a modifier is reported."""
    pair = ncci.ptp_edits()[0]
    lines = [{"code": pair["column_1"], "modifiers": [], "units": 1},
             {"code": pair["column_2"], "modifiers": [], "units": 1}]
    assert ncci.check(lines)


@pytest.mark.parametrize("case_id", CASES)
def test_chart_does_not_give_the_codes_away(case_id):
    key = casekeys.key(case_id)
    text = repr(ehr.chart(case_id))
    codes = key["icd10cm"] + [line["code"] for line in key["procedures"]]
    assert [c for c in codes if re.search(rf"\b{re.escape(c)}\b", text)] == []


def test_external_cause_codes_follow_each_injury():
    injuries = [c for c in CASES if casekeys.key(c)["icd10cm"][0][0] == "S"]
    assert len(injuries) >= 4
    for case_id in injuries:
        codes = casekeys.key(case_id)["icd10cm"]
        assert codes[1][0] in "VWXY" and codes[-1] == "Y99.8", case_id


def test_the_encounter_mix_the_syllabus_asks_for():
    settings = " | ".join(row["setting"].lower() for row in ehr.catalogue())
    for kind in ("new patient", "established patient", "emergency", "ambulatory surgical",
                 "hospital outpatient surgery", "radiology", "laboratory", "preventive",
                 "physical therapy", "telehealth", "inpatient"):
        assert kind in settings, kind
    assert len({row["specialty"] for row in ehr.catalogue()}) >= 12
    vaccine_admin = {"90460", "90471", "G0008"}
    assert any(line["code"] in vaccine_admin
               for c in CASES for line in casekeys.key(c)["procedures"])


def test_case_lookup_by_short_id_and_unknown_case():
    assert ehr.chart("c07").data == ehr.chart("c07-adult-preventive-tdap").data
    with pytest.raises(KeyError):
        ehr.bundle("c99")


def test_viewer_shows_every_part_of_the_chart():
    page = ehr.chart("c03")._repr_html_()
    for title in ("Demographics and insurance", "Encounter", "Problem list", "Clinical notes",
                  "Orders", "Vitals and results", "Medications", "Allergies"):
        assert title in page
    assert "Eleanor Demoson" in page and "3EX7TE2MK41" in page and "Riley Sample, MD" in page
    assert "Allergies: Penicillin" in page and "(age 75)" in page
    assert "SpO2 91% on room air" in page


def test_viewer_escapes_text_from_the_record():
    page = ehr.chart("c21")._repr_html_()
    assert "ref &lt;22" in page and "ref <22" not in page


def test_search_finds_and_highlights_every_mention():
    found = ehr.chart("c03").search("penicillin")
    assert "[allergies] Penicillin" in repr(found)
    assert "[notes]" in repr(found)
    assert "<mark>penicillin</mark>" in found._repr_html_()
    assert "0 line(s)" in repr(ehr.chart("c03").search("warfarin"))


def test_one_section_at_a_time():
    notes = ehr.chart("c16").section("notes")._repr_html_()
    assert "Critical view of safety" in notes and "Vitals and results" not in notes
    with pytest.raises(KeyError):
        ehr.chart("c16").section("billing")


def test_multi_day_stay_shows_discharge_date_and_disposition():
    rows = dict(ehr.chart("c35").encounter())
    assert rows["Discharge date"] == "2026-09-16"
    assert rows["Discharge disposition"] == "Home with home health services"


def test_claim_lines_are_read_the_way_billers_type_them():
    assert ehr.parse_line("97110 gp x2") == {"code": "97110", "modifiers": ["GP"], "units": 2}
    assert ehr.line_text(ehr.parse_line("99213-95-25")) == "99213-25-95, 1 unit"
    assert ehr.line_texts(["J3301X4", "not a line"]) == ["J3301, 4 units", "not a line"]
    with pytest.raises(ValueError):
        ehr.parse_line("2061")


def test_claim_built_from_the_chart_and_the_codes_is_clean():
    from medcode.claims import scrub

    key = casekeys.key("c02")
    claim = ehr.claim("c02", key["icd10cm"], [ehr.line_text(ln) for ln in key["procedures"]])
    assert claim.insured.id == "2EX4TE6MK10" and claim.lines[0].place_of_service == "11"
    assert claim.total_charge == pytest.approx(230.0)
    assert scrub.errors(scrub.scrub(claim, today=date(2026, 10, 1))) == []
    typo = ehr.claim("c02", key["icd10cm"], ["99214"], rendering_npi="1757491128")
    assert [f.item for f in scrub.errors(scrub.scrub(typo, today=date(2026, 10, 1)))] == ["24J / 31"]


def test_example_payers_enforce_the_charted_coverage_end():
    import datetime as dt

    from medcode import payers

    key = casekeys.key("c29")
    claim = ehr.claim("c29", key["icd10cm"], [ehr.line_text(ln) for ln in key["procedures"]])
    answer = payers.adjudicate(ehr.example_payers()["payer-hmo"], claim, dt.date(2026, 10, 5))
    assert answer.paid == 0 and {a.carc for ln in answer.lines for a in ln.adjustments} == {"27"}


def test_capstone_keys_are_the_library_keys():
    """The capstone's hidden keys repeat each case's answer key; they must never drift apart."""
    from autograde import course, keys

    notebook = course.SOURCE / "m7_ehr" / "04_capstone.ipynb"
    found = {call.cell: call.codes for call in keys.calls("expect_codes", notebooks=[notebook])}
    cases = {cell.split("_")[0] for cell in found}
    assert len(cases) == 10
    for case in cases:
        key = casekeys.key(case)
        assert found[f"{case}_dx_test"] == key["icd10cm"]
        assert found[f"{case}_lines_test"] == [ehr.line_text(ln) for ln in key["procedures"]]


def test_symptom_keys_are_written_in_the_provider_note():
    """A symptom code needs the provider's words: c22's key R11.2 needs nausea in the note, not
    only in the diagnosis list (review of 2026-11-22: the note once said vomiting only)."""
    key = casekeys.key("c22")["icd10cm"]
    assert "R11.2" in key
    note_lines = [line for line in repr(ehr.chart("c22").search("nausea")).splitlines()
                  if line.startswith("[notes]")]
    assert any("IMPRESSION" in line for line in note_lines) and len(note_lines) >= 2
