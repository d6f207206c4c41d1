"""837P output: every sample claim passes the independent validator pyx12 (x12valid)."""
import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from medcode import claims
from medcode.claims import ClaimError, model, to_837p

NOW = dt.datetime(2026, 11, 1, 9, 30)
X12VALID = shutil.which("x12valid") or str(Path(sys.executable).parent / "x12valid")


def _x12valid(text: str, tmp_path) -> str:
    path = tmp_path / "claim.837"
    path.write_text(text)
    result = subprocess.run([X12VALID, str(path)], capture_output=True, text=True)
    return result.stdout + result.stderr


@pytest.mark.parametrize("name", claims.samples())
def test_sample_837p_passes_x12valid(name, tmp_path):
    text = to_837p(claims.sample(name), now=NOW)
    assert text.count("~") == len(text.strip().splitlines())
    out = _x12valid(text, tmp_path)
    assert f"{tmp_path / 'claim.837'}: OK" in out, out


def test_validator_really_rejects_a_broken_837p(tmp_path):
    text = to_837p(claims.sample("01"), now=NOW)
    broken = "\n".join(seg for seg in text.splitlines() if not seg.startswith("HI*"))
    assert ": OK" not in _x12valid(broken, tmp_path)


def test_837p_carries_the_form_items():
    claim = claims.sample("04")
    text = to_837p(claim, now=NOW)
    assert "HI*ABK:M1711~" in text                       # item 21A
    assert "SV1*HC:99214:25*190*UN*1***1~" in text        # 24D with modifier, 24E pointer
    assert "SV1*HC:J3301*24*UN*4***1~" in text            # 24G units
    assert "NM1*85*2*EXAMPLE FAMILY CLINIC*****XX*1234567893~" in text  # 33a
    assert "PAT*01~" in text                              # item 6: spouse
    assert f"CLM*{claim.claim_id}*{claim.total_charge:g}*" in text       # item 28


def test_a_claim_with_scrubber_errors_gets_no_837p():
    data = json.loads(claims.sample("01").to_json())
    data["diagnoses"] = ["E11"]
    data["billing_provider"]["npi"] = "1234567890"
    with pytest.raises(ClaimError) as caught:
        to_837p(model.from_dict(data), now=NOW)
    message = str(caught.value)
    assert "item 21A" in message and "item 33a" in message


def test_cli_prints_the_interchange():
    path = claims.codes.DATA / "samples" / "01_office_visit_self.json"
    result = subprocess.run([sys.executable, "-m", "medcode.claims", "to-837p", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ISA*00*")
    assert "ST*837*0001*005010X222A1~" in result.stdout


def _leaves(data, prefix=()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _leaves(value, prefix + (index,))
    else:
        yield prefix


ODD_VALUES = ["", " ", "A" * 90, "Ünïcødé", "x*y~z:w^", 0, -5, 1e9, None, True, [], {},
              "2026-02-29", "9999-12-31", "ZZ", "\n\t", "12345", "E11.9"]


def test_odd_input_gives_a_named_item_or_a_valid_837p(tmp_path):
    """Never a crash, never 'Item ?', never an 837P that the validator rejects."""
    import random
    rng = random.Random(20261122)
    for _ in range(40):
        data = json.loads(claims.sample(rng.choice(claims.samples())).to_json())
        path = rng.choice(list(_leaves(data)))
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = rng.choice(ODD_VALUES)
        try:
            text = to_837p(model.from_dict(data), now=NOW)
        except ClaimError as err:
            assert err.item != "?" and str(err).split(":")[0].strip(), err
            continue
        out = _x12valid(text, tmp_path)
        assert ": OK" in out, (path, target[path[-1]], out[-500:])


def test_other_insurance_goes_in_loops_2320_and_2330():
    claim = claims.sample("13")
    text = to_837p(claim, now=NOW)
    assert "SBR*S*19*HMOGRP7******CI~" in text          # item 9a, the other plan is secondary
    assert "NM1*IL*1*TESTPATIENT*SASHA****MI*HMO900001314~" in text   # item 9
    assert "NM1*PR*2*EXAMPLE CARE HMO*****PI*EXHMO~" in text          # item 9d
    assert text.index("SBR*S") > text.index("HI*") and text.index("SBR*S") < text.index("LX*1")
