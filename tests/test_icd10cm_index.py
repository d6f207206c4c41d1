"""The ICD-10-CM Index and Tables: every entry against the Tabular List, look-ups from the book."""
import re
import subprocess
import sys
import textwrap

import pytest

from medcode import icd10cm, icd10cm_index
from medcode.data.icd10cm import build_index

BOOKS = ("index", "eindex", "neoplasm", "drug")
NO_CODE = {"", "-", "--"}
CODE = re.compile(r"[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{0,4})?-?")


def printed_codes(name):
    """(row, code) for every code a book prints."""
    book = icd10cm_index._book(name)
    for row in range(len(book)):
        line = book.line(row)
        fields = line.split("\t")
        for code in (fields[5:7] if name in ("index", "eindex") else fields[5:]):
            if code not in NO_CODE:
                yield row, code


@pytest.mark.parametrize("name", BOOKS)
def test_every_printed_code_is_in_the_pinned_tabular_list(name):
    missing, malformed, dashed = [], [], []
    for row, code in printed_codes(name):
        if not CODE.fullmatch(code):
            malformed.append(code)
            continue
        plain = code.rstrip("-").rstrip(".")
        if not icd10cm.is_valid(plain):
            missing.append((code, icd10cm_index._path(icd10cm_index._book(name), row)))
        if code.endswith("-"):
            dashed.append(code)
    assert not malformed, malformed[:20]
    assert not missing, missing[:20]
    # CDC's own incomplete entries: printed with a dash, finished in the Tabular List
    assert all(icd10cm.is_valid(code.rstrip("-").rstrip(".")) for code in dashed)


@pytest.mark.parametrize("name", BOOKS)
def test_every_level_follows_its_parent(name):
    book = icd10cm_index._book(name)
    previous = -1
    for line in map(book.line, range(len(book))):
        level = int(line.split("\t")[0])
        assert level <= previous + 1
        previous = level


# Look-ups as the printed CDC Index prints them: term typed -> code of the first hit.
INDEX = {
    "chest pressure": "R07.89", "pressure, chest": "R07.89", "Pressure chest": "R07.89",
    "pneumonia": "J18.9", "Diabetes type 2 with CKD": "E11.22", "hypertension": "I10",
    "asthma": "J45.909", "migraine": "G43.909", "sepsis": "A41.9", "chest pain": "R07.9",
    "urinary tract infection": "N39.0", "UTI": "N39.0", "congestive heart failure": "I50.9",
    "type 1 diabetes with ketoacidosis": "E10.10", "acute appendicitis": "K35.80",
    "acute cholecystitis": "K81.0", "gastroenteritis": "K52.9", "acute bronchitis": "J20.9",
    "acute sinusitis": "J01.90", "pharyngitis": "J02.9", "anemia": "D64.9",
    "iron deficiency anemia": "D50.9", "hypothyroidism": "E03.9", "hyperlipidemia": "E78.5",
    "obesity": "E66.9", "morbid obesity": "E66.01", "depression": "F32.A", "anxiety": "F41.9",
    "insomnia": "G47.00", "headache": "R51.9", "low back pain": "M54.50", "dizziness": "R42",
    "fatigue": "R53.83", "fever": "R50.9", "cough": "R05.9", "nausea with vomiting": "R11.2",
    "constipation": "K59.00", "gastroesophageal reflux": "K21.9", "COPD": "J44.9",
    "atrial fibrillation": "I48.91", "hematuria": "R31.9", "dehydration": "E86.0",
    "hypokalemia": "E87.6", "cellulitis": "L03.90", "conjunctivitis": "H10.9",
    "influenza": "J11.1", "COVID-19": "U07.1", "syncope": "R55", "hemorrhoids": "K64.9",
    "osteoporosis": "M81.0", "gout": "M10.9", "tachycardia": "R00.0",
    "acute otitis media": "H66.90", "essential hypertension": "I10",
    "nicotine dependence cigarettes": "F17.210", "otitis media suppurative acute": "H66.00-",
    "fracture of left radius": "S52.9-", "pathological fracture radius": "M84.43-",
}
EXTERNAL = {"fall from ladder": "W11", "dog bite": "W54.0", "cat bite": "W55.01",
            "activity walking": "Y93.01"}
NEOPLASM = [
    ("lung", "malignant primary", "C34.9-"), ("lung", "secondary", "C78.0-"),
    ("breast", "malignant primary", "C50.9-"), ("breast", "secondary", "C79.81"),
    ("breast", "ca in situ", "D05.-"), ("colon", "malignant primary", "C18.9"),
    ("colon", "secondary", "C78.5"), ("colon", "benign", "D12.6"),
    ("colon", "ca in situ", "D01.0"), ("prostate", "malignant primary", "C61"),
    ("prostate", "secondary", "C79.82"), ("prostate", "benign", "D29.1"),
    ("bone", "secondary", "C79.51"), ("brain", "malignant primary", "C71.9"),
    ("brain", "secondary", "C79.31"), ("bladder", "malignant primary", "C67.9"),
    ("bladder", "secondary", "C79.11"), ("pancreas", "malignant primary", "C25.9"),
    ("stomach", "malignant primary", "C16.9"), ("thyroid gland", "malignant primary", "C73"),
    ("thyroid gland", "benign", "D34"), ("lymph node", "secondary", "C77.9"),
    ("liver", "secondary", "C78.7"), ("kidney", "malignant primary", "C64.-"),
]
DRUGS = [
    ("aspirin", "adverse effect", "T39.015"), ("aspirin", "poisoning accidental", "T39.011"),
    ("acetaminophen", "accidental", "T39.1X1"), ("warfarin", "adverse effect", "T45.515"),
    ("insulin", "underdosing", "T38.3X6"), ("heroin", "accidental", "T40.1X1"),
    ("morphine", "adverse effect", "T40.2X5"), ("digoxin", "adverse effect", "T46.0X5"),
    ("ibuprofen", "accidental", "T39.311"), ("penicillin", "adverse effect", "T36.0X5"),
    ("prednisone", "adverse effect", "T38.0X5"), ("lisinopril", "adverse effect", "T46.4X5"),
    ("diazepam", "intentional self-harm", "T42.4X2"), ("amoxicillin", "adverse effect", "T36.0X5"),
    ("fentanyl", "accidental", "T40.411"),
]


def test_at_least_sixty_lookups_from_the_book():
    assert len(INDEX) + len(EXTERNAL) + len(NEOPLASM) + len(DRUGS) >= 60


@pytest.mark.parametrize("term,code", INDEX.items())
def test_index_first_hit(term, code):
    assert icd10cm.index(term)[0].code == code


@pytest.mark.parametrize("term,code", EXTERNAL.items())
def test_external_cause_first_hit(term, code):
    assert icd10cm.external_cause(term)[0].code == code


@pytest.mark.parametrize("site,column,code", NEOPLASM)
def test_neoplasm_table(site, column, code):
    assert icd10cm.neoplasm(site, column) == code


@pytest.mark.parametrize("substance,column,code", DRUGS)
def test_drug_table(substance, column, code):
    assert icd10cm.drug(substance, column) == code


def test_a_hit_keeps_the_printed_path_and_says_what_to_verify():
    hit = icd10cm.index("Diabetes type 2 with CKD")[0]
    assert hit.path == ("Diabetes, diabetic (mellitus) (sugar)", "type 2", "with",
                        "chronic kidney disease")
    assert "billable" in hit.verify
    dashed = next(h for h in icd10cm.index("otitis media suppurative acute") if h.code.endswith("-"))
    assert "dash" in dashed.verify and "Tabular List" in dashed.verify
    see = icd10cm.index("broken arm")[0]
    assert see.see == "Fracture, arm" and see.code == ""
    assert "see Fracture, arm" in str(see)


def test_drug_codes_need_a_seventh_character_from_the_tabular_list():
    code = icd10cm.drug("aspirin", "adverse effect")
    assert not icd10cm.is_billable(code) and icd10cm.is_billable(code + "A")


@pytest.mark.parametrize("bad", [None, "", "   ", 5, 3.2, True, "!!!", ["chest"], b"chest"])
def test_bad_terms_give_an_empty_list(bad):
    assert icd10cm.index(bad) == []
    assert icd10cm.external_cause(bad) == []


@pytest.mark.parametrize("bad", [None, "", 5, "!!!"])
def test_bad_sites_and_substances_raise_a_plain_value_error(bad):
    with pytest.raises(ValueError, match="type its name"):
        icd10cm.neoplasm(bad, "benign")
    with pytest.raises(ValueError, match="type its name"):
        icd10cm.drug(bad, "adverse effect")


@pytest.mark.parametrize("column", ["purple", "", None, 3])
def test_a_wrong_column_names_the_columns(column):
    with pytest.raises(ValueError, match="malignant primary"):
        icd10cm.neoplasm("lung", column)
    with pytest.raises(ValueError, match="underdosing"):
        icd10cm.drug("aspirin", column)


def test_unknown_words_give_no_hit_and_a_clear_table_error():
    assert icd10cm.index("zzqxv") == []
    with pytest.raises(ValueError, match="No row"):
        icd10cm.drug("zzqxv", "adverse effect")


def test_a_check_that_does_not_look_terms_up_does_not_load_the_index():
    script = textwrap.dedent("""
        import sys
        from medcode import checks, icd10cm
        checks.is_code("E11.9", "icd10cm", "dx")
        icd10cm.is_billable("N18.3"); icd10cm.explain("S06.0X0")
        assert "medcode.icd10cm_index" not in sys.modules, "the Index was loaded"
        icd10cm.index("pneumonia")
        assert "medcode.icd10cm_index" in sys.modules
    """)
    subprocess.run([sys.executable, "-c", script], check=True)


def test_the_xml_reader_keeps_titles_modifiers_references_and_cells(tmp_path):
    index = tmp_path / "index.xml"
    index.write_text("""<?xml version="1.0" encoding="utf-8"?>
<ICD10CM.index><version>2099</version><letter><title>A</title>
  <mainTerm><title>Abasia<nemod>(-astasia) (hysterical)</nemod> NEC</title><code>F44.4</code>
    <term level="1"><title>trembling</title><see>Tremor</see></term>
    <term level="1"><title>with</title><seeAlso>Gait</seeAlso>
      <term level="2"><title>ataxia</title><code>R26.0</code><manif>G32.8</manif></term>
    </term>
  </mainTerm></letter></ICD10CM.index>""", encoding="utf-8")
    rows = build_index.read_xml(index, table=False)
    assert rows == [["0", "Abasia NEC", "(-astasia) (hysterical)", "", "", "F44.4", ""],
                    ["1", "trembling", "", "Tremor", "", "", ""],
                    ["1", "with", "", "", "Gait", "", ""],
                    ["2", "ataxia", "", "", "", "R26.0", "G32.8"]]
    table = tmp_path / "drug.xml"
    table.write_text("""<?xml version="1.0" encoding="utf-8"?>
<ICD10CM.index><letter><title>A</title><mainTerm><title>Aspirin</title>
  <cell col="2">T39.011</cell><cell col="6">T39.015</cell><cell col="7">--</cell>
</mainTerm></letter></ICD10CM.index>""", encoding="utf-8")
    assert build_index.read_xml(table, table=True) == [
        ["0", "Aspirin", "", "", "", "T39.011", "", "", "", "T39.015", "--"]]


def test_the_release_label_is_stated():
    assert "FY2025" in icd10cm_index.version()


@pytest.mark.parametrize("answer,reason", [
    ("N18.3", "Incomplete code: .*N18.3 is a subcategory"), ("S06.0X0", "need a 7th character"),
    ("E11", "Incomplete code: .*E11 is a category"), ("Z99.99", "not an ICD-10-CM code")])
def test_the_visible_check_flags_an_incomplete_code_with_its_reason(answer, reason):
    from medcode import checks
    with pytest.raises(checks.AnswerProblem, match=reason):
        icd10cm.check_billable(answer, "dx")


def test_the_visible_check_passes_a_billable_code_without_judging_it(capsys):
    icd10cm.check_billable("s06.0x0a", "dx")
    out = capsys.readouterr().out
    assert "billable" in out and "checked when your work is graded" in out


def test_index_first_feedback_names_where_the_path_starts_never_the_key():
    import nbformat
    from pathlib import Path
    path = Path(__file__).resolve().parents[1] / "notebooks/m3_icd10cm/05_index_first.ipynb"
    calls = re.findall(r'expect_code\(\w+, "([^"]+)", system="icd10cm",\s+'
                       r'hint=icd10cm_index\.start_hint\("([^"]+)"(?:, "(\w+)")?\)\)',
                       "\n".join(c.source for c in nbformat.read(path, 4).cells))
    assert len(calls) >= 15
    for key, term, book in calls:
        hint = icd10cm_index.start_hint(term, book or "index")
        assert key not in hint and key.split(".")[0] not in hint
        assert "Tabular List" in hint
        assert icd10cm.is_billable(key)
