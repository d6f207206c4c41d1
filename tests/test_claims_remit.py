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


# A hand-written 835 in the shape payers send: other separators, all on one line, a denied
# claim, claim-level and multi-reason CAS segments, and segments the course does not use.
FOREIGN_835 = (
    "ISA|00|          |00|          |ZZ|EXMAC          |ZZ|EXAMPLECLINIC  |261120|0800|^|00501|"
    "000000042|0|T|>~GS|HP|EXMAC|EXAMPLECLINIC|20261120|0800|42|X|005010X221A1~ST|835|0042~"
    "BPR|I|81.6|C|ACH|CCP|01|999999992|DA|123456|1999999999||01|999999992|DA|654321|20261120~"
    "TRN|1|EFT4242|1999999999~DTM|405|20261119~N1|PR|EXAMPLE MEDICARE CONTRACTOR~"
    "N3|1 EXAMPLE WAY~N4|SPRINGFIELD|IL|62701~PER|BL|HELP|TE|5555550199~"
    "N1|PE|EXAMPLE FAMILY CLINIC|XX|1234567893~REF|TJ|991234567~LX|1~"
    "CLP|EX-0002|1|220|81.6|20.4|MB|EXMAC42|11|1~NM1|QC|1|TESTPATIENT|BERNARD||||MI|9EX9EX9EX99~"
    "MOA|||MA01~DTM|232|20261006~SVC|HC>G0439|175|81.6||1~DTM|472|20261006~"
    "CAS|CO|45|73|~CAS|PR|2|20.4~AMT|B6|102~SVC|HC>80061|45|0||1~DTM|472|20261006~"
    "CAS|CO|50|45~LQ|HE|N130~LX|2~CLP|EX-0009|4|245|0||MB|EXMAC43|11|1~"
    "NM1|QC|1|TESTPATIENT|MORGAN||||MI|9EX9EX9EX09~CAS|CO|16|245~"
    "PLB|1234567893|20261231|WO>EX|0~SE|26|0042~GE|1|42~IEA|1|000000042~")


def test_parse_a_payers_835_with_other_separators():
    back = remit.parse_835(FOREIGN_835)
    assert (back.check_number, back.payee_npi, back.total_paid) == ("EFT4242", "1234567893", 81.6)
    paid, denied = back.claims
    assert paid.patient_name == "Bernard Testpatient"
    assert [ln.procedure for ln in paid.lines] == ["G0439", "80061"]
    assert all(ln.balances() for ln in paid.lines)
    assert paid.lines[1].remarks == ["N130"]
    assert denied.denied and denied.adjustments[0].carc == "16"
    assert sum(c.paid for c in back.claims) == back.total_paid


def test_truncated_segment_is_a_plain_error():
    broken = FOREIGN_835.replace("CAS|PR|2|20.4~", "CAS|PR|2~")
    with pytest.raises(remit.RemitError, match="CAS"):
        remit.parse_835(broken)
    with pytest.raises(remit.RemitError, match="BPR"):
        remit.parse_835(FOREIGN_835.replace("|20261120~TRN", "~TRN"))
