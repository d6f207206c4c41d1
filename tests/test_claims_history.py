"""The synthetic practice history: reproducible, big enough, and internally consistent."""
import pandas as pd
import pytest

from medcode.claims import history, npi


@pytest.fixture(scope="module")
def frame():
    return history.claim_history()


def test_same_seed_same_history_other_seed_differs(frame):
    pd.testing.assert_frame_equal(frame, history.claim_history())
    assert not frame.equals(history.claim_history(seed=7))


def test_at_least_1000_claims_one_row_per_line(frame):
    assert frame["claim_id"].nunique() >= 1000
    assert not frame.duplicated(["claim_id", "line"]).any()


def test_money_adds_up(frame):
    paid = frame[frame.status == "paid"]
    assert (paid.allowed <= paid.charge + 0.005).all()
    assert ((paid.paid + paid.patient_responsibility - paid.allowed).abs() < 0.011).all()
    assert (paid.patient_paid <= paid.patient_responsibility + 0.005).all()
    unpaid = frame[frame.status != "paid"]
    assert (unpaid[["allowed", "paid", "patient_responsibility"]] == 0).all().all()


def test_dates_run_forward(frame):
    assert (frame.date_submitted >= frame.date_of_service).all()
    paid = frame[frame.status == "paid"]
    assert (paid.date_paid >= paid.date_submitted).all()
    assert frame[frame.status == "pending"].date_paid.isna().all()


def test_late_filing_denials_follow_from_the_dates(frame):
    late = frame[frame.carc_code == "29"]
    assert len(late) > 0
    limits = {p[0]: p[8] for p in history.PAYERS}
    assert ((late.date_submitted - late.date_of_service).dt.days
            > late.payer.map(limits)).all()


def test_em_levels_only_on_em_codes(frame):
    em = frame.procedure.str.match(r"^992(0[2-5]|1[1-5])$")
    assert frame.loc[em, "em_level"].notna().all()
    assert frame.loc[~em, "em_level"].isna().all()
    assert set(frame.loc[em, "em_level"]) <= {1, 2, 3, 4, 5}


def test_providers_are_examples_with_valid_npis(frame):
    assert frame.provider_name.str.startswith("Example").all()
    assert frame.provider_npi.map(npi.is_valid).all()


def test_every_diagnosis_is_billable(frame):
    from medcode.claims.scrub import is_billable_dx
    codes = {c for joined in frame.diagnosis_codes for c in joined.split(",")}
    assert all(is_billable_dx(c) for c in codes)


def test_one_provider_bills_high_em_levels_more_often(frame):
    levels = frame.dropna(subset=["em_level"]).groupby("provider_name").em_level.mean()
    assert levels.idxmax() == "Example, Quinn MD"
