"""Accuracy and speed of the word-part engine on the course's lists of real terms.

Run: .venv/bin/python benchmarks/bench_terminology.py
Reads tests/data/terminology_terms.csv (the main list) and terminology_heldout.csv (terms kept
out of development until the engine was first finished), each row a term and its expected
split; prints the exact-split accuracy, every miss, and the time to split all terms from a cold
start. Copy the numbers into README.md.
"""
import csv
import time
from pathlib import Path

from medcode import terminology

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
LISTS = ("terminology_terms.csv", "terminology_heldout.csv")


def report(name: str) -> None:
    with open(DATA / name, newline="", encoding="utf-8") as handle:
        cases = [(row["term"], row["expected_split"]) for row in csv.DictReader(handle)]
    started = time.perf_counter()
    exact, misses = terminology.accuracy(cases)
    seconds = time.perf_counter() - started
    print(f"{name}: {len(cases)} terms; exact splits: {exact} ({exact / len(cases):.1%}); "
          f"{seconds:.2f} s ({1000 * seconds / len(cases):.1f} ms per term)")
    for term, expected, got in misses:
        print(f"  miss: {term}: expected {expected}; got {got or 'no split'}")


def main() -> None:
    print(f"word parts: {len(terminology.word_parts())} "
          f"({len(terminology.word_parts('prefix'))} prefixes, "
          f"{len(terminology.word_parts('root'))} combining forms, "
          f"{len(terminology.word_parts('suffix'))} suffixes)")
    for name in LISTS:
        report(name)


if __name__ == "__main__":
    main()
