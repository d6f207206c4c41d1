"""Benchmark: medcode.icd10cm against simple_icd_10_cm, side by side, in one run.

Measures, for each library, a fresh ``python -c`` that imports it and checks one code
(wall time and the process's peak resident memory, median of N runs, alternating so the
shared machine's load falls on both alike); then the engine's ``search`` latency (p50/p95
over a list of queries after the first, index-building call) and its memory with everything
loaded. Write the printed table into README.md. Usage: python benchmarks/bench_icd10cm.py [N]
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import time

PEAK = "import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
FRESH = {
    "medcode.icd10cm": "from medcode import icd10cm; assert icd10cm.is_billable('E11.9'); " + PEAK,
    "simple_icd_10_cm": "import simple_icd_10_cm as s; assert s.is_leaf('E11.9'); " + PEAK,
}
QUERIES = ["high blood pressure", "type 2 diabetes with chronic kidney disease", "asthma",
           "fracture of lower end of right radius", "poisoning by penicillin", "fall from ladder",
           "pneumonia due to streptococcus", "major depressive disorder recurrent severe",
           "chronic obstructive pulmonary disease with exacerbation", "urinary tract infection",
           "migraine without aura", "osteoarthritis of knee", "pregnancy supervision",
           "malignant neoplasm of breast", "encounter for immunization", "sprain of ankle",
           "heart failure", "hyperlipidemia", "low back pain", "abdominal pain"]
FULL = ("import time, resource; from medcode import icd10cm as m\n"
        "m.describe('E11.9'); m.notes('S52.521A'); t = time.perf_counter(); m.search('asthma')\n"
        "first = time.perf_counter() - t; times = []\n"
        f"for q in {QUERIES!r} * 5:\n"
        "    t = time.perf_counter(); m.search(q); times.append(time.perf_counter() - t)\n"
        "times.sort(); p = lambda f: times[int(f * (len(times) - 1))] * 1000\n"
        "print(first * 1000, p(0.5), p(0.95), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")


def fresh(script: str) -> tuple[float, float]:
    """Wall seconds and peak MiB of one fresh interpreter running ``script``."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout
    return time.perf_counter() - start, int(out.split()[-1]) / 1024


def main(runs: int = 5) -> None:
    results = {name: [] for name in FRESH}
    for _ in range(runs):
        for name, script in FRESH.items():
            results[name].append(fresh(script))
    print(f"fresh process, import + is_billable('E11.9'), median of {runs} runs")
    print("| library | wall time | peak memory |\n|---|---|---|")
    medians = {}
    for name, samples in results.items():
        wall = statistics.median(s[0] for s in samples)
        peak = statistics.median(s[1] for s in samples)
        medians[name] = (wall, peak)
        print(f"| {name} | {wall * 1000:.0f} ms | {peak:.0f} MiB |")
    ours, theirs = medians["medcode.icd10cm"], medians["simple_icd_10_cm"]
    print(f"\nspeed-up {theirs[0] / ours[0]:.1f}x; memory {ours[1] / theirs[1]:.2f} of simple_icd_10_cm")
    first, p50, p95, peak = (float(x) for x in subprocess.run(
        [sys.executable, "-c", FULL], capture_output=True, text=True, check=True).stdout.split())
    print(f"search: first call (loads text, builds index) {first:.0f} ms; then "
          f"p50 {p50:.1f} ms, p95 {p95:.1f} ms over {len(QUERIES) * 5} queries; "
          f"peak memory with everything loaded {peak / 1024:.0f} MiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
