"""Build ``hcpcs.csv``, every HCPCS Level II code of a CMS Alpha-Numeric HCPCS file.

Two kinds of input, because the course's copy of the January 2026 file was read in two forms
(see SOURCE.md):

- ``--anweb HCPC2026_JAN_ANWEB_01122026.txt``: CMS's own fixed-width file. Each code's long
  descriptor (positions 12-91 of record 3, joined with its record-4 continuation lines), short
  descriptor (92-119), termination date (285-292) and action code (293) are read from it.
- ``--csv hcpcs_codes.csv``: a CSV derived from that file (``HCPCS_CODE, SHORT_DESCRIPTION,
  LONG_DESCRIPTION``). It has no dates, so each code's status comes from ``reviewed.csv``.

``reviewed.csv`` records what was read, code by code, in CMS's files beyond the descriptors:
termination dates, what a quarterly update did (``october_2026``) and codes a quarterly update
added (with its effective date and the descriptor read). A row there wins over the base file.

    python medcode/data/hcpcs/build.py --csv hcpcs_codes.csv
    python medcode/data/hcpcs/build.py --anweb HCPC2027_JAN_ANWEB.txt --out course/hcpcs-2027
"""
from __future__ import annotations

import argparse
import csv
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
LEVEL_II = re.compile(r"[A-V]\d{4}")
COLUMNS = ["code", "description", "short_description", "status", "term_date", "effective_date",
           "october_2026"]


def _date(yyyymmdd: str) -> str:
    text = yyyymmdd.strip()
    return f"{text[:4]}-{text[4:6]}-{text[6:8]}" if len(text) == 8 and text.isdigit() else ""


def read_anweb(path: Path) -> dict[str, dict]:
    """Level II codes of a CMS fixed-width HCPCS file, with dates from the record itself."""
    codes: dict[str, dict] = {}
    for line in path.read_text(encoding="latin-1").splitlines():
        code, record = line[0:5].strip(), line[10:11]
        if not LEVEL_II.fullmatch(code):
            continue
        if record == "3":
            term = _date(line[284:292])
            codes[code] = {"description": line[11:91].strip(), "short_description":
                           line[91:119].strip(), "term_date": term,
                           "status": "terminated" if term else "live"}
        elif record == "4" and code in codes:
            codes[code]["description"] += " " + line[11:91].strip()
    return codes


def read_csv(path: Path) -> dict[str, dict]:
    """Level II codes of the derived CSV; no dates, so every status starts as ``listed``."""
    with open(path, newline="", encoding="utf-8") as fh:
        return {row["HCPCS_CODE"]: {"description": row["LONG_DESCRIPTION"].strip(),
                                    "short_description": row["SHORT_DESCRIPTION"].strip(),
                                    "term_date": "", "status": "listed"}
                for row in csv.DictReader(fh) if LEVEL_II.fullmatch(row["HCPCS_CODE"])}


def apply_reviewed(codes: dict[str, dict], reviewed: Path) -> None:
    """Lay what was read code by code (dates, quarterly changes, added codes) over the file."""
    with open(reviewed, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            entry = codes.setdefault(row["code"], {"description": row["description"],
                                                   "short_description": row["description"],
                                                   "term_date": "", "status": "live"})
            entry["effective_date"] = row["effective_date"]
            entry["october_2026"] = row["october_2026"]
            if row["term_date"]:
                entry["term_date"], entry["status"] = row["term_date"], "terminated"
            elif entry["status"] == "listed":
                entry["status"] = "live"


def write(codes: dict[str, dict], path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, COLUMNS, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        for code in sorted(codes):
            writer.writerow({"code": code, "effective_date": "", "october_2026": "",
                             **codes[code]})


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--anweb", type=Path)
    source.add_argument("--csv", type=Path)
    parser.add_argument("--reviewed", type=Path, default=HERE / "reviewed.csv")
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args(argv)
    codes = read_anweb(args.anweb) if args.anweb else read_csv(args.csv)
    apply_reviewed(codes, args.reviewed)
    args.out.mkdir(parents=True, exist_ok=True)
    write(codes, args.out / "hcpcs.csv")
    statuses = {}
    for entry in codes.values():
        statuses[entry["status"]] = statuses.get(entry["status"], 0) + 1
    print(f"{len(codes)} codes: {statuses}")


if __name__ == "__main__":
    main()
