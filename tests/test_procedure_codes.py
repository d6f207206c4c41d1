"""HCPCS Level II, CPT and modifier tables and their rules (medcode.hcpcs, .cpt, .modifiers)."""
import csv
from pathlib import Path

import pytest

from medcode import checks, cpt, hcpcs, modifiers

DATA = Path(__file__).resolve().parents[1] / "medcode" / "data"


def test_hcpcs_table_spans_sections_and_has_cms_descriptors():
    codes = hcpcs.codes()
    assert len(codes) >= 300
    assert {c[0] for c in codes} >= set("ABCEGJKLQ")
    assert hcpcs.describe("j1885") == "Injection, ketorolac tromethamine, per 15 mg"
    assert hcpcs.section("E0114").startswith("Durable medical equipment")


@pytest.mark.parametrize("text", ["J1885", " j1885 ", "J 1885"])
def test_hcpcs_valid_accepts_spellings_of_a_real_code(text):
    assert hcpcs.is_valid(text)


@pytest.mark.parametrize("text", ["J9999X", "99213", "J1030", "Z1234", "", None, 1885])
def test_hcpcs_valid_rejects_everything_else(text):
    assert not hcpcs.is_valid(text)


def test_hcpcs_search_finds_by_every_word():
    hits = dict(hcpcs.search("ketorolac"))
    assert list(hits)[0] == "J1885"
    assert all("ketorolac" in d.lower() for d in hits.values())
    assert all("crutch" in d.lower() and "wood" in d.lower() for d in dict(hcpcs.search("crutch wood")).values())


@pytest.mark.parametrize("code,dose,unit,expected", [
    ("J1885", 30, "mg", 2), ("J1885", 60, "mg", 4), ("J1885", 10, "mg", 1),
    ("J0696", 1, "g", 4), ("J1100", 10, "mg", 10), ("J3420", 1000, "mcg", 1),
    ("J1010", 80, "mg", 80), ("J2919", 125, "mg", 25), ("J2405", 4, "mg", 4),
])
def test_drug_units_round_up_to_whole_units(code, dose, unit, expected):
    assert hcpcs.units(code, dose, unit) == expected


def test_hcpcs_feedback_explains_without_naming_the_key():
    cases = [("99213", "J1885"), ("E0114", "J1885"), ("J1100", "J1885"), ("J9998", "J1885")]
    for answer, key in cases:
        reason = hcpcs.answer_feedback(answer, key)
        assert reason and key not in reason
    assert "CPT" in hcpcs.answer_feedback("99213", "J1885")
    assert "section E" in hcpcs.answer_feedback("E0114", "J1885")
    assert "dexamethasone" in hcpcs.answer_feedback("J1100", "J1885")


def test_checks_route_hcpcs_feedback_to_the_code_set():
    with pytest.raises(checks.AnswerProblem, match="different section"):
        checks.expect_code("E0114", "J1885", system="hcpcs")
    checks.expect_code("j1885", "J1885", system="hcpcs")


def test_cpt_table_covers_all_six_sections_and_categories():
    sections = {cpt.section(c) for c in cpt.codes()}
    assert {"Anesthesia", "Surgery", "Radiology", "Pathology and Laboratory", "Medicine",
            "Evaluation and Management", "Category II", "Category III"} <= sections
    assert len([c for c in cpt.codes() if cpt.category(c) == "I"]) >= 250


@pytest.mark.parametrize("code,ok", [("99213", True), ("0001F", True), ("0075T", True),
                                     ("0001U", True), ("9921", False), ("J1885", False),
                                     ("99213-25", False), ("", False)])
def test_cpt_format(code, ok):
    assert cpt.is_valid_format(code) is ok


def test_cpt_global_periods_and_add_ons_come_from_cms():
    assert cpt.global_days("10060") == "010"
    assert cpt.global_days("12001") == "000"
    assert cpt.global_days("11960") == "090"
    assert cpt.is_add_on("96375") and not cpt.is_add_on("96374")


def test_cpt_table_never_reprints_ama_short_descriptors():
    # Short descriptors printed in the CMS file are AMA text; summaries are our own words.
    ama_short = {"99213": "Office o/p est low 20 min", "10060": "I&d abscess simple/single",
                 "71046": "X-ray exam chest 2 views", "96372": "Ther/proph/diag inj sc/im",
                 "12001": "Rpr s/n/ax/gen/trnk 2.5cm/<"}
    for code, text in ama_short.items():
        assert cpt.summary(code).lower() != text.lower()
    rows = list(csv.DictReader((DATA / "cpt" / "cpt.csv").open()))
    assert all(r["summary"] and r["subsection"] for r in rows)


def test_cpt_feedback_names_the_rule():
    assert "three years" in cpt.answer_feedback("99203", "99213")
    assert "section" in cpt.answer_feedback("12001", "99213")
    assert "Category" in cpt.answer_feedback("1000F", "99213")
    assert "99213" not in cpt.answer_feedback("99214", "99213")


def test_modifier_lookup():
    assert modifiers.level("25") == "CPT" and modifiers.level("-lt") == "HCPCS"
    assert modifiers.describe("XS").startswith("Separate structure")
    assert not modifiers.is_valid("ZZ")


@pytest.mark.parametrize("lines,modifier", [
    ("71046-26-TC", "26"), ("73610-50-RT", "50"), ("73610-LT-RT", "LT"),
    ("12001-25", "25"), ("99213-59", "59"), ("99213-26", "26"),
])
def test_modifier_conflicts_are_errors(lines, modifier):
    found = modifiers.check(lines)
    assert any(f["modifier"] == modifier and f["severity"] == "error" for f in found)


def test_clean_lines_have_no_findings():
    assert modifiers.check(["99213-25", "12001"]) == []
    assert modifiers.check({"code": "71046", "modifiers": ["26"]}) == []


def test_59_warns_that_an_x_modifier_fits_and_25_needs_a_procedure():
    assert modifiers.check("12001-59")[0]["severity"] == "warning"
    alone = modifiers.check(["99213-25"])
    assert alone and alone[0]["severity"] == "warning"


def test_modifier_feedback_routes_through_checks():
    with pytest.raises(checks.AnswerProblem, match="digit"):
        checks.expect_code("F2", "F1", system="modifier")
    with pytest.raises(checks.AnswerProblem, match="last resort"):
        checks.expect_code("59", "XS", system="modifier")
