"""Accuracy and speed of the word-part engine on the course's list of real terms.

Run: .venv/bin/python benchmarks/bench_terminology.py
Reads tests/data/terminology_terms.csv (term, expected split); prints the exact-split accuracy,
every miss, and the time to split all terms from a cold start. Copy the numbers into README.md.
"""
import csv
import time
from pathlib import Path

from medcode import terminology

CASES = Path(__file__).resolve().parent.parent / "tests" / "data" / "terminology_terms.csv"


def main() -> None:
    with open(CASES, newline="", encoding="utf-8") as handle:
        cases = [(row["term"], row["expected_split"]) for row in csv.DictReader(handle)]
    started = time.perf_counter()
    exact, misses = terminology.accuracy(cases)
    seconds = time.perf_counter() - started
    print(f"word parts: {len(terminology.word_parts())} "
          f"({len(terminology.word_parts('prefix'))} prefixes, "
          f"{len(terminology.word_parts('root'))} combining forms, "
          f"{len(terminology.word_parts('suffix'))} suffixes)")
    print(f"terms: {len(cases)}; exact splits: {exact} ({exact / len(cases):.1%})")
    print(f"time to split every term, cold start: {seconds:.2f} s "
          f"({1000 * seconds / len(cases):.1f} ms per term)")
    for term, expected, got in misses:
        print(f"  miss: {term}: expected {expected}; got {got or 'no split'}")


if __name__ == "__main__":
    main()
