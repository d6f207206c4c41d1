"""Benchmark: the Index and Tables engine against parsing the Index XML, side by side, one run.

1. Fresh interpreter, alternating, median of N runs: ``from medcode import icd10cm;
   icd10cm.index("chest pressure")`` against the standard library's
   ``xml.etree.ElementTree.parse`` of the Index to Diseases and Injuries in CDC's XML schema
   followed by a walk for the same entry -- wall time and peak resident memory of each.
   CDC's Index XML is not kept in the repository (see medcode/data/icd10cm/SOURCE.md), so the
   script writes one in CDC's schema (ICD10CM.index > letter > mainTerm > term, with title,
   nemod, see, seeAlso, code) from the shipped entries, the same 81,024 of them.
2. ``index``, ``neoplasm`` and ``drug``: p50 and p95 over 100 typical queries each, after the
   first (loading) call.
3. Grading does not load the Index: a fresh interpreter that runs the checks a graded ICD-10-CM
   answer uses, with and without the Index module importable, same time and memory.

Usage: .venv/bin/python benchmarks/bench_icd10cm_index.py [N]. Write the tables into README.md.
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PEAK = "import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
ENGINE = ("from medcode import icd10cm; assert icd10cm.index('chest pressure')[0].code == 'R07.89'; "
          + PEAK)
XML_WALK = """
import xml.etree.ElementTree as ET
root = ET.parse({path!r}).getroot()
main = next(m for m in root.iter("mainTerm") if m.findtext("title") == "Pressure")
assert next(t for t in main.iter("term") if t.findtext("title") == "chest").findtext("code") == "R07.89"
""" + PEAK
GRADING = ("import sys; from medcode import checks, icd10cm; checks.is_code('E11.9', 'icd10cm', 'x'); "
           "checks.expect_code('E11.9', 'E11.9', system='icd10cm'); icd10cm.is_billable('N18.3'); "
           "assert 'medcode.icd10cm_index' not in sys.modules; " + PEAK)
INDEX_TERMS = [
    "chest pressure", "pneumonia", "Diabetes type 2 with CKD", "hypertension", "asthma",
    "migraine", "sepsis", "chest pain", "urinary tract infection", "congestive heart failure",
    "acute kidney failure", "type 1 diabetes with ketoacidosis", "acute appendicitis",
    "acute cholecystitis", "gastroenteritis", "acute bronchitis", "acute sinusitis", "anemia",
    "iron deficiency anemia", "hypothyroidism", "hyperlipidemia", "obesity", "depression",
    "anxiety", "insomnia", "headache", "low back pain", "dizziness", "fatigue", "fever",
    "cough", "nausea with vomiting", "constipation", "gastroesophageal reflux", "COPD",
    "atrial fibrillation", "hematuria", "dehydration", "hypokalemia", "cellulitis of left leg",
    "conjunctivitis", "influenza", "COVID-19", "syncope", "hemorrhoids", "osteoporosis", "gout",
    "tachycardia", "acute otitis media", "fracture of left radius", "broken arm",
    "sprain of ankle", "pressure ulcer of sacrum stage 2", "major depressive disorder recurrent",
    "alcohol dependence", "pregnancy", "chronic kidney disease stage 3", "osteoarthritis knee",
    "rheumatoid arthritis", "shortness of breath", "abdominal pain", "rash", "eczema",
    "psoriasis", "acne", "otitis externa", "glaucoma", "cataract", "hearing loss", "vertigo",
    "epilepsy", "parkinson disease", "dementia", "stroke", "transient ischemic attack",
    "angina", "myocardial infarction", "heart failure with reduced ejection fraction",
    "pulmonary embolism", "deep vein thrombosis", "varicose veins", "hernia inguinal",
    "cholelithiasis", "pancreatitis acute", "hepatitis C", "cirrhosis of liver",
    "kidney stone", "benign prostatic hyperplasia", "menopause", "endometriosis",
    "infertility female", "breast lump", "thyroid nodule", "vitamin D deficiency",
    "malnutrition", "tobacco use", "opioid dependence", "long term use of insulin",
    "screening for colon cancer", "encounter for immunization"]
SITES = ["lung", "breast", "colon", "prostate", "bone", "brain", "bladder", "pancreas",
         "stomach", "thyroid gland", "lymph node", "liver", "kidney", "skin of face", "ovary",
         "uterus", "cervix uteri", "rectum", "esophagus", "larynx", "tongue", "testis",
         "adrenal gland", "spinal cord", "bone marrow"]
SUBSTANCES = ["aspirin", "acetaminophen", "warfarin", "insulin", "heroin", "morphine",
              "digoxin", "ibuprofen", "penicillin", "prednisone", "lisinopril", "diazepam",
              "amoxicillin", "fentanyl", "codeine", "oxycodone", "metformin", "lithium",
              "alcohol", "carbon monoxide", "cocaine", "methadone", "furosemide",
              "levothyroxine", "amiodarone"]


def fresh(script: str) -> tuple[float, float]:
    """Wall seconds and peak MiB of one fresh interpreter running ``script``."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout
    return time.perf_counter() - start, int(out.split()[-1]) / 1024


def write_cdc_schema_xml(path: Path) -> None:
    """The shipped Index entries as CDC's XML schema nests them, indented as CDC's file is.

    Run in its own interpreter (``--write-xml PATH``): the fresh processes measured must not
    inherit this process's memory high-water mark, which Linux reports across fork and exec.
    """
    from medcode import icd10cm_index
    book = icd10cm_index._book("index")
    out = ['<?xml version="1.0" encoding="utf-8"?>\n<ICD10CM.index><version>2025</version>'
           "<letter><title>A</title>"]
    open_levels: list[int] = []
    for line in map(book.line, range(len(book))):
        level, title, nemod, see, see_also, code, _ = line.split("\t")
        level = int(level)
        while open_levels and open_levels[-1] >= level:
            closing = open_levels.pop()
            out.append("  " * (closing + 2) + ("</term>" if closing else "</mainTerm>"))
        tag = f'<term level="{level}">' if level else "<mainTerm>"
        pad = "  " * (level + 2)
        parts = [pad, tag, "\n", pad, "  <title>", escape(title)]
        if nemod:
            parts.append(f"<nemod>{escape(nemod)}</nemod>")
        parts.append("</title>")
        for name, value in (("see", see), ("seeAlso", see_also), ("code", code)):
            if value:
                parts.append(f"\n{pad}  <{name}>{escape(value)}</{name}>")
        out.append("".join(parts))
        open_levels.append(level)
    while open_levels:
        closing = open_levels.pop()
        out.append("  " * (closing + 2) + ("</term>" if closing else "</mainTerm>"))
    out.append("</letter></ICD10CM.index>\n")
    path.write_text("\n".join(out), encoding="utf-8")


def latency(name: str, calls) -> tuple[float, float, float]:
    """First-call ms, p50 and p95 ms over ``calls`` (a list of thunks) after the first."""
    start = time.perf_counter()
    calls[0]()
    first = (time.perf_counter() - start) * 1000
    times = []
    for call in calls:
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return first, times[len(times) // 2], times[int(0.95 * (len(times) - 1))]


def main(runs: int = 5) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        xml = Path(tmp) / "icd10cm-index-cdc-schema.xml"
        subprocess.run([sys.executable, __file__, "--write-xml", str(xml)], check=True)
        size = xml.stat().st_size / 2**20
        scripts = {"medcode `icd10cm.index`": ENGINE,
                   f"ElementTree parse of the Index XML ({size:.1f} MiB) + walk":
                   XML_WALK.format(path=str(xml))}
        results = {name: [] for name in scripts}
        for _ in range(runs):
            for name, script in scripts.items():
                results[name].append(fresh(script))
    print(f"### Fresh process, import + first look-up (median of {runs})\n")
    print("| | wall time | peak memory |\n|---|---|---|")
    medians = {}
    for name, values in results.items():
        wall = statistics.median(v[0] for v in values) * 1000
        peak = statistics.median(v[1] for v in values)
        medians[name] = (wall, peak)
        print(f"| {name} | {wall:.0f} ms | {peak:.0f} MiB |")
    (engine_wall, engine_peak), (xml_wall, xml_peak) = medians.values()
    print(f"\nEngine: {xml_wall / engine_wall:.1f}x faster, {engine_peak / xml_peak:.2f} of the memory.\n")

    from medcode import icd10cm
    index_calls = [lambda t=t: icd10cm.index(t) for t in INDEX_TERMS][:100]
    neoplasm_calls = [lambda s=s, c=c: icd10cm.neoplasm(s, c) for s in SITES
                      for c in ("malignant primary", "secondary", "benign", "ca in situ")][:100]
    drug_calls = [lambda s=s, c=c: icd10cm.drug(s, c) for s in SUBSTANCES
                  for c in ("poisoning accidental", "adverse effect", "underdosing",
                            "intentional self-harm")][:100]
    print("### Look-ups, 100 typical queries each, after the first\n")
    print("| function | first call (loads its book) | p50 | p95 |\n|---|---|---|---|")
    for name, calls in (("index", index_calls), ("neoplasm", neoplasm_calls),
                        ("drug", drug_calls)):
        first, p50, p95 = latency(name, calls)
        print(f"| `{name}` | {first:.0f} ms | {p50:.1f} ms | {p95:.1f} ms |")

    grading = [fresh(GRADING) for _ in range(runs)]
    print(f"\n### Grading checks in a fresh process (median of {runs})\n")
    print(f"{statistics.median(g[0] for g in grading) * 1000:.0f} ms, "
          f"{statistics.median(g[1] for g in grading):.0f} MiB; the Index module is never "
          "imported (asserted in the script).")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--write-xml"]:
        write_cdc_schema_xml(Path(sys.argv[2]))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
