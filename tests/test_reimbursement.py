"""Capitation versus fee-for-service for a panel, worked by hand."""
import pytest

from medcode import reimbursement


def test_capitation_is_members_times_pmpm_times_months():
    assert reimbursement.capitation_revenue(1200, 28.50) == 410400.00
    assert reimbursement.capitation_revenue(1200, 28.50, months=6) == 205200.00


def test_fee_for_service_adds_count_times_fee():
    assert reimbursement.fee_for_service_revenue([(3000, 95.25), (400, 150)]) == 345750.00


def test_comparison_names_the_method_that_pays_more():
    result = reimbursement.compare(1200, 28.50, [(3000, 95.25), (400, 150)])
    assert result.difference == 64650.00
    assert result.better_for_practice == "capitation"
    busy = reimbursement.compare(100, 10, [(200, 100)])
    assert busy.better_for_practice == "fee-for-service" and busy.difference == -8000


def test_break_even_visits():
    assert reimbursement.break_even_visits(1000, 25, 100) == 3000
    assert reimbursement.compare(1000, 25, [(3000, 100)]).better_for_practice == "equal"


def test_negative_panels_are_refused():
    with pytest.raises(ValueError):
        reimbursement.capitation_revenue(-5, 20)
