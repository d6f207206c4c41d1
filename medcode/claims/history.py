"""A synthetic practice's claim history: one row per claim line, reproducible from a seed.

Revenue-cycle metrics (:mod:`medcode.claims.metrics`) and compliance audits need a year of
claims to work on, and real claims are protected health information. This module invents
one: Example Family Clinic, four EXAMPLE providers, five EXAMPLE payers, about 1,200 claims of
office visits, labs, injections, vaccines, therapy and preventive care from January to
October 2026, as of November 15, 2026.

Everything is synthetic and looks it: patients are ``PT`` numbers, providers are
"Example, ..." with NPIs that pass the check digit but belong to no one, charges come from an
invented chargemaster and payers pay invented percentages of them (not any real fee schedule).
Providers differ on purpose (one bills the highest E/M levels far more often than the others;
one uses modifier 25 on most visits) so the data has something for an auditor to find.

Columns of :func:`claim_history` (one row per service line):

=========================  ===================================================================
claim_id, line             claim number ("C2026-00001") and line number 1-6 (item 24)
provider_name, provider_npi, specialty   the rendering provider (items 24J / 31)
billing_npi                the clinic (item 33a)
patient_id, patient_age    synthetic patient number and age on the date of service
payer, payer_type          payer name; medicare, medicaid, commercial_ppo, commercial_hmo, tricare
date_of_service, date_submitted   pandas timestamps
date_adjudicated, date_paid   when the payer answered (NaT while pending) and paid (NaT unless paid)
procedure                  CPT or HCPCS Level II code number (24D)
modifiers                  modifiers joined by commas ("25" or "25,RT"), "" when none
units                      item 24G
diagnosis_codes            the ICD-10-CM codes this line points to, joined by commas
em_level                   1-5 for office E/M codes 99202-99205 and 99211-99215, else <NA>
em_patient                 "new" or "established" for those E/M codes, else ""
charge, allowed, paid      dollars: the practice's charge, the payer's allowed amount, its payment
patient_responsibility     deductible + coinsurance + copay the patient owes on the line
patient_paid               what the patient has paid of that so far
status                     "paid", "denied" or "pending" (sent, not yet answered)
carc_group, carc_code      the line's main adjustment: a denial's group and CARC, or CO 45 for
                           the contractual write-down on a paid line; "" when none
pr_carc                    CARC of the patient's share (1 deductible, 2 coinsurance, 3 copay)
clean_claim                True when the claim was accepted on first submission
=========================  ===================================================================

CPT is copyright American Medical Association; only code numbers are used here.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd


__all__ = ["claim_history", "AS_OF", "PROVIDERS", "PAYERS", "DENIAL_REASONS"]

AS_OF = dt.date(2026, 11, 15)
START = dt.date(2026, 1, 2)
END = dt.date(2026, 10, 30)
CLINIC_NPI = "1234567893"

# name, specialty, NPI, share of visits, E/M level weights for levels 2-5 (established)
PROVIDERS = [
    ("Example, Jordan MD", "family medicine", "1234567893", 0.32, (0.05, 0.45, 0.40, 0.10)),
    ("Example, Riley DO", "family medicine", "1642621290", 0.28, (0.06, 0.47, 0.38, 0.09)),
    ("Example, Sky NP", "family medicine", "1562241541", 0.22, (0.08, 0.52, 0.34, 0.06)),
    ("Example, Quinn MD", "internal medicine", "2220033221", 0.18, (0.01, 0.14, 0.35, 0.50)),
]
MODIFIER_25_HEAVY = "Example, Riley DO"

# name, type, share, allowed as a share of charge, copay, coinsurance, deductible,
# pay lag days, filing limit days -- all invented for these EXAMPLE payers.
PAYERS = [
    ("Example Medicare Administrative Contractor", "medicare", 0.30, 0.42, 0, 0.20, 283, 16, 365),
    ("Example State Medicaid", "medicaid", 0.15, 0.35, 0, 0.0, 0, 28, 180),
    ("Example Health Plan PPO", "commercial_ppo", 0.30, 0.62, 30, 0.0, 1000, 21, 90),
    ("Example Care HMO", "commercial_hmo", 0.18, 0.55, 20, 0.0, 0, 25, 90),
    ("Example TRICARE Region Contractor", "tricare", 0.07, 0.48, 15, 0.0, 0, 22, 365),
]

# CARC, group, weight: why denied claims were denied. Late filing (CARC 29) is not drawn
# here: it follows from the dates. 97 (bundled) and 4 (modifier) deny one line, not the claim.
DENIAL_REASONS = [("16", "CO", 0.24), ("197", "CO", 0.15), ("50", "CO", 0.13),
                  ("97", "CO", 0.14), ("18", "OA", 0.10), ("27", "PR", 0.08),
                  ("4", "CO", 0.08), ("11", "CO", 0.08)]
LINE_DENIALS = ("97", "4")

# The invented chargemaster, in dollars.
CHARGES = {"99202": 110, "99203": 160, "99204": 230, "99205": 300, "99211": 45, "99212": 85,
           "99213": 135, "99214": 190, "99215": 260, "99395": 210, "99396": 230, "G0439": 175,
           "83036": 28, "85025": 22, "80053": 35, "80061": 45, "81003": 12, "87880": 32,
           "20610": 210, "J3301": 6, "90471": 25, "90686": 40, "90834": 150, "93000": 55}

DIAGNOSES = {
    "chronic": ["E11.9", "I10", "E78.5", "E11.65", "J44.9", "I48.91", "E03.9", "N18.30",
                "E11.22", "F33.1", "G47.33", "R73.03"],
    "acute": ["J06.9", "J02.0", "J20.9", "N39.0", "H66.91", "R05.9", "B34.9", "R10.9",
              "L03.115", "J30.9", "R51.9", "K59.00"],
    "musculoskeletal": ["M17.11", "M54.50", "M25.561", "M54.2", "M79.18", "M77.11", "M54.16"],
    "behavioral": ["F41.1", "F32.A", "F90.0"],
    "preventive": ["Z00.00", "Z00.01"],
    "immunization": ["Z23"],
}


def claim_history(seed: int = 2026, claims: int = 1200) -> pd.DataFrame:
    """The practice's claim lines as a DataFrame (columns in the module docstring).

    The same ``seed`` always gives the same history, so a notebook's numbers and an answer
    key computed from them stay put.
    """
    rng = np.random.default_rng(seed)
    patients = _patients(rng, max(claims // 3, 50))
    rows = []
    for number in range(1, claims + 1):
        rows += _claim_rows(rng, number, patients)
    frame = pd.DataFrame(rows)
    for column in ("date_of_service", "date_submitted", "date_adjudicated", "date_paid"):
        frame[column] = pd.to_datetime(frame[column])
    frame["em_level"] = frame["em_level"].astype("Int64")
    return frame


def _patients(rng, count: int) -> list[tuple[str, int, int]]:
    """(patient id, birth year, payer index): Medicare patients are 65 or older."""
    weights = np.array([p[2] for p in PAYERS])
    out = []
    for i in range(count):
        payer = int(rng.choice(len(PAYERS), p=weights / weights.sum()))
        age = int(rng.integers(65, 92)) if payer == 0 else int(rng.integers(2, 64))
        out.append((f"PT{100001 + i}", 2026 - age, payer))
    return out


def _visit_lines(rng, provider, patient_new: bool, age: int, medicare: bool):
    """The service lines of one visit: (procedure, modifiers, units, diagnosis list)."""
    kind = rng.choice(["sick", "chronic", "preventive", "injection", "therapy"],
                      p=[0.42, 0.33, 0.12, 0.07, 0.06])
    if kind == "preventive":
        code = "G0439" if medicare else ("99396" if age >= 40 else "99395")
        lines = [(code, "", 1, [DIAGNOSES["preventive"][int(rng.integers(2))]])]
        if rng.random() < 0.5:
            lines += [("90471", "", 1, ["Z23"]), ("90686", "", 1, ["Z23"])]
        return lines
    if kind == "therapy":
        return [("90834", "", 1, [str(rng.choice(DIAGNOSES["behavioral"]))])]
    group = {"sick": "acute", "chronic": "chronic", "injection": "musculoskeletal"}[kind]
    dx = list(rng.choice(DIAGNOSES[group], size=int(rng.integers(1, 4)), replace=False))
    lines = [(_em_code(rng, provider, patient_new), "", 1, dx)]
    if kind == "injection":
        lines[0] = (lines[0][0], "25", 1, dx)
        lines += [("20610", "RT", 1, dx[:1]), ("J3301", "", 4, dx[:1])]
    elif kind == "chronic" and rng.random() < 0.6:
        lines.append((str(rng.choice(["83036", "80053", "85025", "80061", "93000"])), "", 1,
                      dx[:1]))
    elif kind == "sick" and rng.random() < 0.3:
        lines.append((str(rng.choice(["87880", "81003"])), "QW", 1, dx[:1]))
    if provider[0] == MODIFIER_25_HEAVY and len(lines) > 1 and rng.random() < 0.9:
        lines[0] = (lines[0][0], "25", 1, lines[0][3])
    return lines


def _em_code(rng, provider, patient_new: bool) -> str:
    level = int(rng.choice([2, 3, 4, 5], p=provider[4]))
    return f"9920{level}" if patient_new else f"9921{level}"


def _em(code: str) -> tuple[object, str]:
    if code[:4] == "9920" and code[4] in "2345":
        return int(code[4]), "new"
    if code[:4] == "9921" and code[4] in "12345":
        return int(code[4]), "established"
    return pd.NA, ""


def _claim_rows(rng, number: int, patients) -> list[dict]:
    weights = np.array([p[3] for p in PROVIDERS])
    provider = PROVIDERS[int(rng.choice(len(PROVIDERS), p=weights / weights.sum()))]
    patient_id, birth_year, payer_index = patients[int(rng.integers(len(patients)))]
    payer = PAYERS[payer_index]
    service = START + dt.timedelta(days=int(rng.integers((END - START).days + 1)))
    age = service.year - birth_year
    lines = _visit_lines(rng, provider, rng.random() < 0.15, age, payer[1] == "medicare")
    clean = rng.random() < 0.90
    lag = int(rng.integers(1, 6)) if rng.random() < 0.93 else int(rng.integers(20, 200))
    submitted = service + dt.timedelta(days=lag + (0 if clean else int(rng.integers(5, 20))))
    outcome = _outcome(rng, clean, payer, service, submitted)
    line_denial = outcome["carc"][1] in LINE_DENIALS
    if line_denial and len(lines) == 1:
        outcome["carc"] = ("CO", "16")
        line_denial = False
    rows = []
    for n, (code, modifiers, units, dx) in enumerate(lines, 1):
        level, patient_kind = _em(code)
        charge = float(CHARGES[code] * units)
        this = outcome
        if line_denial and n < len(lines):
            this = {**outcome, "status": "paid", "paid_on": outcome["answered"],
                    "carc": ("CO", "45")}
        money = _money(rng, this, payer, charge, n == 1, service)
        rows.append({
            "claim_id": f"C2026-{number:05d}", "line": n,
            "provider_name": provider[0], "provider_npi": provider[2], "specialty": provider[1],
            "billing_npi": CLINIC_NPI, "patient_id": patient_id, "patient_age": age,
            "payer": payer[0], "payer_type": payer[1],
            "date_of_service": service, "date_submitted": submitted,
            "date_adjudicated": this["answered"], "date_paid": this["paid_on"], "procedure": code, "modifiers": modifiers,
            "units": units, "diagnosis_codes": ",".join(dx), "em_level": level,
            "em_patient": patient_kind, "charge": charge, **money,
            "status": this["status"], "clean_claim": clean,
        })
    return rows


def _outcome(rng, clean: bool, payer, service: dt.date, submitted: dt.date) -> dict:
    """Whether the payer paid, denied or has not yet answered, and when it paid."""
    answered = submitted + dt.timedelta(days=int(payer[7] + rng.integers(-3, 12)))
    if answered > AS_OF:
        return {"status": "pending", "paid_on": None, "answered": None, "carc": ("", "")}
    if (submitted - service).days > payer[8]:
        return {"status": "denied", "paid_on": None, "answered": answered, "carc": ("CO", "29")}
    deny_chance = 0.05 if clean else 0.35
    if rng.random() < deny_chance:
        weights = np.array([w for _, _, w in DENIAL_REASONS])
        code, group, _ = DENIAL_REASONS[int(rng.choice(len(DENIAL_REASONS),
                                                       p=weights / weights.sum()))]
        return {"status": "denied", "paid_on": None, "answered": answered, "carc": (group, code)}
    return {"status": "paid", "paid_on": answered, "answered": answered, "carc": ("CO", "45")}


def _money(rng, outcome: dict, payer, charge: float, first_line: bool,
           service: dt.date) -> dict:
    """Allowed, paid and patient amounts for one line, with its adjustment codes."""
    group, code = outcome["carc"]
    if outcome["status"] != "paid":
        return {"allowed": 0.0, "paid": 0.0, "patient_responsibility": 0.0, "patient_paid": 0.0,
                "carc_group": group, "carc_code": code, "pr_carc": ""}
    allowed = round(charge * payer[3], 2)
    share, reason = _patient_share(payer, allowed, first_line, service)
    collected = share if rng.random() < 0.8 else round(share * float(rng.random()), 2)
    return {"allowed": allowed, "paid": round(allowed - share, 2),
            "patient_responsibility": share, "patient_paid": collected,
            "carc_group": group if allowed < charge else "",
            "carc_code": code if allowed < charge else "", "pr_carc": reason}


def _patient_share(payer, allowed: float, first_line: bool, service: dt.date):
    """Copay on the visit line, else coinsurance, else deductible early in the plan year."""
    copay, coinsurance, deductible = payer[4:7]
    if copay and first_line:
        return float(min(copay, allowed)), "3"
    if deductible and service.month <= 3 and payer[1] == "commercial_ppo":
        return allowed, "1"
    if coinsurance:
        return round(allowed * coinsurance, 2), "2"
    return 0.0, ""
