"""The EHR cases' answer keys never ship in the package students import.

Module 7 grades students on coding the library's cases, and every student imports ``medcode``.
So a case's key (its ICD-10-CM list, its rationale) may live only in the instructor-only folder
``answer_keys/ehr/``; the package keeps the keys of the lectures' two worked examples, and those
two cases are graded nowhere.
"""
import re
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import nbformat
import pytest
import yaml

from autograde import casekeys, course
from medcode import ehr

PACKAGE = Path(ehr.__file__).resolve().parent
EXAMPLES = set(yaml.safe_load(ehr.EXAMPLES.read_text(encoding="utf-8")))
SECRET_CASES = [c for c in casekeys.case_ids() if c not in EXAMPLES]
_Q = r"""['"]?"""


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _list_pattern(codes: list[str]) -> re.Pattern:
    """The code list as a JSON/YAML flow list or a YAML block list, in that order.

    One code alone is no sign of a key (claims and tables list single codes all the time), so a
    one-code list counts only under a key's own field name, ``icd10cm``.
    """
    sep = rf"{_Q}\s*(?:,|\n\s*-)\s*{_Q}"
    body = sep.join(re.escape(c) for c in codes)
    field = "" if len(codes) > 1 else rf"icd10cm{_Q}\s*:\s*"
    return re.compile(rf"{field}(?:\[\s*|^\s*-\s*|\n\s*-\s*){_Q}{body}{_Q}\s*(?:\]|$)", re.M)


def key_traces(root: Path, key: dict) -> list[str]:
    """Each file under ``root`` holding the key's ICD-10-CM list or a sentence of its rationale."""
    pattern = _list_pattern(key["icd10cm"])
    sentences = [s for s in re.split(r"(?<=\.)\s+", _flat(key["rationale"])) if len(s) >= 40]
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix != ".pyc"):
        text = path.read_text(encoding="utf-8", errors="ignore")
        if pattern.search(text) or any(s in _flat(text) for s in sentences):
            found.append(str(path.relative_to(root)))
    return found


def _graded_text(path: Path) -> str:
    """Every graded or solution cell of a notebook, with the question (markdown) just before it."""
    cells, parts = nbformat.read(path, as_version=4).cells, []
    for i, cell in enumerate(cells):
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") or meta.get("solution"):
            before = cells[i - 1].source if i and cells[i - 1].cell_type == "markdown" else ""
            parts += [before, cell.source, meta.get("grade_id", "")]
    return "\n".join(parts)


def test_every_case_has_a_private_key_and_the_package_none():
    assert casekeys.case_ids() == ehr.case_ids()
    assert list(PACKAGE.rglob("*.key.json")) == []
    assert [p.name for p in ehr.SOURCE.glob("*.yaml")
            if "key" in yaml.safe_load(p.read_text(encoding="utf-8"))] == []
    assert not hasattr(ehr, "answer_key")


@pytest.mark.parametrize("case_id", SECRET_CASES)
def test_no_graded_case_key_is_anywhere_in_the_package(case_id):
    assert key_traces(PACKAGE, casekeys.key(case_id)) == [], \
        f"the answer key of {case_id} is in the student package; keep it in answer_keys/ehr/"


def test_the_scan_finds_a_key_however_it_is_written(tmp_path):
    key, single = casekeys.key("c02"), casekeys.key("c12")
    (tmp_path / "flow.yaml").write_text(f"icd10cm: [{', '.join(key['icd10cm'])}]\n")
    (tmp_path / "data.json").write_text(str(key["icd10cm"]).replace("'", '"'))
    (tmp_path / "block.yaml").write_text("icd10cm:\n" + "".join(f"  - {c}\n" for c in key["icd10cm"]))
    (tmp_path / "note.md").write_text("Why:\n" + key["rationale"][:200].replace(" ", "\n  ", 3))
    (tmp_path / "other.yaml").write_text(f"icd10cm: [{key['icd10cm'][0]}, Z00.00]\n")
    assert key_traces(tmp_path, key) == ["block.yaml", "data.json", "flow.yaml", "note.md"]
    (tmp_path / "one.json").write_text(f'{{"icd10cm": ["{single["icd10cm"][0]}"]}}')
    (tmp_path / "claim.json").write_text(f'{{"diagnoses": ["{single["icd10cm"][0]}"]}}')
    assert key_traces(tmp_path, single) == ["one.json"]


def test_worked_examples_are_graded_nowhere_and_match_the_private_keys():
    graded = "\n".join(_graded_text(p) for p in sorted(course.SOURCE.glob("*/*.ipynb")))
    for case in EXAMPLES:
        short = case.split("-")[0]
        assert not re.search(rf"(?<![A-Za-z0-9]){short}(?!\d)", graded), \
            f"{short} is a public worked example, so no graded item may use it"
        assert ehr.worked_example(short) == casekeys.key(short)


def test_worked_example_refuses_every_other_case():
    assert ehr.worked_example("c08")["icd10cm"] == casekeys.key("c08")["icd10cm"]
    with pytest.raises(KeyError, match="not a worked example"):
        ehr.worked_example("c02")


def test_the_private_keys_are_not_packaged():
    """``answer_keys/`` sits beside the packages, is no package, and no package data names it."""
    assert casekeys.KEYS.parent.parent == course.ROOT
    assert not (course.ROOT / "answer_keys" / "__init__.py").exists()
    tool = tomllib.loads((course.ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    includes = tool["packages"]["find"]["include"]
    assert not any(fnmatch("answer_keys", pattern) for pattern in includes)
    package_data = tool.get("package-data", {})
    assert not any("answer_keys" in name or any("answer_keys" in g for g in globs)
                   for name, globs in package_data.items())
    manifest = course.ROOT / "MANIFEST.in"
    assert not manifest.exists() or "answer_keys" not in manifest.read_text()
