"""Compliance analytics: peer outliers on the synthetic practice, the planted errors of the
sample batch, and the CMS benchmark reader on a file of CMS's shape."""
import pandas as pd
import pytest

from medcode import audit
from medcode.claims import history


@pytest.fixture(scope="module")
def frame():
    return history.claim_history()


@pytest.fixture(scope="module")
def batch():
    return audit.sample_batch()


def test_em_distribution_rows_are_shares(frame):
    dist = audit.em_distribution(frame)
    levels = [c for c in dist.columns if c != "visits"]
    assert ((dist[levels].sum(axis=1) - 1).abs() < 1e-9).all()
    em = frame[frame.em_patient == "established"]
    assert dist["visits"].sum() == len(em)


def test_high_level_biller_is_the_only_em_outlier(frame):
    table = audit.em_outliers(frame)
    assert list(table.index[table.flagged]) == ["Example, Quinn MD"]
    quinn = frame[(frame.provider_name == "Example, Quinn MD") & (frame.em_patient == "established")]
    assert table.loc["Example, Quinn MD", "rate"] == pytest.approx(quinn.em_level.isin([4, 5]).mean())
    others = frame[(frame.provider_name != "Example, Quinn MD") & (frame.em_patient == "established")]
    assert table.loc["Example, Quinn MD", "peer_rate"] == pytest.approx(others.em_level.isin([4, 5]).mean())


def test_modifier_25_outlier_and_no_59(frame):
    table = audit.modifier_outliers(frame, "25")
    assert list(table.index[table.flagged]) == ["Example, Riley DO"]
    assert not audit.modifier_outliers(frame, "59").flagged.any()


def test_practice_history_has_no_duplicates_or_unbundling(frame):
    assert audit.duplicates(frame).empty
    assert audit.unbundled(frame).empty


def test_sample_batch_duplicates(batch):
    dup = audit.duplicates(batch)
    assert list(zip(dup.claim_id, dup.line)) == [("C2026-90003", 1), ("C2026-90009", 2)]


def test_sample_batch_unbundling(batch):
    found = audit.unbundled(batch)
    assert list(zip(found.claim_id, found.procedure)) == [
        ("C2026-90001", "82947"), ("C2026-90004", "99213"), ("C2026-90005", "84478"),
        ("C2026-90006", "99213"), ("C2026-90010", "85027")]
    assert "modifier 25" in found.set_index("claim_id").loc["C2026-90004", "reason"]
    assert "C2026-90008" not in set(found.claim_id)        # E/M carries modifier 25: correct


def test_benchmark_from_a_file_shaped_like_cms():
    # A made-up file in the CMS column layout (not CMS figures): two places of service.
    cms = pd.DataFrame({
        "Rndrng_Prvdr_Geo_Lvl": ["National"] * 6 + ["State"],
        "HCPCS_Cd": ["99212", "99213", "99213", "99214", "99215", "99203", "99213"],
        "Place_Of_Srvc": ["O", "O", "F", "O", "O", "O", "O"],
        "Tot_Srvcs": ["10", "30", "10", "40", "10", "99", "500"],   # the API sends text
    })
    bench = audit.benchmark_from_cms(cms)
    assert bench.to_dict() == {2: 0.1, 3: 0.4, 4: 0.4, 5: 0.1}
    dist = pd.DataFrame({2: [0.0], 3: [0.2], 4: [0.4], 5: [0.4]}, index=["Example"])
    assert audit.against_benchmark(dist, bench).loc["Example"].round(6).to_dict() == {
        2: -10.0, 3: -20.0, 4: 0.0, 5: 30.0}
