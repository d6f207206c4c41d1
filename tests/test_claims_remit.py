"""835 parsing and ledger posting."""
import datetime as dt

import pytest

from medcode import claims, payers
from medcode.claims import remit, x835


@pytest.fixture
def era():
    payer = payers.example_payer("PPO")
    sent = payers.remittance(payer, [claims.sample("01"), claims.sample("04")],
                             dt.date(2026, 11, 1), dt.date(2026, 11, 15), "EFT777")
    return x835.to_835(sent, payer.payer_id)


def test_parse_reads_payment_header(era):
    back = remit.parse_835(era)
    assert back.check_number == "EFT777"
    assert back.payment_date == dt.date(2026, 11, 15)
    assert back.payee_npi == "1234567893"
    assert back.claims[0].patient_name == "Alice Testpatient"


def test_ledger_leaves_only_the_patient_share(era):
    back = remit.parse_835(era)
    ledger = remit.Ledger("Alice Testpatient")
    ledger.charge(claims.sample("01"))
    assert ledger.balance == claims.sample("01").total_charge
    ledger.post(back, "EX-0001")
    owed = back.claims[0].patient_responsibility
    assert ledger.balance == pytest.approx(owed)
    ledger.patient_payment(dt.date(2026, 11, 20), owed, "EX-0001")
    assert ledger.balance == 0
    assert ledger.table().balance.iloc[-1] == 0


@pytest.mark.parametrize("text", ["", "hello", "ISA" + "*" * 120])
def test_not_an_835_is_a_plain_error(text):
    with pytest.raises(remit.RemitError):
        remit.parse_835(text)


def test_summary_uses_own_words_meanings(era):
    text = remit.parse_835(era).summary()
    assert "CO-45" in text and "copayment" in text


def test_cli_reads_an_835_and_rejects_a_non_835(era, tmp_path):
    import subprocess
    import sys
    good, bad = tmp_path / "era.835", tmp_path / "claim.json"
    good.write_text(era)
    bad.write_text('{"claim_id": "X"}')
    run = [sys.executable, "-m", "medcode.claims", "read-835"]
    ok = subprocess.run(run + [str(good)], capture_output=True, text=True)
    assert ok.returncode == 0 and "EFT777" in ok.stdout
    wrong = subprocess.run(run + [str(bad)], capture_output=True, text=True)
    assert wrong.returncode == 1 and "ISA" in wrong.stderr and "Traceback" not in wrong.stderr
