"""A filled CMS-1500 (02/12) drawn in HTML, so a student can see where each value goes.

The layout follows the paper form's blocks, top to bottom: carrier, patient and insured
(items 1-13), physician or supplier (items 14-23), the six service lines (item 24), and the
totals and provider block (items 25-33). Each box shows its item number, as on the form.
It is a teaching picture, not a print-ready OCR form.
"""
from __future__ import annotations

from html import escape

from .model import POINTER_LETTERS, Address, Claim

__all__ = ["to_html", "show"]

_STYLE = """
<style>
.cms1500{font-family:Arial,Helvetica,sans-serif;font-size:11px;color:#1a1a1a;max-width:960px;
 border:2px solid #c0392b;padding:6px;background:#fffdfb}
.cms1500 h3{color:#c0392b;margin:2px 0 6px;font-size:14px;letter-spacing:1px}
.cms1500 table{border-collapse:collapse;width:100%;margin-bottom:4px}
.cms1500 td,.cms1500 th{border:1px solid #c0392b;padding:2px 4px;vertical-align:top}
.cms1500 th{background:#fbe9e7;color:#c0392b;font-weight:normal;font-size:10px}
.cms1500 .n{color:#c0392b;font-size:9px;display:block}
.cms1500 .v{font-family:"Courier New",monospace;font-size:12px;text-transform:uppercase}
.cms1500 .r{text-align:right}
</style>
"""


def _box(item: str, label: str, value, colspan: int = 1) -> str:
    span = f' colspan="{colspan}"' if colspan > 1 else ""
    text = escape(str(value)) if value not in (None, "") else "&nbsp;"
    return (f'<td{span}><span class="n">{escape(item)}. {escape(label)}</span>'
            f'<span class="v">{text}</span></td>')


def _address(address: Address | None) -> str:
    if address is None:
        return ""
    phone = f" ({address.phone})" if address.phone else ""
    return f"{address.street}, {address.city} {address.state} {address.zip}{phone}"


def _check(flag: bool) -> str:
    return "[X] YES  [ ] NO" if flag else "[ ] YES  [X] NO"


def _people(claim: Claim) -> str:
    patient, insured = claim.patient, claim.insured
    other = claim.other_insurance
    rows = [
        [_box("1", "program", claim.payer.program), _box("1a", "insured's ID number", insured.id)],
        [_box("2", "patient's name", patient.display),
         _box("4", "insured's name", insured.display)],
        [_box("3", "patient's birth date, sex", f"{_date(patient.birth_date)}  {patient.sex}"),
         _box("6", "patient relationship to insured", claim.relationship)],
        [_box("5", "patient's address", _address(patient.address)),
         _box("7", "insured's address", _address(insured.address))],
        [_box("9 / 9a / 9d", "other insured / member ID / plan",
              f"{other.last}, {other.first} / {other.member_id} / {other.payer_name}".upper()
              if other else ""),
         _box("11", "insured's policy group", insured.group_number)],
        [_box("10a-c", "condition related to: employment / auto (state) / other accident",
              f"{'Y' if claim.condition.get('employment') else 'N'} / "
              f"{'Y ' + claim.condition.get('accident_state', '') if claim.condition.get('auto_accident') else 'N'}"
              f" / {'Y' if claim.condition.get('other_accident') else 'N'}"),
         _box("11a", "insured's birth date, sex", f"{_date(insured.birth_date)}  {insured.sex}")],
        [_box("11c", "insurance plan name", insured.plan_name),
         _box("11d", "another health benefit plan?", _check(bool(other)))],
        [_box("12", "patient's signature", "SIGNATURE ON FILE" if
              claim.patient_signature_on_file else ""),
         _box("13", "insured's signature (assignment)", "SIGNATURE ON FILE" if
              claim.insured_signature_on_file else "")],
    ]
    return "<table>" + "".join("<tr>" + "".join(r) + "</tr>" for r in rows) + "</table>"


def _date(day) -> str:
    return day.strftime("%m %d %Y") if day else ""


def _clinical(claim: Claim) -> str:
    referring = claim.referring_provider
    diagnoses = "   ".join(f"{letter}. {code}" for letter, code in
                           zip(POINTER_LETTERS, claim.diagnoses))
    rows = [
        [_box("14", "date of current illness", _date(claim.onset_date)),
         _box("17 / 17b", "referring provider / NPI",
              f"{referring.name} {referring.npi}" if referring else "")],
        [_box("21", "diagnosis (ICD Ind. 0 = ICD-10-CM)", f"ICD IND 0   {diagnoses}"),
         _box("23", "prior authorization number", claim.prior_authorization)],
    ]
    return "<table>" + "".join("<tr>" + "".join(r) + "</tr>" for r in rows) + "</table>"


def _lines(claim: Claim) -> str:
    head = ("<tr><th>24A dates of service</th><th>24B POS</th><th>24C EMG</th>"
            "<th>24D CPT/HCPCS</th><th>modifiers</th><th>24E dx pointer</th>"
            "<th>24F charges</th><th>24G units</th><th>24J rendering NPI</th></tr>")
    rows = []
    for line in claim.lines:
        dates = _date(line.from_date) + ("" if line.to_date == line.from_date
                                         else " - " + _date(line.to_date))
        cells = [dates, line.place_of_service, "Y" if line.emergency else "", line.procedure,
                 " ".join(line.modifiers), "".join(line.pointers), f"{line.charge:,.2f}",
                 line.units, line.rendering_npi or claim.rendering_provider.npi]
        rows.append("<tr>" + "".join(f'<td class="v{" r" if i == 6 else ""}">{escape(str(c))}'
                                     "</td>" for i, c in enumerate(cells)) + "</tr>")
    blank = "<tr>" + '<td class="v">&nbsp;</td>' * 9 + "</tr>"
    rows += [blank] * (6 - len(claim.lines))
    return "<table>" + head + "".join(rows) + "</table>"


def _totals(claim: Claim) -> str:
    facility = claim.service_facility
    billing = claim.billing_provider
    rows = [
        [_box("25", "federal tax ID (EIN)", claim.federal_tax_id),
         _box("26", "patient's account no.", claim.claim_id),
         _box("27", "accept assignment?", _check(claim.accept_assignment)),
         _box("28", "total charge", f"${claim.total_charge:,.2f}"),
         _box("29", "amount paid", f"${claim.amount_paid:,.2f}")],
        [_box("31", "signature of physician or supplier",
              f"{claim.rendering_provider.name} (NPI {claim.rendering_provider.npi})", 2),
         _box("32 / 32a", "service facility / NPI",
              f"{facility.name}, {_address(facility.address)} {facility.npi}" if facility
              else "", 1),
         _box("33 / 33a", "billing provider / NPI",
              f"{billing.name}, {_address(billing.address)} NPI {billing.npi}", 2)],
    ]
    return "<table>" + "".join("<tr>" + "".join(r) + "</tr>" for r in rows) + "</table>"


def to_html(claim: Claim) -> str:
    """The claim drawn as a CMS-1500, as a self-contained HTML fragment."""
    carrier = f"{claim.payer.name} ({claim.payer.payer_id})  {_address(claim.payer.address)}"
    return (_STYLE + '<div class="cms1500">'
            f'<h3>HEALTH INSURANCE CLAIM FORM (CMS-1500 02/12) - {escape(carrier)}</h3>'
            + _people(claim) + _clinical(claim) + _lines(claim) + _totals(claim)
            + "</div>")


def show(claim: Claim):
    """Display the filled form in a notebook."""
    from IPython.display import HTML

    return HTML(to_html(claim))

