"""Measure medcode.deid on the labelled synthetic notes and write the numbers into README.md.

Run: .venv/bin/python benchmarks/deid_scores.py          (prints the table)
     .venv/bin/python benchmarks/deid_scores.py --write  (also rewrites the README section)

The section sits between the two marker comments below, so re-running replaces it.
"""
import sys
from datetime import date
from pathlib import Path

from medcode import deid

ROOT = Path(__file__).resolve().parent.parent
NOTES = ROOT / "tests" / "data" / "deid_notes.txt"
README = ROOT / "README.md"
START, END = "<!-- deid-scores:start -->", "<!-- deid-scores:end -->"
TODAY = date(2026, 11, 22)   # fixed, so a birth year's age over 89 is judged the same every run


def table() -> str:
    """The measured numbers as a Markdown block."""
    r = deid.measure(deid.read_labelled(NOTES), TODAY)
    return "\n".join([
        START,
        f"Measured by `benchmarks/deid_scores.py` on {r['notes']} synthetic labelled notes "
        f"(`tests/data/deid_notes.txt`, {r['gold']} marked identifiers); "
        "`tests/test_deid.py` fails below recall 0.98 or precision 0.90.",
        "",
        "| recall (identifiers wholly removed) | precision (removed spans that were identifiers) |",
        "|---|---|",
        f"| {r['recall']:.3f} ({r['caught']}/{r['gold']}) | {r['precision']:.3f} ({r['right']}/{r['found']}) |",
        END,
    ])


def write(block: str) -> None:
    """Replace the marked section of README.md, or append it under its own heading."""
    text = README.read_text(encoding="utf-8")
    if START in text:
        head, rest = text.split(START, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n## De-identification (HIPAA Safe Harbor)\n\n" + block + "\n"
    README.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    block = table()
    print(block)
    if "--write" in sys.argv:
        write(block)
