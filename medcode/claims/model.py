"""The CMS-1500 (02/12) claim as data: items 1-33, read from and written to JSON.

A claim is the paper form's content with readable field names. Every field knows the form
item it fills (``ITEMS``), so a problem is always reported the way a biller looks for it on
the form: "Item 24D, line 2: ...". The JSON layout is documented field by field in
``SCHEMA`` and rendered in the book (:func:`schema_markdown`).

Reading is strict on structure (malformed JSON, a missing required item, an impossible date
or amount raise :class:`ClaimError` naming the item) and lenient on codes: whether a code is
real, billable or bundled is the scrubber's job (:mod:`medcode.claims.scrub`), because a
biller needs every finding at once, not the first one.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

__all__ = ["ClaimError", "Address", "Person", "Provider", "Payer", "OtherInsurance",
           "ServiceLine", "Claim",
           "ITEMS", "SCHEMA", "load", "loads", "from_dict", "schema_markdown",
           "POINTER_LETTERS"]

POINTER_LETTERS = "ABCDEFGHIJKL"
MAX_LINES = 6
MAX_DIAGNOSES = 12


class ClaimError(ValueError):
    """A claim that cannot be read or sent, with the CMS-1500 item at fault."""

    def __init__(self, item: str, message: str):
        self.item = item
        where = "Claim file" if item == "file" else f"Item {item}"
        super().__init__(f"{where}: {message}")


# (json path, CMS-1500 item, required, what it is) -- the documented schema.
SCHEMA = [
    ("claim_id", "26", True, "your own claim or patient account number (text)"),
    ("payer.name", "carrier block", True, "the insurer's name"),
    ("payer.payer_id", "carrier block", True, "the payer ID used for electronic claims"),
    ("payer.program", "1", True, "medicare, medicaid, tricare, champva, group, feca or other"),
    ("payer.address", "carrier block", False, "the insurer's address (an address object)"),
    ("insured.id", "1a", True, "the insured's member ID from the insurance card"),
    ("insured.name", "4", True, "the insured (policyholder): last, first, middle"),
    ("insured.address", "7", True, "the insured's address"),
    ("insured.birth_date", "11a", True, "YYYY-MM-DD"),
    ("insured.sex", "11a", True, "M, F or U"),
    ("insured.group_number", "11", False, "policy group or FECA number"),
    ("insured.plan_name", "11c", False, "insurance plan or program name"),
    ("patient.name", "2", True, "the patient: last, first, middle"),
    ("patient.birth_date", "3", True, "YYYY-MM-DD"),
    ("patient.sex", "3", True, "M, F or U"),
    ("patient.address", "5", True, "street, city, state, zip, phone"),
    ("patient.relationship", "6", True, "the patient to the insured: self, spouse, child or other"),
    ("other_insurance", "9, 9a, 9d, 11d", False, "another plan that covers the patient (below); "
     "leave it out when there is none (11d = NO)"),
    ("other_insurance.insured", "9", True, "the other plan's insured: last, first"),
    ("other_insurance.relationship", "9", True, "the patient to that insured: self, spouse, "
     "child or other"),
    ("other_insurance.member_id", "9a", True, "the other insured's member ID"),
    ("other_insurance.group_number", "9a", False, "the other insured's policy or group number"),
    ("other_insurance.payer_name", "9d", True, "the other plan's name"),
    ("other_insurance.payer_id", "9d", True, "the other plan's payer ID"),
    ("condition.employment", "10a", False, "true if the condition is related to employment"),
    ("condition.auto_accident", "10b", False, "true if related to an auto accident"),
    ("condition.accident_state", "10b", False, "the state of the auto accident"),
    ("condition.other_accident", "10c", False, "true if related to another accident"),
    ("patient_signature_on_file", "12", False, "true when the release signature is on file"),
    ("insured_signature_on_file", "13", False, "true when benefits are assigned to the provider"),
    ("onset_date", "14", False, "date of current illness, injury or pregnancy (YYYY-MM-DD)"),
    ("referring_provider", "17, 17b", False, "name and NPI of the referring provider"),
    ("diagnoses", "21 A-L", True, "1 to 12 ICD-10-CM codes; the first is A, the second B ..."),
    ("prior_authorization", "23", False, "prior authorisation number"),
    ("service_lines", "24", True, "1 to 6 service lines (see below)"),
    ("service_lines[].from_date", "24A", True, "first date of service (YYYY-MM-DD)"),
    ("service_lines[].to_date", "24A", False, "last date of service; the from date if left out"),
    ("service_lines[].place_of_service", "24B", True, "two-digit CMS place-of-service code"),
    ("service_lines[].emergency", "24C", False, "true for an emergency"),
    ("service_lines[].procedure", "24D", True, "CPT or HCPCS Level II code"),
    ("service_lines[].modifiers", "24D", False, "up to 4 two-character modifiers"),
    ("service_lines[].pointers", "24E", True, "1 to 4 letters A-L pointing at item 21"),
    ("service_lines[].charge", "24F", True, "the line's charge in dollars"),
    ("service_lines[].units", "24G", True, "days or units, a whole number of at least 1"),
    ("service_lines[].rendering_npi", "24J", False, "NPI of the rendering provider"),
    ("federal_tax_id", "25", True, "the billing provider's EIN (9 digits)"),
    ("accept_assignment", "27", False, "true if the provider accepts assignment"),
    ("amount_paid", "29", False, "amount the patient or another payer already paid"),
    ("rendering_provider", "31", True, "the physician or supplier: name and NPI"),
    ("service_facility", "32, 32a", False, "where services were given: name, address, NPI"),
    ("billing_provider", "33, 33a", True, "name, address, phone and NPI of the billing provider"),
]

# Whole sections, so that a section of the wrong shape is still reported with its items.
ITEMS = {"payer": "1 and carrier block", "patient": "2, 3, 5, 6", "insured": "1a, 4, 7, 11",
         "condition": "10a-c", **{path: item for path, item, _, _ in SCHEMA}}
_STATES = set("""AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT
NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI AA AE
AP""".split())  # USPS codes: states, DC, territories, military
_PROGRAMS = ("medicare", "medicaid", "tricare", "champva", "group", "feca", "other")
_RELATIONSHIPS = ("self", "spouse", "child", "other")


@dataclass
class Address:
    street: str
    city: str
    state: str
    zip: str
    phone: str = ""


@dataclass
class Person:
    last: str
    first: str
    middle: str = ""
    birth_date: dt.date | None = None
    sex: str = "U"
    address: Address | None = None
    id: str = ""
    group_number: str = ""
    plan_name: str = ""

    @property
    def display(self) -> str:
        """LAST, FIRST M as the form prints a name."""
        middle = f" {self.middle[:1]}" if self.middle else ""
        return f"{self.last}, {self.first}{middle}".upper()


@dataclass
class Provider:
    name: str
    npi: str
    address: Address | None = None
    last: str = ""
    first: str = ""
    taxonomy: str = ""


@dataclass
class Payer:
    name: str
    payer_id: str
    program: str
    address: Address | None = None


@dataclass
class OtherInsurance:
    """Items 9, 9a, 9d: a second plan, which the 837P reports in loops 2320/2330."""
    last: str
    first: str
    relationship: str
    member_id: str
    payer_name: str
    payer_id: str
    group_number: str = ""


@dataclass
class ServiceLine:
    from_date: dt.date
    to_date: dt.date
    place_of_service: str
    procedure: str
    charge: float
    units: int
    pointers: list[str]
    modifiers: list[str] = field(default_factory=list)
    emergency: bool = False
    rendering_npi: str = ""


@dataclass
class Claim:
    claim_id: str
    payer: Payer
    insured: Person
    patient: Person
    relationship: str
    diagnoses: list[str]
    lines: list[ServiceLine]
    federal_tax_id: str
    rendering_provider: Provider
    billing_provider: Provider
    condition: dict = field(default_factory=dict)
    other_insurance: OtherInsurance | None = None
    patient_signature_on_file: bool = True
    insured_signature_on_file: bool = True
    onset_date: dt.date | None = None
    referring_provider: Provider | None = None
    prior_authorization: str = ""
    accept_assignment: bool = True
    amount_paid: float = 0.0
    service_facility: Provider | None = None

    @property
    def total_charge(self) -> float:
        """Item 28: the sum of the line charges (24F), never typed in by hand."""
        return round(sum(line.charge for line in self.lines), 2)

    def diagnosis_for(self, letter: str) -> str | None:
        """The item 21 code a 24E pointer letter points at, or None if that slot is empty."""
        index = POINTER_LETTERS.find(letter.upper())
        return self.diagnoses[index] if 0 <= index < len(self.diagnoses) else None

    def to_dict(self) -> dict:
        """The claim as JSON-ready data, in the documented layout (dates as YYYY-MM-DD)."""
        return _to_json_data(self)

    def to_json(self, indent: int = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent)


# --------------------------------------------------------------------------- writing

def _to_json_data(claim: Claim) -> dict:
    raw = _dates_to_text(asdict(claim))
    for role in ("patient", "insured"):
        person = raw[role]
        person["name"] = {k: person.pop(k) for k in ("last", "first", "middle")}
    for key in ("id", "group_number", "plan_name"):
        raw["patient"].pop(key)
    raw["patient"]["relationship"] = raw.pop("relationship")
    if raw["other_insurance"]:
        other = raw["other_insurance"]
        other["insured"] = {"last": other.pop("last"), "first": other.pop("first")}
    raw["service_lines"] = raw.pop("lines")
    raw["total_charge"] = claim.total_charge
    return _drop_empty(raw)


def _dates_to_text(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _dates_to_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_to_text(v) for v in value]
    return value


def _drop_empty(value):
    """Leave out blank optional fields so a written claim reads like the one typed in."""
    if isinstance(value, dict):
        return {k: _drop_empty(v) for k, v in value.items() if v not in ("", None, [], {})}
    if isinstance(value, list):
        return [_drop_empty(v) for v in value]
    return value


# --------------------------------------------------------------------------- reading

def load(path: str | Path) -> Claim:
    """Read a claim from a JSON file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise ClaimError("file", f"cannot read {path}: {err.strerror}") from None
    return loads(text)


def loads(text: str) -> Claim:
    """Read a claim from JSON text; a syntax error is reported with its line and column."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ClaimError("file", f"this is not valid JSON (line {err.lineno}, column "
                                 f"{err.colno}: {err.msg}).") from None
    return from_dict(data)


def from_dict(data) -> Claim:
    """Build a :class:`Claim` from parsed JSON, naming the item of the first structural problem."""
    if not isinstance(data, dict):
        raise ClaimError("file", "a claim must be a JSON object in curly braces {...}.")
    relationship = _choice(_get(data, "patient.relationship"), _RELATIONSHIPS,
                           "patient.relationship")
    patient = _person(_section(data, "patient"), "patient")
    if relationship == "self" and "name" not in (data.get("insured") or {}):
        insured = replace(patient)  # item 4 "same as patient": a copy, filled in below
    else:
        insured = _person(_section(data, "insured"), "insured")
    insured.id = _text(_get(data, "insured.id"), "insured.id", size=(2, 80))
    insured.group_number = _text(_get(data, "insured.group_number", ""), "insured.group_number", size=(1, 50),
                                 required=False)
    insured.plan_name = _text(_get(data, "insured.plan_name", ""), "insured.plan_name",
                              required=False)
    lines = _lines(data)
    return Claim(
        claim_id=_text(data.get("claim_id"), "claim_id", size=(1, 38)),
        payer=_payer(_section(data, "payer")),
        insured=insured,
        patient=patient,
        relationship=relationship,
        diagnoses=_diagnoses(data.get("diagnoses")),
        lines=lines,
        federal_tax_id=_tax_id(data.get("federal_tax_id")),
        rendering_provider=_provider(data.get("rendering_provider"), "rendering_provider",
                                     person=True),
        billing_provider=_provider(data.get("billing_provider"), "billing_provider",
                                   needs_address=True),
        condition=_condition(_optional_dict(data, "condition")),
        other_insurance=_other_insurance(data.get("other_insurance")),
        patient_signature_on_file=_flag(data, "patient_signature_on_file", True),
        insured_signature_on_file=_flag(data, "insured_signature_on_file", True),
        onset_date=_date(data.get("onset_date"), "onset_date", required=False),
        referring_provider=_optional_provider(data, "referring_provider", person=True),
        prior_authorization=_text(data.get("prior_authorization", ""), "prior_authorization", size=(1, 50),
                                  required=False),
        accept_assignment=_flag(data, "accept_assignment", True),
        amount_paid=_money(data.get("amount_paid", 0), "amount_paid"),
        service_facility=_optional_provider(data, "service_facility", needs_address=True),
    )


def _item(path: str) -> str:
    """The form item of a JSON path, or of its nearest documented parent."""
    parts = path.split(".")
    while parts:
        item = ITEMS.get(".".join(parts))
        if item:
            return item
        parts.pop()
    return "?"


def _fail(path: str, message: str):
    raise ClaimError(_item(path), f"{_label(path)} {message}")


def _label(path: str) -> str:
    return path.replace("[]", "").replace("_", " ").replace(".", " ")


def _get(data: dict, path: str, default=None):
    value = data
    for part in path.split("."):
        if not isinstance(value, dict):
            return default
        value = value.get(part, default)
    return value


def _section(data: dict, path: str) -> dict:
    value = data.get(path)
    if value is None:
        _fail(path, "is missing.")
    if not isinstance(value, dict):
        _fail(path, "should be an object in curly braces {...}.")
    return value


def _optional_dict(data: dict, key: str) -> dict:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        _fail(key, "should be an object in curly braces {...}.")
    return value


def _text(value, path: str, required: bool = True, size: tuple[int, int] = (1, 60)) -> str:
    """A text field, within the lengths the 837P allows for it and in plain ASCII."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            _fail(path, "is missing.")
        return ""
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        _fail(path, f"should be text, not {value!r}.")
    text = " ".join(str(value).split())
    if not text.isascii():
        _fail(path, f"{text!r} has characters an electronic claim cannot carry; write it "
                    "with plain letters (no accents).")
    low, high = size
    if not low <= len(text) <= high:
        _fail(path, f"{text!r} should be {low} to {high} characters long.")
    return text


def _choice(value, options, path: str) -> str:
    text = _text(value, path).lower()
    if text not in options:
        _fail(path, f"should be one of {', '.join(options)}, not {value!r}.")
    return text


def _flag(data: dict, key: str, default: bool, path: str = "") -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        _fail(path or key, f"should be true or false, not {value!r}.")
    return value


def _date(value, path: str, required: bool = True) -> dt.date | None:
    if value in (None, ""):
        if required:
            _fail(path, "is missing.")
        return None
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        _fail(path, f"should be a date written YYYY-MM-DD, not {value!r}.")
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        _fail(path, f"{value!r} is not a real calendar date.")


def _money(value, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        _fail(path, f"should be an amount in dollars, not {value!r}.")
    try:
        amount = float(str(value).replace("$", "").replace(",", ""))
    except ValueError:
        _fail(path, f"should be an amount in dollars, not {value!r}.")
    if amount < 0 or amount != amount or amount > 9_999_999.99:
        _fail(path, f"{value!r} is not a possible amount.")
    return round(amount, 2)


def _sex(value, path: str) -> str:
    return _choice(value or "U", ("m", "f", "u"), path).upper()


def _address(value, path: str, required: bool = True) -> Address | None:
    if value is None and not required:
        return None
    if not isinstance(value, dict):
        _fail(path, "is missing or is not an address object {street, city, state, zip}.")
    limits = {"street": (1, 55), "city": (2, 30), "state": (2, 2), "zip": (5, 10)}
    parts = {k: _text(value.get(k), f"{path}.{k}", size=size) for k, size in limits.items()}
    parts["phone"] = _text(value.get("phone", ""), f"{path}.phone", required=False,
                           size=(10, 20))
    if parts["phone"] and len(re.sub(r"\D", "", parts["phone"])) != 10:
        _fail(f"{path}.phone", f"should be a 10-digit phone number, not {parts['phone']!r}.")
    if parts["state"].upper() not in _STATES:
        _fail(f"{path}.state", f"should be a two-letter USPS state code, not {parts['state']!r}.")
    if not re.fullmatch(r"\d{5}(-?\d{4})?", parts["zip"]):
        _fail(path, f"zip should be 5 or 9 digits, not {parts['zip']!r}.")
    parts["state"] = parts["state"].upper()
    return Address(**parts)


def _person(data: dict, role: str) -> Person:
    name = data.get("name", data)
    if not isinstance(name, dict):
        _fail(f"{role}.name", "should be an object {last, first, middle}.")
    return Person(
        last=_text(name.get("last"), f"{role}.name"),
        first=_text(name.get("first"), f"{role}.name", size=(1, 35)),
        middle=_text(name.get("middle", ""), f"{role}.name", required=False, size=(1, 25)),
        birth_date=_date(data.get("birth_date"), f"{role}.birth_date"),
        sex=_sex(data.get("sex"), f"{role}.sex"),
        address=_address(data.get("address"), f"{role}.address"),
    )


def _payer(data: dict) -> Payer:
    return Payer(name=_text(data.get("name"), "payer.name"),
                 payer_id=_text(data.get("payer_id"), "payer.payer_id", size=(2, 15)),
                 program=_choice(data.get("program"), _PROGRAMS, "payer.program"),
                 address=_address(data.get("address"), "payer.address", required=False))


def _provider(data, path: str, person: bool = False, needs_address: bool = False) -> Provider:
    if not isinstance(data, dict):
        _fail(path, "is missing or is not an object {name, npi, ...}.")
    npi = _text(data.get("npi"), path)
    if not re.fullmatch(r"\d{10}", npi):
        _fail(path, f"NPI should be 10 digits, not {npi!r}.")
    last = _text(data.get("last", ""), path, required=person)
    first = _text(data.get("first", ""), path, required=person, size=(1, 35))
    name = _text(data.get("name", f"{first} {last}".strip()), path)
    return Provider(name=name, npi=npi, last=last, first=first,
                    taxonomy=_text(data.get("taxonomy", ""), path, required=False),
                    address=_address(data.get("address"), path, required=needs_address))


def _optional_provider(data: dict, key: str, **kind) -> Provider | None:
    return _provider(data[key], key, **kind) if data.get(key) else None


def _other_insurance(raw) -> OtherInsurance | None:
    if not raw:
        return None
    if not isinstance(raw, dict):
        _fail("other_insurance", "should be an object {insured, relationship, member_id, ...}.")
    insured = raw.get("insured")
    if not isinstance(insured, dict):
        _fail("other_insurance.insured", "should be an object {last, first}.")
    return OtherInsurance(
        last=_text(insured.get("last"), "other_insurance.insured"),
        first=_text(insured.get("first"), "other_insurance.insured", size=(1, 35)),
        relationship=_choice(raw.get("relationship"), _RELATIONSHIPS,
                             "other_insurance.relationship"),
        member_id=_text(raw.get("member_id"), "other_insurance.member_id", size=(2, 80)),
        payer_name=_text(raw.get("payer_name"), "other_insurance.payer_name"),
        payer_id=_text(raw.get("payer_id"), "other_insurance.payer_id", size=(2, 80)),
        group_number=_text(raw.get("group_number", ""), "other_insurance.group_number",
                           required=False, size=(1, 50)))


def _condition(raw: dict) -> dict:
    """Items 10a-c: three yes/no answers and the state of an auto accident."""
    condition = {key: _flag(raw, key, False, f"condition.{key}")
                 for key in ("employment", "auto_accident", "other_accident")}
    state = _text(raw.get("accident_state", ""), "condition.accident_state", required=False,
                  size=(2, 2)).upper()
    if state and state not in _STATES:
        _fail("condition.accident_state", f"should be a two-letter USPS state code, not {state!r}.")
    condition["accident_state"] = state
    return condition


def _tax_id(value) -> str:
    text = re.sub(r"[\s-]", "", _text(value, "federal_tax_id"))
    if not re.fullmatch(r"\d{9}", text):
        _fail("federal_tax_id", f"should be 9 digits (an EIN), not {value!r}.")
    return text


def _diagnoses(value) -> list[str]:
    if not isinstance(value, list) or not value:
        _fail("diagnoses", "should be a list of 1 to 12 ICD-10-CM codes.")
    if len(value) > MAX_DIAGNOSES:
        _fail("diagnoses", f"has {len(value)} codes; the form has room for 12 (A-L). "
                           "Start another claim for the rest.")
    codes = [_text(code, "diagnoses").upper().replace(".", "").replace(" ", "") for code in value]
    return [c[:3] + "." + c[3:] if len(c) > 3 else c for c in codes]


def _lines(data: dict) -> list[ServiceLine]:
    value = data.get("service_lines")
    if not isinstance(value, list) or not value:
        _fail("service_lines", "should be a list of 1 to 6 service lines.")
    if len(value) > MAX_LINES:
        _fail("service_lines", f"has {len(value)} lines; a CMS-1500 has 6. "
                               "Split the services over more claims.")
    return [_line(raw, n) for n, raw in enumerate(value, 1)]


def _line(raw, n: int) -> ServiceLine:
    def path(name):
        return f"service_lines[].{name}"

    def fail(name, message):
        raise ClaimError(f"{_item(path(name))}, line {n}", f"{name.replace('_', ' ')} {message}")

    if not isinstance(raw, dict):
        raise ClaimError(f"24, line {n}", "a service line should be an object {...}.")
    try:
        from_date = _date(raw.get("from_date"), path("from_date"))
        to_date = _date(raw.get("to_date"), path("to_date"), required=False) or from_date
        charge = _money(raw.get("charge"), path("charge"))
    except ClaimError as err:
        raise ClaimError(f"{err.item}, line {n}", str(err).split(": ", 1)[1]) from None
    if to_date < from_date:
        fail("to_date", "is before the from date.")
    units = raw.get("units")
    if isinstance(units, bool) or not isinstance(units, (int, float)) or units != int(units) \
            or units < 1:
        fail("units", f"should be a whole number of at least 1, not {units!r}.")
    modifiers = raw.get("modifiers") or []
    if not isinstance(modifiers, list) or len(modifiers) > 4:
        fail("modifiers", "should be a list of up to 4 modifiers.")
    pointers = raw.get("pointers")
    if not isinstance(pointers, list) or not 1 <= len(pointers) <= 4:
        fail("pointers", "should be a list of 1 to 4 letters A-L.")
    procedure = raw.get("procedure")
    if not isinstance(procedure, str) or not procedure.strip():
        fail("procedure", "is missing.")
    pos = raw.get("place_of_service")
    if not isinstance(pos, (str, int)) or isinstance(pos, bool) or not str(pos).strip():
        fail("place_of_service", "is missing.")
    return ServiceLine(
        from_date=from_date, to_date=to_date, place_of_service=str(pos).strip().zfill(2),
        procedure=procedure.strip().upper(), charge=charge, units=int(units),
        pointers=[str(p).strip().upper() for p in pointers],
        modifiers=[str(m).strip().upper().lstrip("-") for m in modifiers],
        emergency=bool(raw.get("emergency", False)),
        rendering_npi=str(raw.get("rendering_npi", "")).strip())


def schema_markdown() -> str:
    """The JSON schema as a Markdown table, for the book and the notebooks."""
    rows = ["| JSON field | CMS-1500 item | required | what to put |", "|---|---|---|---|"]
    rows += [f"| `{path}` | {item} | {'yes' if req else 'no'} | {what} |"
             for path, item, req, what in SCHEMA]
    return "\n".join(rows)
