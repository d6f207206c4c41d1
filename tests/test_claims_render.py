"""The filled CMS-1500 picture shows each item's value in its box."""
import json

from medcode import claims
from medcode.claims import model, render


def test_form_shows_items_and_values():
    claim = claims.sample("07")
    html = render.to_html(claim)
    for text in ("1a. insured&#x27;s ID number", "HMO900000707", "S52.521A", "25600", "RT",
                 "PA9000707", f"${claim.total_charge:,.2f}", claim.billing_provider.npi):
        assert text in html
    assert html.count("<tr>") >= 6 + 1  # six service-line rows plus the header


def test_values_are_escaped():
    data = json.loads(claims.sample("01").to_json())
    data["patient"]["name"]["last"] = "<script>Testpatient"
    html = render.to_html(model.from_dict(data))
    assert "<script>" not in html.lower()
    assert "&lt;SCRIPT&gt;TESTPATIENT" in html
