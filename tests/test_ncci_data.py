"""The NCCI tables' provenance and coverage: every row names a documented CMS source, and every
procedure code the course's cases and sample claims bill has an MUE unless the reason is known."""
import csv
import re
from pathlib import Path

import pytest

from autograde import casekeys
from medcode import claims, ehr, ncci

DATA = Path(ncci.__file__).parent / "data" / "ncci"
CY2025 = "Medicare CY2025 (quarter not stated)"
# Course codes no copy of a CMS table gives an MUE to, and why (SOURCE.md, "Coverage").
NO_MUE = {
    "00100": "anesthesia codes are not in the practitioner MUE copy",
    "2028F": "Category II (quality) codes have no MUE",
    "2029F": "Category II (quality) codes have no MUE",
    "L1951": "orthoses are DME supplier items; the DME MUE table is not held",
}


def rows(name):
    with open(DATA / name, newline="") as f:
        return list(csv.DictReader(f))


def billed_codes() -> set[str]:
    """Every procedure code on an EHR case key or a sample claim."""
    codes = {line["code"] for case in ehr.case_ids() for line in casekeys.key(case)["procedures"]}
    return codes | {ln.procedure for name in claims.samples() for ln in claims.sample(name).lines}


@pytest.mark.parametrize("name", ["ptp.csv", "mue.csv"])
def test_every_row_names_a_source_that_source_md_documents(name):
    documented = set(re.findall(r"^## `([^`]+)`", (DATA / "SOURCE.md").read_text(), re.M))
    assert CY2025 in documented and "Medicare 2026Q4 v32.3" in documented
    assert {row["source"] for row in rows(name)} <= documented


def test_one_mue_row_per_code():
    codes = [row["code"] for row in rows("mue.csv")]
    assert len(codes) == len(set(codes))


def test_every_billed_course_code_has_an_mue_unless_the_reason_is_known():
    billed = billed_codes()
    assert len(billed) > 50
    missing = {code for code in billed if ncci.mue_row(code) is None}
    assert missing <= set(NO_MUE), missing - set(NO_MUE)
    assert all(ncci.mue_row(code) is None for code in NO_MUE)


def test_cy2025_rows_carry_the_cms_adjudication_indicator_and_rationale():
    cy2025 = [row for row in rows("mue.csv") if row["source"] == CY2025]
    assert len(cy2025) > 500
    assert {row["mai"] for row in cy2025} <= {"1", "2", "3"}
    assert all(row["rationale"] for row in cy2025)
    assert ncci.mue_row("J1885")["mue"] == "8" and ncci.mue_row("j1885")["mai"] == "3"


def test_an_mue_of_zero_is_a_coverage_mark_not_a_unit_cap():
    """Medicare pays no preventive visit, so its MUE is 0; a Medicaid well visit is not over it."""
    assert ncci.mue("99385") == 0 and ncci.mue_row("99385")["rationale"] == "CMS Policy"
    assert ncci.check([{"code": "99385", "units": 1}]) == []


def test_a_finding_names_the_table_and_quarter_of_its_mue():
    found = ncci.check([{"code": "99406", "units": 2}])
    assert found[0]["over_by"] == 1 and found[0]["source"] == CY2025
    assert found[0]["message"].endswith(f"({CY2025} Practitioner Services table).")
