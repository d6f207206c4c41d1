"""Revenue-cycle metrics, checked by hand on a tiny history, and appeal deadlines."""
import datetime as dt

import pandas as pd
import pytest

from medcode.claims import appeals, history, metrics


def _tiny():
    rows = [
        # claim, line, status, clean, charge, allowed, paid, patient_paid, dos, carc
        ("A", 1, "paid", True, 100.0, 60.0, 50.0, 10.0, "2026-10-01", "CO", "45"),
        ("A", 2, "denied", True, 40.0, 0.0, 0.0, 0.0, "2026-10-01", "CO", "97"),
        ("B", 1, "paid", False, 200.0, 100.0, 80.0, 10.0, "2026-09-01", "CO", "45"),
        ("C", 1, "pending", True, 50.0, 0.0, 0.0, 0.0, "2026-06-01", "", ""),
        ("D", 1, "denied", False, 30.0, 0.0, 0.0, 0.0, "2026-08-20", "CO", "16"),
    ]
    frame = pd.DataFrame(rows, columns=["claim_id", "line", "status", "clean_claim", "charge",
                                        "allowed", "paid", "patient_paid", "date_of_service",
                                        "carc_group", "carc_code"])
    frame["date_of_service"] = pd.to_datetime(frame.date_of_service)
    return frame


def test_rates_by_hand():
    tiny = _tiny()
    assert metrics.clean_claim_rate(tiny) == 50.0          # A and C of 4
    assert metrics.denial_rate(tiny) == pytest.approx(66.7)  # A and D of A, B, D answered
    # payments 50+10+80+10 = 150; charges 300 - contractual (40+100) = 160
    assert metrics.net_collection_rate(tiny) == pytest.approx(93.8)


def test_aging_and_days_in_ar_by_hand():
    tiny = _tiny()
    table = metrics.aging(tiny, "2026-10-31")
    assert table.loc["0-30", "amount"] == 40       # A line 2, 30 days
    assert table.loc["61-90", "amount"] == 30      # D, 72 days
    assert table.loc["over 120", "amount"] == 50   # C, 152 days
    # 120 outstanding / (charges in last 90 days: 100+40+200+30 = 370 / 90)
    assert metrics.days_in_ar(tiny, "2026-10-31") == pytest.approx(29.2)


def test_denials_by_reason_share_sums_to_100():
    table = metrics.denials_by_reason(history.claim_history())
    assert table.percent.sum() == pytest.approx(100, abs=0.5)
    assert table.claims.is_monotonic_decreasing


def test_summary_on_the_practice_history():
    numbers = metrics.summary(history.claim_history(), history.AS_OF)
    assert numbers["claims"] >= 1000
    assert 0 < numbers["denial rate (%)"] < 100


@pytest.mark.parametrize("level, days", [(1, 125), (2, 185), (3, 65), (4, 65), (5, 65)])
def test_appeal_deadlines_count_from_presumed_receipt(level, days):
    notice = dt.date(2026, 3, 2)
    assert appeals.deadline(level, notice) == notice + dt.timedelta(days=days)


def test_appeal_levels_are_five_and_bad_level_is_plain():
    assert len(appeals.table()) == 5
    assert appeals.next_level(5) is None
    with pytest.raises(ValueError, match="levels 1 to 5"):
        appeals.deadline(6, dt.date(2026, 1, 1))


@pytest.mark.parametrize("days, label", [(0, "0-30"), (30, "0-30"), (31, "31-60"),
                                         (90, "61-90"), (120, "91-120"), (121, "over 120")])
def test_bucket_edges(days, label):
    assert metrics.bucket(days) == label
