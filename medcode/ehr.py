"""Synthetic patient charts as HL7 FHIR R4 bundles, and a chart viewer for the notebook.

The case library lives in ``medcode/data/ehr/``:

* ``source/<case>.yaml`` -- each encounter written the way an author thinks about it (the
  patient, the visit, the notes), with the clinic's shared people and payers in ``roster.yaml``;
* ``cases/<case>.bundle.json`` -- the FHIR bundle built from it (Patient, Coverage,
  Practitioner, Organization, Encounter, Condition, Procedure, Observation, ServiceRequest,
  MedicationRequest, Immunization, AllergyIntolerance and DocumentReference notes), the form an
  EHR would exchange, validated with the ``fhir.resources`` R4B models;
* ``examples.yaml`` -- the coder's key of the lecture's worked examples only (see
  :func:`worked_example`).

Charts carry *no* diagnosis or procedure codes: a coder reads the documentation and assigns
them, which is what the exercises practise. Every bundle is tagged HTEST ("test health data")
and every note is headed SYNTHETIC, because nothing here is a real person.

This package is what students import, so the answer keys of the cases they are graded on are
not in it: they live in the instructor-only folder ``answer_keys/ehr/`` at the top of the
repository, read by ``autograde.casekeys`` (for the tests and instructors). The claim builder
takes the place of service from the chart, the way a practice system does, not from a key.

``python -m medcode.ehr build`` rebuilds the bundles after a source file changes.
"""
from __future__ import annotations

import base64
import html
import json
import re
import uuid
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data" / "ehr"
SOURCE = DATA / "source"
CASES = DATA / "cases"
EXAMPLES = DATA / "examples.yaml"

SYNTHETIC_TAG = {"system": "http://terminology.hl7.org/CodeSystem/v3-ActReason",
                 "code": "HTEST", "display": "test health data"}
SYNTHETIC_BANNER = "SYNTHETIC RECORD - training use only - not a real patient"
TIMEZONE = "-04:00"   # every case is set in an Eastern-time clinic, in summer

_NS = uuid.UUID("6f1c5a3e-7d2b-4c1e-9a8f-2b3c4d5e6f70")
_TERMS = "http://terminology.hl7.org/CodeSystem/"
_LOINC = "http://loinc.org"
_NPI = "http://hl7.org/fhir/sid/us-npi"
_UCUM = {"mmHg": "mm[Hg]", "/min": "/min", "degF": "[degF]", "%": "%", "lb": "[lb_av]",
         "in": "[in_i]", "kg/m2": "kg/m2", "mg/dL": "mg/dL", "g/dL": "g/dL", "10^3/uL": "10*3/uL",
         "mIU/L": "m[IU]/L", "mmol/L": "mmol/L", "pg/mL": "pg/mL", "ng/mL": "ng/mL",
         "mL/min/1.73m2": "mL/min/{1.73_m2}", "10^6/uL": "10*6/uL", "U/L": "U/L", "s": "s",
         "ratio": "{ratio}"}
ENCOUNTER_CLASS = {"AMB": "ambulatory", "EMER": "emergency", "IMP": "inpatient encounter",
                   "VR": "virtual"}


# --------------------------------------------------------------------------- reading the library

def case_ids() -> list[str]:
    """Every case in the library, in order (c01, c02, ...)."""
    return sorted(p.name.removesuffix(".bundle.json") for p in CASES.glob("*.bundle.json"))


def full_id(case_id: str) -> str:
    """The full id of a case named by its short id ("c07" -> "c07-adult-preventive-tdap")."""
    matches = [c for c in case_ids() if c == case_id or c.split("-")[0] == case_id]
    if len(matches) != 1:
        raise KeyError(f"no case {case_id!r} in the library; see medcode.ehr.catalogue()")
    return matches[0]


def _case_path(case_id: str, suffix: str) -> Path:
    return CASES / f"{full_id(case_id)}{suffix}"


@lru_cache(maxsize=None)
def _read_json(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def bundle(case_id: str) -> dict:
    """The FHIR bundle of a case (a fresh dict each time, so callers may change it)."""
    return json.loads(_read_json(_case_path(case_id, ".bundle.json")))


def worked_example(case_id: str) -> dict:
    """The coder's key of a lecture's worked example: icd10cm, procedures, pos, rationale.

    Only the cases the lectures code in front of the student are here; every other case is
    graded somewhere, so asking for its key is refused.
    """
    examples = yaml.safe_load(EXAMPLES.read_text(encoding="utf-8"))
    case = full_id(case_id)
    if case not in examples:
        raise KeyError(f"{case_id!r} is not a worked example: its codes are yours to find "
                       f"(worked examples: {', '.join(sorted(examples))})")
    return examples[case]


def chart(case_id: str) -> "Chart":
    """Open a case's chart in the viewer: ``ehr.chart("c07")`` shows it in the notebook."""
    return Chart(bundle(case_id))


def catalogue() -> list[dict]:
    """One row per case: id, title, setting and specialty (for a table of the library)."""
    rows = []
    for case_id in case_ids():
        meta = bundle(case_id)["meta"]
        tags = {t["system"].rsplit("/", 1)[-1]: t["display"] for t in meta.get("tag", [])}
        rows.append({"case": case_id, "title": tags.get("title", ""),
                     "setting": tags.get("setting", ""), "specialty": tags.get("specialty", "")})
    return rows


def validate(data: dict):
    """The bundle parsed by the fhir.resources R4B models; raises if it is not valid FHIR."""
    from fhir.resources.R4B.bundle import Bundle

    return Bundle.model_validate(data)


# --------------------------------------------------------------------------- building bundles

class _Builder:
    """Turns one authored case (a YAML mapping) into a FHIR bundle, with stable ids."""

    def __init__(self, case: dict, roster: dict):
        self.case, self.roster, self.entries = case, roster, []
        self.day = str(case["encounter"]["start"])[:10]

    def ref(self, key: str) -> str:
        return f"urn:uuid:{uuid.uuid5(_NS, self.case['id'] + '/' + key)}"

    def add(self, key: str, resource: dict) -> str:
        url = self.ref(key)
        resource = {"resourceType": resource.pop("resourceType"), "id": url[9:], **resource}
        self.entries.append({"fullUrl": url, "resource": resource})
        return url

    def when(self, value) -> str:
        """A FHIR dateTime: a bare time means that time on the day of the encounter."""
        text = str(value)
        if re.fullmatch(r"\d{1,2}:\d{2}", text):
            text = f"{self.day}T{int(text[:-3]):02d}:{text[-2:]}"
        return text + ":00" + TIMEZONE if "T" in text and len(text) == 16 else text


def _concept(text: str, system: str | None = None, code: str | None = None) -> dict:
    concept = {"text": text}
    if system and code:
        concept["coding"] = [{"system": system, "code": str(code), "display": text}]
    return concept


def _status(codesystem: str, code: str) -> dict:
    return {"coding": [{"system": _TERMS + codesystem, "code": code}]}


def _npi(value: str) -> dict:
    return {"system": _NPI, "value": str(value), "type": {"text": "NPI (synthetic example)"}}


def _address(text: dict) -> dict:
    return {"line": [text["line"]], "city": text["city"], "state": text["state"],
            "postalCode": str(text["zip"])}


def _organization(b: _Builder, key: str) -> str:
    org = b.roster["organizations"][key]
    resource = {"resourceType": "Organization", "active": True, "name": org["name"],
                "type": [{"text": org["kind"]}],
                "telecom": [{"system": "phone", "value": org["phone"]}],
                "address": [_address(org["address"])]}
    ids = [_npi(org["npi"])] if "npi" in org else []
    if "tax_id" in org:
        ids.append({"type": {"text": "Tax ID (synthetic example)"}, "value": org["tax_id"]})
    if "payer_id" in org:
        ids.append({"type": {"text": "Payer ID (synthetic example)"}, "value": org["payer_id"]})
    if ids:
        resource["identifier"] = ids
    return b.add(f"org/{key}", resource)


def _practitioner(b: _Builder, key: str) -> str:
    person = b.roster["practitioners"][key]
    return b.add(f"practitioner/{key}", {
        "resourceType": "Practitioner", "active": True, "identifier": [_npi(person["npi"])],
        "name": [{"family": person["family"], "given": [person["given"]],
                  "suffix": [person["credential"]]}],
        "qualification": [{"code": {"text": person["specialty"]}}]})


def _patient(b: _Builder) -> str:
    p = b.case["patient"]
    return b.add("patient", {
        "resourceType": "Patient", "active": True,
        "identifier": [
            {"type": {"text": "Medical record number"}, "system": "urn:example:mrn",
             "value": p["mrn"]},
            {"type": {"text": "SSN (synthetic, 9xx range)"},
             "system": "http://hl7.org/fhir/sid/us-ssn", "value": p["ssn"]}],
        "name": [{"use": "official", "family": p["family"], "given": p["given"].split()}],
        "gender": p["gender"], "birthDate": str(p["birth_date"]),
        "telecom": [{"system": "phone", "value": p["phone"], "use": "home"}],
        "address": [_address({**b.roster["patient_town"], "line": p["address"]})]})


def _coverage(b: _Builder, patient: str) -> str:
    cov = b.case["coverage"]
    payer = _organization(b, cov["payer"])
    resource = {
        "resourceType": "Coverage", "status": "active",
        "type": {"text": b.roster["organizations"][cov["payer"]]["plan"]},
        "subscriberId": cov["member_id"], "beneficiary": {"reference": patient},
        "relationship": _status("subscriber-relationship", "self"),
        "payor": [{"reference": payer}]}
    if "end" in cov:
        resource["period"] = {"start": "2026-01-01", "end": str(cov["end"])}
    if "group" in cov:
        resource["class"] = [{"type": _status("coverage-class", "group"),
                              "value": str(cov["group"]), "name": cov.get("group_name", "")}]
    return b.add("coverage", resource)


def _encounter(b: _Builder, patient: str, attending: str, facility: str) -> str:
    enc = b.case["encounter"]
    resource = {
        "resourceType": "Encounter", "status": "finished",
        "class": {"system": _TERMS + "v3-ActCode", "code": enc["class"],
                  "display": ENCOUNTER_CLASS[enc["class"]]},
        "type": [{"text": enc["type"]}], "subject": {"reference": patient},
        "participant": [{"type": [_status("v3-ParticipationType", "ATND")],
                         "individual": {"reference": attending}}],
        "period": {"start": b.when(enc["start"]), "end": b.when(enc["end"])},
        "reasonCode": [{"text": enc["reason"]}],
        "serviceProvider": {"reference": facility}}
    if "location" in enc:
        resource["location"] = [{"location": {"display": enc["location"]}}]
    if "admit_source" in enc:
        resource["hospitalization"] = {
            "admitSource": {"text": enc["admit_source"]},
            "dischargeDisposition": {"text": enc["discharge"]}}
    return b.add("encounter", resource)


def _conditions(b: _Builder, patient: str, encounter: str) -> None:
    for i, item in enumerate(b.case.get("problems", [])):
        b.add(f"problem/{i}", {
            "resourceType": "Condition",
            "clinicalStatus": _status("condition-clinical", item.get("status", "active")),
            "verificationStatus": _status("condition-ver-status", "confirmed"),
            "category": [_status("condition-category", "problem-list-item")],
            "code": {"text": item["text"]}, "subject": {"reference": patient},
            **({"onsetDateTime": str(item["onset"])} if "onset" in item else {})})
    for i, item in enumerate(b.case.get("diagnoses", [])):
        item = item if isinstance(item, dict) else {"text": item}
        b.add(f"diagnosis/{i}", {
            "resourceType": "Condition",
            "clinicalStatus": _status("condition-clinical", "active"),
            "verificationStatus": _status("condition-ver-status",
                                          item.get("verification", "confirmed")),
            "category": [_status("condition-category", "encounter-diagnosis")],
            "code": {"text": item["text"]}, "subject": {"reference": patient},
            "encounter": {"reference": encounter}, "recordedDate": b.when(b.case["encounter"]["end"])})


def _procedures(b: _Builder, patient: str, encounter: str, performer: str) -> None:
    for i, item in enumerate(b.case.get("procedures", [])):
        resource = {"resourceType": "Procedure", "status": "completed",
                    "code": {"text": item["text"]}, "subject": {"reference": patient},
                    "encounter": {"reference": encounter},
                    "performedDateTime": b.when(item.get("time", b.case["encounter"]["start"])),
                    "performer": [{"actor": {"reference": performer}}]}
        if "site" in item:
            resource["bodySite"] = [{"text": item["site"]}]
        b.add(f"procedure/{i}", resource)


def _observation_value(item: dict) -> dict:
    value, unit = item["value"], item.get("unit")
    if isinstance(value, str) and re.fullmatch(r"\d+/\d+", value) and unit == "mmHg":
        systolic, diastolic = value.split("/")
        return {"component": [
            {"code": _concept("Systolic blood pressure", _LOINC, "8480-6"),
             "valueQuantity": _quantity(systolic, unit)},
            {"code": _concept("Diastolic blood pressure", _LOINC, "8462-4"),
             "valueQuantity": _quantity(diastolic, unit)}]}
    if isinstance(value, (int, float)) and unit:
        return {"valueQuantity": _quantity(value, unit)}
    return {"valueString": str(value) + (f" {unit}" if unit else "")}


def _quantity(value, unit: str) -> dict:
    number = float(value)
    return {"value": int(number) if number.is_integer() else number, "unit": unit,
            "system": "http://unitsofmeasure.org", "code": _UCUM.get(unit, unit)}


_VITALS = {"bp": ("Blood pressure panel", "85354-9", "mmHg"), "hr": ("Heart rate", "8867-4", "/min"),
           "rr": ("Respiratory rate", "9279-1", "/min"), "temp": ("Body temperature", "8310-5", "degF"),
           "spo2": ("Oxygen saturation by pulse oximetry", "59408-5", "%"),
           "weight": ("Body weight", "29463-7", "lb"), "height": ("Body height", "8302-2", "in"),
           "bmi": ("Body mass index", "39156-5", "kg/m2")}


def _expanded_observations(case: dict) -> list[dict]:
    """Vital signs written as ``vitals: {bp: 128/82, hr: 72}`` plus the listed observations."""
    vitals = [{"name": _VITALS[k][0], "loinc": _VITALS[k][1], "unit": _VITALS[k][2], "value": v}
              for k, v in case.get("vitals", {}).items()]
    labs = [{"category": "laboratory", **item} for item in case.get("labs", [])]
    return vitals + labs + case.get("observations", [])


def _observations(b: _Builder, patient: str, encounter: str) -> None:
    for i, item in enumerate(_expanded_observations(b.case)):
        resource = {"resourceType": "Observation", "status": "final",
                    "category": [_status("observation-category", item.get("category", "vital-signs"))],
                    "code": _concept(item["name"], _LOINC if "loinc" in item else None,
                                     item.get("loinc")),
                    "subject": {"reference": patient}, "encounter": {"reference": encounter},
                    "effectiveDateTime": b.when(item.get("time", b.case["encounter"]["start"])),
                    **_observation_value(item)}
        if "range" in item:
            resource["referenceRange"] = [{"text": item["range"]}]
        if "flag" in item:
            resource["interpretation"] = [_concept(item["flag"])]
        b.add(f"observation/{i}", resource)


def _orders(b: _Builder, patient: str, encounter: str, requester: str) -> None:
    for i, item in enumerate(b.case.get("orders", [])):
        b.add(f"order/{i}", {
            "resourceType": "ServiceRequest", "status": item.get("status", "completed"),
            "intent": "order", "category": [{"text": item.get("category", "Procedure")}],
            "code": {"text": item["text"]}, "subject": {"reference": patient},
            "encounter": {"reference": encounter},
            "authoredOn": b.when(b.case["encounter"]["start"]), "requester": {"reference": requester}})
    for i, item in enumerate(b.case.get("medications", [])):
        b.add(f"medication/{i}", {
            "resourceType": "MedicationRequest", "status": item.get("status", "active"),
            "intent": "order", "medicationCodeableConcept": {"text": item["text"]},
            "subject": {"reference": patient}, "encounter": {"reference": encounter},
            "authoredOn": b.when(item.get("since", b.case["encounter"]["start"])),
            "requester": {"reference": requester},
            "dosageInstruction": [{"text": item["sig"]}]})


def _immunizations(b: _Builder, patient: str, encounter: str, performer: str) -> None:
    for i, item in enumerate(b.case.get("immunizations", [])):
        b.add(f"immunization/{i}", {
            "resourceType": "Immunization", "status": "completed",
            "vaccineCode": {"text": item["text"]}, "patient": {"reference": patient},
            "encounter": {"reference": encounter},
            "occurrenceDateTime": b.when(item.get("time", b.case["encounter"]["start"])),
            "lotNumber": item["lot"], "site": {"text": item["site"]},
            "route": {"text": item["route"]},
            "performer": [{"actor": {"reference": performer}}]})


def _allergies(b: _Builder, patient: str) -> None:
    for i, item in enumerate(b.case.get("allergies", [])):
        resource = {"resourceType": "AllergyIntolerance",
                    "clinicalStatus": _status("allergyintolerance-clinical", "active"),
                    "verificationStatus": _status("allergyintolerance-verification", "confirmed"),
                    "code": {"text": item["text"]}, "patient": {"reference": patient}}
        if "reaction" in item:
            resource["category"] = [item.get("category", "medication")]
            resource["criticality"] = item.get("criticality", "low")
            resource["reaction"] = [{"manifestation": [{"text": item["reaction"]}]}]
        b.add(f"allergy/{i}", resource)


_NOTE_TYPES = {"progress": ("11506-3", "Progress note"),
               "history-and-physical": ("34117-2", "History and physical note"),
               "operative": ("11504-8", "Surgical operation note"),
               "imaging": ("18748-4", "Diagnostic imaging study"),
               "laboratory": ("11502-2", "Laboratory report"),
               "discharge": ("18842-5", "Discharge summary")}


def _notes(b: _Builder, patient: str, encounter: str, facility: str) -> None:
    for i, note in enumerate(b.case["notes"]):
        author = b.ref(f"practitioner/{note.get('author', b.case['attending'])}")
        loinc, kind = _NOTE_TYPES.get(note["type"], (None, note["type"].replace("-", " ").capitalize()))
        text = f"*** {SYNTHETIC_BANNER} ***\n{note['title'].upper()}\n\n{note['text'].strip()}\n"
        b.add(f"note/{i}", {
            "resourceType": "DocumentReference", "status": "current", "docStatus": "final",
            "type": _concept(kind, _LOINC if loinc else None, loinc),
            "subject": {"reference": patient}, "date": b.when(note.get("time", b.case["encounter"]["end"])),
            "author": [{"reference": author}], "custodian": {"reference": facility},
            "description": note["title"],
            "content": [{"attachment": {
                "contentType": "text/plain; charset=utf-8", "title": note["title"],
                "data": base64.b64encode(text.encode("utf-8")).decode("ascii")}}],
            "context": {"encounter": [{"reference": encounter}]}})


def build_bundle(case: dict, roster: dict) -> dict:
    """The FHIR R4 bundle (type collection) of one authored case, built with stable ids."""
    b = _Builder(case, roster)
    patient = _patient(b)
    _coverage(b, patient)
    facility = _organization(b, case["facility"])
    staff = {case["attending"], *(n["author"] for n in case["notes"] if "author" in n)}
    for key in sorted(staff):
        _practitioner(b, key)
    attending = b.ref(f"practitioner/{case['attending']}")
    encounter = _encounter(b, patient, attending, facility)
    _allergies(b, patient)
    _conditions(b, patient, encounter)
    _procedures(b, patient, encounter, attending)
    _observations(b, patient, encounter)
    _orders(b, patient, encounter, attending)
    _immunizations(b, patient, encounter, attending)
    _notes(b, patient, encounter, facility)
    tags = [{"system": f"urn:example:case/{name}", "code": name, "display": str(case[name])}
            for name in ("title", "setting", "specialty")]
    return {"resourceType": "Bundle", "id": case["id"],
            "meta": {"security": [SYNTHETIC_TAG], "tag": tags},
            "type": "collection", "timestamp": b.when(case["encounter"]["end"]),
            "entry": b.entries}


def _authored() -> tuple[dict, list[dict]]:
    roster = yaml.safe_load((DATA / "roster.yaml").read_text(encoding="utf-8"))
    cases = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(SOURCE.glob("*.yaml"))]
    return roster, cases


def built_files() -> dict[str, str]:
    """What ``build`` would write: file name -> JSON text, for every authored case."""
    roster, cases = _authored()
    return {f"{case['id']}.bundle.json": json.dumps(build_bundle(case, roster), indent=1) + "\n"
            for case in cases}


def build() -> list[str]:
    """Rebuild every bundle under ``cases/`` from ``source/`` (validating each)."""
    CASES.mkdir(exist_ok=True)
    files = built_files()
    for name, text in files.items():
        validate(json.loads(text))
        (CASES / name).write_text(text, encoding="utf-8")
    for stale in set(p.name for p in CASES.glob("*.json")) - set(files):
        (CASES / stale).unlink()
    _read_json.cache_clear()
    return sorted(files)


# --------------------------------------------------------------------------- reading a bundle

def _text(concept: dict | None) -> str:
    return (concept or {}).get("text") or ""


def _human(name: dict) -> str:
    given = " ".join(name.get("given", []))
    suffix = ", " + ", ".join(name["suffix"]) if name.get("suffix") else ""
    return f"{given} {name.get('family', '')}".strip() + suffix


def _short_time(value: str) -> str:
    return value[:16].replace("T", " ") if value else ""


class Chart:
    """One patient's chart from a FHIR bundle, shown in the notebook like an EHR screen.

    Display it by leaving ``chart`` as the last line of a cell; ``chart.section("notes")`` shows
    one part; ``chart.search("penicillin")`` finds a word anywhere in the chart.
    """

    SECTIONS = ("summary", "encounter", "problems", "notes", "orders", "results",
                "medications", "allergies")

    def __init__(self, data: dict):
        self.data = data
        self.by_type: dict[str, list[dict]] = {}
        self.by_url: dict[str, dict] = {}
        for entry in data.get("entry", []):
            res = entry["resource"]
            self.by_type.setdefault(res["resourceType"], []).append(res)
            self.by_url[entry["fullUrl"]] = res

    def _one(self, kind: str) -> dict:
        return (self.by_type.get(kind) or [{}])[0]

    def _name_of(self, reference: dict | None) -> str:
        res = self.by_url.get((reference or {}).get("reference", ""), {})
        if res.get("resourceType") == "Practitioner":
            return _human(res["name"][0])
        return res.get("name", "") if isinstance(res.get("name"), str) else ""

    # ---- the facts a coder looks for, as rows of (label, value)
    def demographics(self) -> list[tuple[str, str]]:
        p = self._one("Patient")
        ids = {i["type"]["text"]: i["value"] for i in p.get("identifier", [])}
        addr = (p.get("address") or [{}])[0]
        return [("Name", _human(p["name"][0]) if p.get("name") else ""),
                ("Date of birth", p.get("birthDate", "")), ("Sex", p.get("gender", "")),
                ("MRN", ids.get("Medical record number", "")),
                ("SSN", ids.get("SSN (synthetic, 9xx range)", "")),
                ("Phone", (p.get("telecom") or [{}])[0].get("value", "")),
                ("Address", ", ".join(filter(None, [*addr.get("line", []), addr.get("city"),
                                                     addr.get("state"), addr.get("postalCode")])))]

    def insurance(self) -> list[tuple[str, str]]:
        cov = self._one("Coverage")
        payer = self.by_url.get((cov.get("payor") or [{}])[0].get("reference", ""), {})
        payer_id = next((i["value"] for i in payer.get("identifier", [])
                         if i["type"]["text"].startswith("Payer ID")), "")
        group = (cov.get("class") or [{}])[0]
        return [("Payer", payer.get("name", "")), ("Plan", _text(cov.get("type"))),
                ("Payer ID", payer_id), ("Member ID", cov.get("subscriberId", "")),
                ("Group", " ".join(filter(None, [group.get("value"), group.get("name")]))),
                ("Relationship", "self"),
                ("Coverage ends", cov.get("period", {}).get("end", "no end date on file"))]

    def encounter(self) -> list[tuple[str, str]]:
        enc = self._one("Encounter")
        org = self.by_url.get(enc.get("serviceProvider", {}).get("reference", ""), {})
        npi = next((i["value"] for i in org.get("identifier", []) if i.get("system") == _NPI), "")
        attending = enc.get("participant", [{}])[0].get("individual")
        att_res = self.by_url.get((attending or {}).get("reference", ""), {})
        att_npi = next((i["value"] for i in att_res.get("identifier", [])), "")
        rows = [("Date of service", enc.get("period", {}).get("start", "")[:10]),
                ("Time", f"{_short_time(enc['period']['start'])[11:]} to "
                         f"{_short_time(enc['period']['end'])[11:]}"),
                ("Class", enc.get("class", {}).get("display", "")),
                ("Visit type", _text((enc.get("type") or [{}])[0])),
                ("Reason for visit", _text((enc.get("reasonCode") or [{}])[0])),
                ("Attending provider", self._name_of(attending)),
                ("Attending NPI", att_npi),
                ("Facility", org.get("name", "")), ("Facility NPI", npi)]
        if enc.get("location"):
            rows.append(("Location", enc["location"][0]["location"]["display"]))
        if enc.get("hospitalization"):
            hosp = enc["hospitalization"]
            rows += [("Admitted from", _text(hosp.get("admitSource"))),
                     ("Discharge disposition", _text(hosp.get("dischargeDisposition")))]
        end = enc.get("period", {}).get("end", "")[:10]
        if end and end != rows[0][1]:
            rows.insert(1, ("Discharge date", end))
        return rows

    def problems(self) -> list[tuple[str, str]]:
        rows = []
        for c in self.by_type.get("Condition", []):
            category = c["category"][0]["coding"][0]["code"]
            label = "Problem list" if category == "problem-list-item" else "This visit"
            status = c["clinicalStatus"]["coding"][0]["code"]
            verified = c["verificationStatus"]["coding"][0]["code"]
            detail = status if verified == "confirmed" else f"{status}, {verified}"
            rows.append((label, f"{_text(c['code'])} ({detail})"))
        return rows

    def notes(self) -> list[tuple[str, str]]:
        rows = []
        for doc in self.by_type.get("DocumentReference", []):
            data = doc["content"][0]["attachment"]["data"]
            heading = f"{doc.get('description', '')} \u2014 {self._name_of(doc['author'][0])}, " \
                      f"{_short_time(doc.get('date', ''))}"
            rows.append((heading, base64.b64decode(data).decode("utf-8")))
        return rows

    def orders(self) -> list[tuple[str, str]]:
        rows = [(f"{_text(s['category'][0])} order ({s['status']})", _text(s["code"]))
                for s in self.by_type.get("ServiceRequest", [])]
        rows += [(f"Procedure, {_short_time(p.get('performedDateTime', ''))}",
                  _text(p["code"]) + (f" \u2014 site: {_text(p['bodySite'][0])}"
                                      if p.get("bodySite") else ""))
                 for p in self.by_type.get("Procedure", [])]
        rows += [(f"Immunization, {_short_time(i['occurrenceDateTime'])}",
                  f"{_text(i['vaccineCode'])}; lot {i['lotNumber']}; {_text(i['route'])}, "
                  f"{_text(i['site'])}") for i in self.by_type.get("Immunization", [])]
        return rows

    def results(self) -> list[tuple[str, str]]:
        rows = []
        for o in self.by_type.get("Observation", []):
            value = _value_text(o)
            extra = [_text(o["interpretation"][0])] if o.get("interpretation") else []
            extra += [f"ref {o['referenceRange'][0]['text']}"] if o.get("referenceRange") else []
            rows.append((_text(o["code"]), value + (f"  ({'; '.join(extra)})" if extra else "")))
        return rows

    def medications(self) -> list[tuple[str, str]]:
        return [(_text(m["medicationCodeableConcept"]),
                 f"{m['dosageInstruction'][0]['text']} ({m['status']}, since {m['authoredOn'][:10]})")
                for m in self.by_type.get("MedicationRequest", [])]

    def allergies(self) -> list[tuple[str, str]]:
        rows = []
        for a in self.by_type.get("AllergyIntolerance", []):
            reaction = a.get("reaction", [{}])[0].get("manifestation", [{}])[0].get("text", "")
            detail = f"reaction: {reaction}; criticality {a['criticality']}" if reaction else ""
            rows.append((_text(a["code"]), detail))
        return rows

    def summary(self) -> list[tuple[str, str]]:
        return self.demographics() + self.insurance()

    # ---- display
    def rows(self, section: str) -> list[tuple[str, str]]:
        """The (label, text) rows of one section of the chart."""
        if section not in self.SECTIONS:
            raise KeyError(f"a chart has the sections {', '.join(self.SECTIONS)}")
        return getattr(self, section)()

    def section(self, name: str) -> "Html":
        """Show one section of the chart (e.g. "notes", "results", "allergies")."""
        return Html(_frame(self._banner() + _section_html(name, self.rows(name), True)))

    def search(self, term: str) -> "Html":
        """Every line of the chart that mentions ``term`` (any case), with the section it is in."""
        pattern = re.compile(re.escape(term.strip()), re.I)
        hits = []
        for name in self.SECTIONS:
            for label, value in self.rows(name):
                for line in f"{label}: {value}".splitlines():
                    if term.strip() and pattern.search(line):
                        hits.append((name, line.strip()))
        items = "".join(
            f"<li><span class='mc-tag'>{name}</span> "
            f"{pattern.sub(lambda m: f'<mark>{m.group(0)}</mark>', html.escape(line))}</li>"
            for name, line in hits)
        found = f"{len(hits)} line(s) mention \u201c{html.escape(term)}\u201d"
        return Html(_frame(self._banner() + f"<div class='mc-search'><b>{found}</b><ul>{items}</ul></div>"),
                    text="\n".join(f"[{n}] {line}" for n, line in hits) or found)

    def _banner(self) -> str:
        demo, ins = dict(self.demographics()), dict(self.insurance())
        allergies = ", ".join(a for a, _ in self.allergies()) or "not recorded"
        day = dict(self.encounter())["Date of service"]
        age = f" (age {age_on(demo['Date of birth'], day)})" if day else ""
        return (f"<div class='mc-banner'><div class='mc-synthetic'>{SYNTHETIC_BANNER}</div>"
                f"<span class='mc-name'>{html.escape(demo['Name'])}</span> "
                f"DOB {demo['Date of birth']}{age} \u00b7 {demo['Sex']} \u00b7 MRN {demo['MRN']} \u00b7 "
                f"{html.escape(ins['Payer'])} {ins['Member ID']}"
                f"<div class='mc-allergy'>Allergies: {html.escape(allergies)}</div></div>")

    def _repr_html_(self) -> str:
        body = "".join(_section_html(name, self.rows(name), name in ("summary", "encounter", "notes"))
                       for name in self.SECTIONS)
        return _frame(self._banner() + body)

    def __repr__(self) -> str:
        return "\n".join(f"{label}: {value}" for name in self.SECTIONS
                         for label, value in self.rows(name))


def _value_text(o: dict) -> str:
    if "valueQuantity" in o:
        q = o["valueQuantity"]
        return f"{q['value']} {q['unit']}"
    if "component" in o:
        parts = [str(c["valueQuantity"]["value"]) for c in o["component"]]
        return "/".join(parts) + " " + o["component"][0]["valueQuantity"]["unit"]
    return o.get("valueString", "")


class Html:
    """HTML for the notebook, with a plain-text form for anything that is not a browser."""

    def __init__(self, markup: str, text: str | None = None):
        self.markup, self.text = markup, text if text is not None else re.sub(r"<[^>]+>", " ", markup)

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return self.text


_TITLES = {"summary": "Demographics and insurance", "encounter": "Encounter",
           "problems": "Problem list and diagnoses", "notes": "Clinical notes",
           "orders": "Orders, procedures and immunizations", "results": "Vitals and results",
           "medications": "Medications", "allergies": "Allergies"}

_STYLE = """<style>
.mc-ehr{font-family:system-ui,Segoe UI,Arial,sans-serif;font-size:13px;border:1px solid #9fb3c8;
border-radius:6px;max-width:960px;background:#fff;color:#1b2733}
.mc-banner{background:#123b5d;color:#fff;padding:8px 12px;border-radius:6px 6px 0 0}
.mc-name{font-size:16px;font-weight:600}
.mc-synthetic{font-size:11px;letter-spacing:.05em;color:#ffd479}
.mc-allergy{color:#ffb4b4;font-weight:600;margin-top:2px}
.mc-ehr details{border-top:1px solid #d7e1ea}
.mc-ehr summary{cursor:pointer;background:#e9f0f6;padding:5px 12px;font-weight:600;color:#123b5d}
.mc-ehr table{border-collapse:collapse;width:100%;margin:0}
.mc-ehr td{border-bottom:1px solid #eef2f5;padding:3px 12px;vertical-align:top;text-align:left}
.mc-ehr td.mc-l{width:32%;color:#4a6075}
.mc-ehr pre{white-space:pre-wrap;font-family:ui-monospace,Consolas,monospace;font-size:12.5px;
margin:0;padding:6px 12px;background:#fbfcfd}
.mc-tag{background:#dbe7f1;border-radius:3px;padding:0 4px;font-size:11px}
.mc-search{padding:6px 12px}
</style>"""


def _frame(inner: str) -> str:
    return f"{_STYLE}<div class='mc-ehr'>{inner}</div>"


def _section_html(name: str, rows: list[tuple[str, str]], open_: bool) -> str:
    if not rows:
        body = "<table><tr><td>None recorded.</td></tr></table>"
    elif name == "notes":
        body = "".join(f"<div class='mc-tag' style='margin:6px 12px 0'>{html.escape(t)}</div>"
                       f"<pre>{html.escape(text)}</pre>" for t, text in rows)
    else:
        body = "<table>" + "".join(
            f"<tr><td class='mc-l'>{html.escape(label)}</td><td>{html.escape(value)}</td></tr>"
            for label, value in rows) + "</table>"
    return (f"<details{' open' if open_ else ''}><summary>{_TITLES[name]}</summary>"
            f"{body}</details>")


# --------------------------------------------------------------------------- chart to claim

_LINE = re.compile(r"^([A-Z0-9]{5})((?:[\s-]+[A-Z0-9]{2})*?)"
                   r"(?:\s*[X*]\s*(\d{1,3})|\s*,\s*(\d{1,3})\s*UNITS?)?$")
DEFAULT_CHARGE = 100.0
CONTRACTS = {"payer-medicare": ("MEDICARE", 0.45), "payer-ppo": ("PPO", 0.60),
             "payer-hmo": ("HMO", 0.55)}


def parse_line(text) -> dict:
    """A claim line typed like a biller writes it: "99214", "20610-RT", "J3301 x4", "97110 GP x2".

    Returns {"code", "modifiers", "units"}; raises ValueError with a plain reason otherwise.
    """
    if not isinstance(text, str):
        raise ValueError(f"{text!r} should be a line in quotes, like \"20610-RT\" or \"J3301 x4\".")
    match = _LINE.match(text.strip().upper())
    if not match:
        raise ValueError(f"{text!r} is not a claim line: write the code, then any modifiers after a "
                         "dash, then the units after an x, like \"97110-GP x2\".")
    modifiers = sorted(re.findall(r"[A-Z0-9]{2}", match.group(2)))
    units = match.group(3) or match.group(4) or 1
    return {"code": match.group(1), "modifiers": modifiers, "units": int(units)}


def line_text(line: dict) -> str:
    """The one spelling of a line that answers are compared in: "20610-RT, 1 unit"."""
    units = line["units"]
    return "".join([line["code"], *(f"-{m}" for m in sorted(line["modifiers"]))]) + \
        f", {units} unit{'s' if units != 1 else ''}"


def line_texts(values) -> list[str]:
    """Every line of an answer in its comparable spelling (a malformed line is kept as typed)."""
    out = []
    for value in values if isinstance(values, (list, tuple)) else []:
        try:
            out.append(line_text(parse_line(value)))
        except ValueError:
            out.append(str(value))
    return out


def _from_text(text: str) -> tuple[str, tuple[str, ...], int] | None:
    """(code, modifiers, units) of a line in :func:`line_text`'s spelling, or None."""
    found = re.match(r"^([^,\s-]+)((?:-[0-9A-Z]{2})*), (\d+) units?$", text)
    if not found:
        return None
    return found[1], tuple(re.findall(r"[0-9A-Z]{2}", found[2])), int(found[3])


def _line_reason(got: tuple, want: tuple) -> str:
    """What differs between a student's line and the key line for the same code."""
    from medcode.rules import say

    code = got[0]
    if got[1] != want[1]:
        needs = ("this line needs a modifier the record calls for" if want[1] and not got[1]
                 else "check each modifier against the record and the payer's rules")
        return say("modifier", f"{code}: {needs}.")
    return say("units", f"{code} is reported with a different number of units: count them from "
               "the record (time, dose, lesions, tests).")


def _code_reason(code: str, want: str) -> str:
    """What the code set says about a line's code that is not the key line's code."""
    from medcode import cpt, hcpcs
    from medcode.rules import say

    if code[:1].isdigit() != want[:1].isdigit():
        other = "CPT" if want[:1].isdigit() else "HCPCS Level II"
        return say("code_set", f"{code}: this service is reported with a {other} code.")
    module = cpt if code[:1].isdigit() else hcpcs
    return module.answer_feedback(code, want) or say("code_choice", f"{code} is not right here.")


def lines_feedback(answer, key) -> str | None:
    """What is wrong with each claim line of an answer, never naming a key line.

    ``answer`` and ``key`` are lists in :func:`line_text`'s spelling. A line whose code is in
    the key but whose modifiers or units differ is told so; a line whose code is not is
    compared with the key line it most likely meant (same first characters, else same code
    set) by the code set's own feedback; a line with no counterpart is extra.
    """
    from medcode.rules import say

    given = [_from_text(a) if isinstance(a, str) else None for a in answer]
    wanted = [_from_text(k) for k in key]
    left = [w for w in wanted if w not in given]
    reasons = []
    for got in given:
        if got is None or got in wanted:
            continue
        same = [w for w in left if w[0] == got[0]]
        near = same or [w for w in left if w[0][:3] == got[0][:3]] or \
            [w for w in left if w[0][:1].isdigit() == got[0][:1].isdigit()] or left
        if not near:
            reasons.append(say("extra", f"{got[0]} is not reported for this encounter."))
            continue
        left.remove(near[0])
        reasons.append(_line_reason(got, near[0]) if same else _code_reason(got[0], near[0][0]))
    return " ".join(reasons) or None


def check_lines(value, name: str = "your answer") -> None:
    """Visible check: a list of claim lines, each one readable (see :func:`parse_line`)."""
    from medcode import checks
    from medcode.rules import say

    checks.answered(value, name)
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value, 1):
            try:
                parse_line(item)
            except ValueError as problem:
                raise checks.AnswerProblem(say("format", f"entry {i} of {name}: {problem}")) \
                    from None
    checks.is_list(value, name)


@lru_cache(maxsize=None)
def charges() -> dict:
    """The synthetic charge master: code -> dollars per unit."""
    rows = (CASES.parent / "charges.csv").read_text(encoding="utf-8").splitlines()[1:]
    return {code: float(amount) for code, amount in (row.split(",") for row in rows)}


# The place of service a practice system sets from registration (CMS place-of-service code set):
# the encounter's class first, then for an office-type (ambulatory) visit the kind of facility.
_POS_BY_CLASS = {"EMER": "23", "IMP": "21"}
_POS_BY_FACILITY = {"Acute care hospital": "22", "Ambulatory surgical center": "24",
                    "Independent clinical laboratory": "81"}
OFFICE_POS = "11"


def place_of_service(chart: "Chart") -> str:
    """The two-digit place of service of a chart's encounter, read from the chart itself.

    A telehealth visit is coded by where the patient was (home or not); an emergency or inpatient
    encounter by its class; any other visit by the facility that furnished it (an on-campus
    hospital department, an ambulatory surgical center, an independent laboratory), else office.
    """
    enc = chart._one("Encounter")
    kind = enc.get("class", {}).get("code")
    if kind == "VR":
        where = " ".join(loc["location"]["display"] for loc in enc.get("location", []))
        return "10" if "patient at home" in where.lower() else "02"
    if kind in _POS_BY_CLASS:
        return _POS_BY_CLASS[kind]
    facility = chart.by_url.get(enc.get("serviceProvider", {}).get("reference", ""), {})
    facility_kind = _text((facility.get("type") or [{}])[0])
    return next((pos for prefix, pos in _POS_BY_FACILITY.items()
                 if facility_kind.startswith(prefix)), OFFICE_POS)


def _claim_person(patient: dict) -> dict:
    name = patient["name"][0]
    return {"name": {"last": name["family"], "first": " ".join(name["given"])},
            "birth_date": patient["birthDate"], "sex": patient["gender"][0].upper(),
            "relationship": "self", "address": _claim_address(patient["address"][0])}


def _claim_address(addr: dict) -> dict:
    return {"street": addr["line"][0], "city": addr["city"], "state": addr["state"],
            "zip": addr["postalCode"]}


def claim(case_id: str, icd10cm: list, lines: list, rendering_npi: str | None = None):
    """The CMS-1500 for a case: who, where (:func:`place_of_service`) and when from the chart;
    codes from ``icd10cm`` and ``lines`` (as the coder gave them); charges from the charge
    master. ``rendering_npi`` replaces the chart's NPI, the way a registration typo would."""
    from medcode.claims import model

    chart = Chart(bundle(case_id))
    patient, cov = chart._one("Patient"), chart._one("Coverage")
    enc = chart._one("Encounter")
    payer = chart.by_url[cov["payor"][0]["reference"]]
    attending = chart.by_url[enc["participant"][0]["individual"]["reference"]]
    facility = chart.by_url[enc["serviceProvider"]["reference"]]
    day, pos = enc["period"]["start"][:10], place_of_service(chart)
    parsed = [parse_line(text) for text in lines]
    pointers = [chr(ord("A") + i) for i in range(min(4, len(icd10cm)))]
    data = {
        "claim_id": f"EX-{case_id.split('-')[0].upper()}",
        "payer": {"name": payer["name"], "payer_id": _identifier(payer, "Payer ID"),
                  "program": "medicare" if "Medicare" in payer["name"] else "group"},
        "patient": _claim_person(patient),
        "insured": {"id": cov["subscriberId"],
                    "group_number": (cov.get("class") or [{}])[0].get("value", "")},
        "diagnoses": list(icd10cm),
        "service_lines": [{"from_date": day, "place_of_service": pos,
                           "procedure": ln["code"], "modifiers": ln["modifiers"],
                           "units": ln["units"], "pointers": pointers,
                           "charge": round(charges().get(ln["code"], DEFAULT_CHARGE)
                                           * ln["units"], 2)} for ln in parsed],
        "federal_tax_id": _identifier(facility, "Tax ID"),
        "accept_assignment": True,
        "rendering_provider": {"last": attending["name"][0]["family"],
                               "first": attending["name"][0]["given"][0],
                               "npi": rendering_npi or attending["identifier"][0]["value"]},
        "billing_provider": {"name": facility["name"], "npi": _identifier(facility, "NPI"),
                             "address": _claim_address(facility["address"][0])}}
    return model.from_dict(data)


def claims_for(coded: dict) -> dict:
    """Claims for every case whose codes are filled in: {case: (icd10cm list, line list)}.

    A case still blank or with a line that cannot be read is left out and named, so a half-done
    notebook still runs.
    """
    built, waiting = {}, []
    for case_id, (icd10cm, lines) in coded.items():
        try:
            built[case_id] = claim(case_id, icd10cm, lines)
        except (TypeError, ValueError, AttributeError):
            waiting.append(case_id)
    if waiting:
        print("Not billed yet (codes missing or unreadable):", ", ".join(waiting))
    return built


def _identifier(resource: dict, label: str) -> str:
    return next(i["value"] for i in resource.get("identifier", [])
                if i["type"]["text"].startswith(label))


def payer_key(case_id: str) -> str:
    """Which roster payer covers a case ("payer-medicare", "payer-ppo", ...)."""
    case = full_id(case_id)
    reference = Chart(bundle(case_id))._one("Coverage")["payor"][0]["reference"]
    roster = yaml.safe_load((DATA / "roster.yaml").read_text(encoding="utf-8"))
    return next(key for key in roster["organizations"]
                if reference == f"urn:uuid:{uuid.uuid5(_NS, f'{case}/org/{key}')}")


def example_payers() -> dict:
    """The capstone's payers, one per contract, with every library patient of theirs enrolled.

    Each uses the cost-sharing terms of an ``EXAMPLE_PLANS`` plan and allows a fixed share of
    the charge master; a coverage end date in the chart ends the enrolment.
    """
    import dataclasses
    import datetime as dt

    from medcode import payers

    roster = yaml.safe_load((DATA / "roster.yaml").read_text(encoding="utf-8"))["organizations"]
    found = {}
    for key, (plan_key, share) in CONTRACTS.items():
        org = roster[key]
        plan = dataclasses.replace(payers.EXAMPLE_PLANS[plan_key], fee_schedule={
            code: round(amount * share, 2) for code, amount in charges().items()})
        found[key] = (payers.Payer(org["name"], org["payer_id"]), plan)
    for case_id in case_ids():
        cov = Chart(bundle(case_id))._one("Coverage")
        key = payer_key(case_id)
        if key in found:
            payer, plan = found[key]
            end = cov.get("period", {}).get("end")
            payer.enroll(payers.Member(cov["subscriberId"], case_id, plan, dt.date(2026, 1, 1),
                                       dt.date.fromisoformat(end) if end else None))
    return {key: payer for key, (payer, _) in found.items()}


def age_on(birth: str, day: str) -> int:
    """Age in whole years on a date (for preventive-visit codes that depend on age)."""
    b, d = date.fromisoformat(birth), date.fromisoformat(day[:10])
    return d.year - b.year - ((d.month, d.day) < (b.month, b.day))


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["build"]:
        print(f"wrote {len(build())} files to {CASES}")
    else:
        print("usage: python -m medcode.ehr build")
