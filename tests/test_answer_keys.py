"""Every code in every answer key of the course is a real, billable code of the pinned release.

Keys are read from the source notebooks' code (``autograde.keys``), not by running them, and
from the EHR case library's instructor-only keys (``answer_keys/ehr/``, read by
``autograde.casekeys``), put in the same form. To add a check for another code set, filter
``keys.calls(...)`` by ``call.system`` the same way.
"""
import pytest

from autograde import author, casekeys, keys
from medcode import checks, cpt, hcpcs, icd10cm, modifiers

CODE_CHECKS = ("expect_code", "expect_codes")


def icd10cm_key_problems(calls) -> list[str]:
    """Each ICD-10-CM key that cannot be read, or is not a billable code of the release."""
    problems = []
    for call in calls:
        if call.system != "icd10cm":
            continue
        if not call.literal or not call.codes:
            problems.append(f"{call.where}: write the key as a literal code or list of codes")
        for code in call.codes:
            if not icd10cm.is_billable(code):
                problems.append(f"{call.where}: {icd10cm.explain(code)}")
    return problems


def procedure_key_problems(calls) -> list[str]:
    """Each CPT, HCPCS or modifier key that cannot be read or is not in the course's code sets.

    CPT keys must be code numbers in ``medcode/data/cpt/cpt.csv`` (every one read in the CMS
    CY 2026 fee-schedule file); HCPCS keys must be in the CMS Level II table *and* current (live
    in the CMS HCPCS 2026 January file and not discontinued by the October 2026 update,
    ``hcpcs.is_current``); modifier keys must be in the modifier table.
    """
    problems = []
    for call in calls:
        if call.system not in ("cpt", "hcpcs", "modifier"):
            continue
        if not call.literal or not call.codes:
            problems.append(f"{call.where}: write the key as a literal code or list of codes")
        for code in call.codes:
            if call.system == "cpt" and not cpt.is_valid(code):
                problems.append(f"{call.where}: {code!r} is not in the course's CPT list "
                                "(medcode/data/cpt/cpt.csv)")
            elif call.system == "hcpcs" and not (hcpcs.is_current(code)
                                                 and hcpcs.status(code) == "live"):
                problems.append(f"{call.where}: {code!r} is not a HCPCS code current in the "
                                "CMS HCPCS 2026 files with its dates read "
                                "(medcode/data/hcpcs/hcpcs.csv, status live)")
            elif call.system == "modifier" and not modifiers.is_valid(code):
                problems.append(f"{call.where}: {code!r} is not in the modifier table")
    return problems


def unlabelled_code_keys(calls) -> list[str]:
    """Code-checking calls whose key looks like an ICD-10-CM code but that name no code set."""
    return [f"{call.where}: {call.function} with key {call.key!r} needs system=\"icd10cm\" (or "
            "the code set it belongs to)"
            for call in calls if call.system is None
            and any(keys.ICD_SHAPE.match(checks.normalize_code(c)) for c in call.codes)]


@pytest.fixture(scope="module")
def course_calls():
    return keys.calls(*CODE_CHECKS)


def test_every_icd10cm_answer_key_is_valid_and_billable(course_calls):
    assert any(call.system == "icd10cm" for call in course_calls)
    problems = icd10cm_key_problems(course_calls)
    assert not problems, "\n".join(problems)


def test_every_procedure_answer_key_is_a_real_code(course_calls):
    problems = procedure_key_problems(course_calls)
    assert not problems, "\n".join(problems)


def test_every_code_key_names_its_code_set(course_calls):
    problems = unlabelled_code_keys(course_calls)
    assert not problems, "\n".join(problems)


def case_library_calls() -> list:
    """Each EHR case key as the code checks a hidden test would make: its diagnoses, then each
    procedure's code (CPT when it starts with a digit, else HCPCS) and its modifiers."""
    calls = []
    for case in casekeys.case_ids():
        key, path = casekeys.key(case), casekeys.KEYS / f"{case}.yaml"

        def call(label, codes, system):
            calls.append(keys.KeyCall(path, label, 0, "expect_codes",
                                      {"key": codes, "system": system}))
        call("icd10cm", key["icd10cm"], "icd10cm")
        for line in key["procedures"]:
            call(line["code"], [line["code"]], "cpt" if line["code"][0].isdigit() else "hcpcs")
            if line["modifiers"]:
                call(f"{line['code']} modifiers", line["modifiers"], "modifier")
    return calls


def test_every_ehr_case_key_is_valid_and_billable():
    """ICD-10-CM valid and billable; CPT in the course's list, HCPCS live in 2026, real modifiers."""
    calls = case_library_calls()
    assert len({c.notebook for c in calls}) >= 40
    problems = icd10cm_key_problems(calls) + procedure_key_problems(calls)
    assert not problems, "\n".join(problems)


def test_the_case_key_scan_reads_every_code():
    found = {c.cell: (c.system, c.codes) for c in case_library_calls()
             if c.notebook.stem == "c01-fm-new-htn"}
    assert found == {"icd10cm": ("icd10cm", ["I10", "F17.210"]), "99203": ("cpt", ["99203"]),
                     "99203 modifiers": ("modifier", ["25"]), "99406": ("cpt", ["99406"])}


def test_every_notebook_cell_can_be_read_for_keys():
    assert not keys.unparsable()


@pytest.fixture
def flawed_notebook(tmp_path):
    """A notebook with each kind of key the scan must read, and each mistake it must catch."""
    hidden = """
        KEY = "E11.9"
        %matplotlib inline
        checks.expect_code(a, "E11.9", system="icd10cm")
        checks.expect_code(a, KEY, "icd10cm")
        checks.expect_codes(a, ["S52.521", "I10"], True, "icd10cm")
        checks.expect_code(a, "T36.01A", system="icd10cm")
        checks.expect_code(a, "e11.65")
        checks.expect_codes(a, ["99213"], system="cpt")
        checks.expect_code(a, unknown_key, system="icd10cm")
    """
    path = tmp_path / "flawed.ipynb"
    author.write(path, [author.code(hidden, grade_id="flawed_test")])
    return path


def test_the_scan_binds_keys_like_checks_does(flawed_notebook):
    found = keys.calls(*CODE_CHECKS, notebooks=[flawed_notebook])
    assert [(c.function, c.system, c.codes) for c in found] == [
        ("expect_code", "icd10cm", ["E11.9"]), ("expect_code", "icd10cm", ["E11.9"]),
        ("expect_codes", "icd10cm", ["S52.521", "I10"]), ("expect_code", "icd10cm", ["T36.01A"]),
        ("expect_code", None, ["e11.65"]), ("expect_codes", "cpt", ["99213"]),
        ("expect_code", "icd10cm", [])]
    assert found[2].arguments["ordered"] is True and not found[-1].literal


def test_the_checks_catch_bad_and_unlabelled_keys(flawed_notebook):
    found = keys.calls(*CODE_CHECKS, notebooks=[flawed_notebook])
    problems = icd10cm_key_problems(found)
    assert len(problems) == 3
    assert "7th character" in problems[0] and "placeholder X" in problems[1]
    assert "literal" in problems[2]
    unlabelled = unlabelled_code_keys(found)
    assert len(unlabelled) == 1 and "e11.65" in unlabelled[0]


def test_the_procedure_check_catches_made_up_and_stale_codes(tmp_path):
    hidden = """
        checks.expect_code(a, "J1885", system="hcpcs")
        checks.expect_code(a, "J9999X", system="hcpcs")
        checks.expect_code(a, "J1030", system="hcpcs")
        checks.expect_codes(a, ["99213", "25"], system="cpt")
        checks.expect_code(a, "99213", system="cpt")
        checks.expect_code(a, "12345", system="cpt")
        checks.expect_code(a, "LT", system="modifier")
        checks.expect_code(a, "Q9", system="modifier")
    """
    path = tmp_path / "procedures.ipynb"
    author.write(path, [author.code(hidden, grade_id="procedures_test")])
    problems = procedure_key_problems(keys.calls(*CODE_CHECKS, notebooks=[path]))
    # J9999X made up; J1030 was a real code until CMS discontinued it on 2024-03-31;
    # "25" is a modifier, not a CPT code; 12345 is not a CPT code in the list; Q9 is a real CMS
    # modifier (foot-care class findings) but not one in the course's modifier table.
    assert [p.split(": ", 1)[1].split()[0] for p in problems] == [
        "'J9999X'", "'J1030'", "'25'", "'12345'", "'Q9'"]
