"""Module 5's answer keys agree with the engines they teach, and the book's schema page is current.

Hidden tests hold literal keys (students' grades need them fixed); each is recomputed here from
``medcode.claims``, ``medcode.payers`` and the notebooks' own scenario cells, so a key and the
engine cannot drift apart.
"""
import datetime as dt
from pathlib import Path

import pytest

from autograde import keys
from medcode import claims, icd10cm, payers
from medcode.claims import appeals, codes, history, metrics, npi, remit, schema_markdown, x835

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "notebooks" / "m5_claims"


EXPECTS = ("expect_number", "expect_text", "expect_choice", "expect_yes_no", "expect_code",
           "expect_codes", "expect_form")


def _key(name, item):
    """The literal key of ``item``'s hidden test, read by the course's key scanner."""
    found = [call for call in keys.notebook_calls(FOLDER / name, EXPECTS)
             if call.cell == f"{item}_test"]
    assert len(found) == 1, f"{item}: expected one hidden expectation"
    arguments = found[0].arguments
    return arguments["keys"] if "keys" in arguments else arguments["key"]


NB1, NB2, NB3 = (f"0{n}_{t}.ipynb" for n, t in ((1, "payers_and_the_cms1500"),
                                                (2, "scrubbing_and_the_837p"),
                                                (3, "remittance_denials_appeals")))


def test_nb1_claim_keys_make_a_clean_claim():
    dx = _key(NB1, "claim_dx")
    assert all(icd10cm.is_billable(code) for code in dx)
    line = _key(NB1, "line_1")
    assert codes.place_of_service(line["24B"]) == "Office"
    assert _key(NB1, "total_charge") == line["24F"] + 60.00
    assert set(line["24E"]) <= set("AB"[:len(dx)])


def test_nb2_npi_keys():
    assert _key(NB2, "npi_check_digit") == npi.check_digit("165432987")
    assert _key(NB2, "npi_valid") is npi.is_valid("1902876541")


def test_nb2_fixes_make_the_rushed_claim_clean():
    data = claims.sample("06").to_dict()
    data["diagnoses"] = [_key(NB2, "fixed_dx")]
    data["service_lines"][0]["place_of_service"] = _key(NB2, "fixed_pos")
    data["service_lines"][1]["pointers"] = _key(NB2, "fixed_pointer")
    found = claims.scrub.scrub(claims.from_dict(data), dt.date(2026, 11, 1))
    assert claims.scrub.errors(found) == []
    assert icd10cm.describe(_key(NB2, "fixed_dx")) == "Mild intermittent asthma, uncomplicated"


@pytest.fixture(scope="module")
def era():
    payer = payers.example_payer("PPO")
    sent = payers.remittance(payer, [claims.sample("01"), claims.sample("04")],
                             dt.date(2026, 11, 1), dt.date(2026, 11, 15), "EFT20261115")
    return remit.parse_835(x835.to_835(sent, payer.payer_id))


def test_nb3_remittance_keys(era):
    ex0004 = era.claims[1]
    assert _key(NB3, "ex0004_patient") == pytest.approx(ex0004.patient_responsibility)
    assert _key(NB3, "ex0004_writeoff") == pytest.approx(
        sum(line.total("CO") for line in ex0004.lines))
    assert _key(NB3, "ex0004_paid") == pytest.approx(ex0004.paid)
    ledger = remit.Ledger("Alice Testpatient")
    ledger.charge(claims.sample("01"))
    ledger.post(era, "EX-0001")
    assert _key(NB3, "ledger_balance") == pytest.approx(ledger.balance)


def test_nb3_appeal_keys():
    key = _key(NB3, "redetermination_by")
    assert key[0] == appeals.deadline(1, dt.date(2026, 3, 4)).isoformat()
    assert dt.date.fromisoformat(key[0]).weekday() < 5, "a weekend deadline has two defensible answers"
    assert _key(NB3, "alj_possible") is (150.00 >= appeals.LEVELS[2].amount_in_controversy_2026)
    assert _key(NB3, "after_reconsideration").startswith("ALJ")
    assert appeals.next_level(2).number == 3


def test_nb3_metric_keys():
    days = (history.AS_OF - dt.date(2026, 7, 20)).days
    assert _key(NB3, "aging_bucket") == metrics.bucket(days)
    lines = history.claim_history()
    assert _key(NB3, "over_120") == pytest.approx(
        metrics.aging(lines, history.AS_OF).loc["over 120", "amount"])


def test_book_schema_page_is_current():
    page = (ROOT / "book" / "claims-json.md").read_text()
    assert schema_markdown() in page
