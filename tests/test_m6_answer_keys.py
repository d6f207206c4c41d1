"""Module 6's answer keys agree with the course's engines.

The hidden tests hold literal keys, as grades need; this test recomputes each one that an engine
can compute (``medcode.audit`` on the practice history and the sample batch, ``medcode.deid``'s
ZIP rule, the breach clock) so a key and the engine cannot drift apart.
"""
import ast
import datetime as dt
from pathlib import Path

import nbformat
import pytest

from medcode import audit, deid
from medcode.claims import history

FOLDER = Path(__file__).resolve().parent.parent / "notebooks" / "m6_compliance"


def _key(name, item):
    """The literal key of the first checks.expect_* call in ``item``'s hidden test."""
    cells = {c.metadata["nbgrader"]["grade_id"]: c.source
             for c in nbformat.read(FOLDER / name, as_version=4).cells
             if "grade_id" in c.metadata.get("nbgrader", {})}
    hidden = cells[f"{item}_test"].split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
    call = ast.parse(hidden.strip()).body[0].value
    assert call.args[0].id == item, f"{item}'s hidden test checks another variable"
    return ast.literal_eval(call.args[1])


@pytest.fixture(scope="module")
def claims():
    return history.claim_history()


def test_audit_keys_match_the_engine(claims):
    em = audit.em_outliers(claims)
    flagged = list(em.index[em.flagged])
    assert flagged == [_key("03_compliance_audit.ipynb", "em_outlier")]
    assert _key("03_compliance_audit.ipynb", "outlier_share") == round(em.loc[flagged[0], "rate"] * 100, 1)
    mod = audit.modifier_outliers(claims, "25")
    assert list(mod.index[mod.flagged]) == [_key("03_compliance_audit.ipynb", "mod25_outlier")]


def test_batch_keys_match_the_engine():
    batch = audit.sample_batch()
    found = audit.unbundled(batch)
    assert _key("03_compliance_audit.ipynb", "duplicate_claims") == sorted(set(audit.duplicates(batch).claim_id))
    assert _key("03_compliance_audit.ipynb", "panel_components") == sorted(
        found[found.reason.str.contains("panel")].procedure)
    assert _key("03_compliance_audit.ipynb", "missing_25_claims") == sorted(
        found[found.reason.str.contains("modifier 25")].claim_id)


def test_deidentification_and_breach_keys():
    assert _key("01_hipaa_privacy_security.ipynb", "zip_kept") == deid.zip3("43004")
    assert _key("01_hipaa_privacy_security.ipynb", "zip_kept_small") == deid.zip3("05901")
    deadline = dt.date(2026, 3, 2) + dt.timedelta(days=60)      # 45 CFR 164.404(b)
    assert deadline.strftime("%m/%d/%Y") in _key("01_hipaa_privacy_security.ipynb", "breach_deadline")


def _penalty_row(tier):
    """The cells of ``tier``'s row in notebook 1's penalty table (45 CFR 102.3), dollars as ints."""
    cells = nbformat.read(FOLDER / "01_hipaa_privacy_security.ipynb", as_version=4).cells
    table = next(c.source for c in cells if c.source.startswith("## 5. Penalties"))
    row = next(line for line in table.splitlines() if line.startswith(f"| {tier} |"))
    return [int(v.replace("\\$", "").replace(",", "")) for v in row.strip("|").split("|")[2:]]


def test_penalty_keys_match_the_table_the_student_reads():
    tier = _key("01_hipaa_privacy_security.ipynb", "penalty_tier")
    minimum, maximum, cap = _penalty_row(tier)
    assert _key("01_hipaa_privacy_security.ipynb", "tier_minimum") == minimum
    # 45 CFR 160.404(b)(2): the minimums rise with culpability, and tier 4's minimum is the others' maximum.
    rows = [_penalty_row(t) for t in (1, 2, 3, 4)]
    minimums = [row[0] for row in rows]
    assert minimums == sorted(minimums) and all(row[1] == minimums[3] for row in rows[:3])
    assert maximum <= cap == rows[3][1]
