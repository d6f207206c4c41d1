"""NCCI edits (medcode.ncci) and fee-schedule payment (medcode.mpfs)."""
from datetime import date

import pytest

from medcode import mpfs, ncci


def test_indicator_0_pair_cannot_be_bypassed():
    found = ncci.check(["29325", "L1951-XS"])
    assert len(found) == 1
    edit = found[0]
    assert (edit["column_1"], edit["column_2"], edit["modifier_allowed"], edit["bypassed"]) == \
        ("29325", "L1951", False, False)


def test_indicator_1_pair_reports_bypass_when_modifier_present():
    plain = ncci.check(["29305", "L1951"])[0]
    assert plain["modifier_allowed"] and not plain["bypassed"]
    with_mod = ncci.check(["29305", "L1951-XS"])[0]
    assert with_mod["bypassed"]


def test_deleted_edits_only_apply_inside_their_dates():
    assert ncci.check(["29000", "29020"]) == []
    assert ncci.check(["29000", "29020"], on=date(2014, 6, 1))
    assert ncci.edit_for("29010", "29000")["column_1"] == "29000"


def test_mue_counts_units_across_lines():
    assert ncci.mue("E0116") == 2 and ncci.mue("00100") is None
    found = ncci.check([{"code": "E0116", "units": 2}, {"code": "E0116", "units": 1}])
    assert found == [{"kind": "mue", "code": "E0116", "units": 3, "mue": 2, "over_by": 1,
                      "source": "Medicaid 2022Q4",
                      "message": "3 units of E0116 exceed its MUE of 2 per date of service "
                                 "(Medicaid 2022Q4 DME Services table)."}]
    assert ncci.check([{"code": "G0121", "units": 1}]) == []


def test_payment_formula_by_hand():
    p = mpfs.payment("99213", "AL-00")
    by_hand = (1.30 * 1.000 + 1.46 * 0.875 + 0.09 * 0.566) * 33.4009
    assert p.amount == round(by_hand, 2) == 87.79
    assert "1.30 x 1.000" in p.formula and "$87.79" in p.formula


def test_facility_uses_facility_pe_and_pays_less_for_office_based_codes():
    office, hospital = mpfs.payment("99213", "Alabama"), mpfs.payment("99213", "Alabama", facility=True)
    assert hospital.amount < office.amount
    assert "0.33 x" in hospital.formula


def test_gpci_changes_payment_and_components_add_up():
    assert mpfs.payment("99214", "CA-05").amount > mpfs.payment("99214", "AL-00").amount
    whole = mpfs.payment("71046", "AZ-00").amount
    parts = mpfs.payment("71046", "AZ-00", modifier="26").amount + \
        mpfs.payment("71046", "AZ-00", modifier="TC").amount
    assert abs(whole - parts) <= 0.02


def test_non_payable_status_is_explained_and_unknowns_fail_clearly():
    assert "not covered" in mpfs.payment("99396", "AL-00").note
    with pytest.raises(KeyError, match="localities"):
        mpfs.gpci("Atlantis")
    with pytest.raises(KeyError):
        mpfs.rvus("J1885")


def test_medicare_2026_rows_read_from_the_cms_practitioner_tables():
    """Rows of the Medicare practitioner extract (quarter beginning 2026-10-01) behave as CMS says."""
    assert ncci.mue("99213") == 2 and ncci.mue("17003") == 13
    edit = ncci.edit_for("45378", "45385") or ncci.edit_for("12002", "12001")
    assert (edit["column_1"], edit["column_2"], edit["modifier_indicator"]) == ("12002", "12001", "0")
    assert edit["source"].startswith("Medicare 2026Q4")
    found = ncci.check(["12002", "12001-XS"], on=date(2026, 11, 2))
    assert found[0]["message"] == ("12001 is bundled into 12002; no modifier can bypass this edit, "
                                   "so only 12002 is payable.")
    # The E/M edit of 20610 takes 25 (NCCI-associated) on the column 2 E/M line as its bypass.
    assert ncci.check(["20610", "99213-25"], on=date(2026, 11, 2))[0]["bypassed"]
    # A pair deleted before the date of service is not an edit on that date.
    assert ncci.check(["97140", "97530"], on=date(2026, 11, 2)) == []
