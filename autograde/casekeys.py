"""The EHR case library's answer keys, which only instructors may see.

Module 7 asks students to code the cases of ``medcode.ehr``, so the coder's key of each case
lives outside the student package, in the instructor-only folder ``answer_keys/ehr/<case>.yaml``
at the top of the repository (not in ``medcode/``, which students import; not in
``notebooks/``, whose assignment folders nbgrader copies whole into the release; not in
``autograde/``, which is packaged). Each file holds::

    icd10cm: [codes in sequence]
    procedures: [{code, modifiers, units}, ...]
    pos: place-of-service code
    rationale: why, in our own words

The tests (``tests/test_ehr.py``) read them here to hold every key to the pinned code sets
(valid, billable ICD-10-CM; CPT/HCPCS, modifiers, NCCI and MUE), to the capstone's hidden keys
and to the place of service the claim builder derives from the chart. Only the lecture's worked
examples are public, in ``medcode/data/ehr/examples.yaml`` (see ``ehr.worked_example``).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from autograde import course
from medcode import ehr

KEYS = course.ROOT / "answer_keys" / "ehr"
FIELDS = {"icd10cm", "procedures", "pos", "rationale"}


def case_ids() -> list[str]:
    """Every case with a key (full ids, c01-..., in order)."""
    return sorted(p.stem for p in KEYS.glob("*.yaml"))


def _path(case_id: str) -> Path:
    path = KEYS / f"{ehr.full_id(case_id)}.yaml"
    if not path.exists():
        raise KeyError(f"no answer key for case {case_id!r} in {KEYS}")
    return path


@lru_cache(maxsize=None)
def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def key(case_id: str) -> dict:
    """The coder's key of a case ("c07" or its full id): icd10cm, procedures, pos, rationale."""
    found = _load(_path(case_id))
    return {**found, "icd10cm": list(found["icd10cm"]),
            "procedures": [dict(line) for line in found["procedures"]]}


def problems(found: dict) -> list[str]:
    """What is wrong with the shape of a key (empty when it is well formed and explained)."""
    if set(found) != FIELDS:
        return [f"a key has exactly the fields {sorted(FIELDS)}, not {sorted(found)}"]
    out = []
    codes = found["icd10cm"]
    if not codes or len(set(codes)) != len(codes):
        out.append("icd10cm must list at least one code, each once")
    if not re.fullmatch(r"\d\d", str(found["pos"])):
        out.append(f"pos {found['pos']!r} is not a two-digit place-of-service code")
    for line in found["procedures"]:
        if set(line) != {"code", "modifiers", "units"}:
            out.append(f"procedure {line} needs exactly code, modifiers and units")
        elif not isinstance(line["units"], int) or line["units"] < 1:
            out.append(f"procedure {line['code']} needs a whole number of units, at least 1")
    explained = codes + [line.get("code") for line in found["procedures"]]
    out += [f"the rationale does not explain {c}" for c in explained if c not in found["rationale"]]
    return out
