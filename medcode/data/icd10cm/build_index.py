"""Build the compact Index and Tables files (``index.tsv.gz`` ...) from CDC's release files.

The CDC publishes four books beside the Tabular List, each as XML: the Alphabetic Index to
Diseases and Injuries (``icd10cm-index-*.xml``), the External Cause of Injuries Index
(``icd10cm-eindex-*.xml``), the Table of Neoplasms (``icd10cm-neoplasm-*.xml``) and the Table of
Drugs and Chemicals (``icd10cm-drug-*.xml``). This script reads them with the standard library
and writes one tab-separated, gzipped line per entry, in the book's order, so the engine
(``medcode.icd10cm_index``) loads a few hundred kilobytes instead of parsing megabytes of XML.

    python medcode/data/icd10cm/build_index.py --index icd10cm-index-2027.xml \\
        --eindex icd10cm-eindex-2027.xml --neoplasm icd10cm-neoplasm-2027.xml \\
        --drug icd10cm-drug-2027.xml --label "ICD-10-CM FY2027 Index and Tables" --out FOLDER

``--index`` also takes the flat CSV export of the Index (columns Level, Term, See, SeeAlso,
NonEssModif, Code) that the pinned release was read from; see SOURCE.md.

Beside each book, ``<book>.words.gz`` lists every word of its titles with the lines that use
it, so the engine finds a word without scanning the book.

Line format, every book: ``level<TAB>title<TAB>nonessential<TAB>see<TAB>see_also`` then, for
the two indexes, ``<TAB>code<TAB>manifestation code``, and for the two tables the six column
cells. Level 0 is a main term.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import sys
import xml.etree.ElementTree as ET
from array import array
from itertools import accumulate
from pathlib import Path

HERE = Path(__file__).resolve().parent
TABLE_COLUMNS = 6


def _clean(text) -> str:
    return " ".join((text or "").split())


def _title(term: ET.Element) -> tuple[str, str]:
    """The printed title without its nonessential modifiers, and the modifiers."""
    title = term.find("title")
    if title is None:
        return "", ""
    nemod = title.find("nemod")
    essential = (title.text or "") + ("" if nemod is None else (nemod.tail or ""))
    return _clean(essential), _clean(None if nemod is None else nemod.text)


def _fields(term: ET.Element, level: int, table: bool) -> list[str]:
    title, nemod = _title(term)
    row = [str(level), title, nemod, _clean(term.findtext("see")), _clean(term.findtext("seeAlso"))]
    if table:
        cells = {cell.get("col"): _clean(cell.text) for cell in term.findall("cell")}
        row += [cells.get(str(col), "") for col in range(2, 2 + TABLE_COLUMNS)]
    else:
        row += [_clean(term.findtext("code")), _clean(term.findtext("manif"))]
    return row


def _walk(term: ET.Element, level: int, table: bool):
    yield _fields(term, level, table)
    for sub in term.findall("term"):
        yield from _walk(sub, int(sub.get("level", level + 1)), table)


def read_xml(path: Path, table: bool) -> list[list[str]]:
    """Every entry of a CDC index or table XML file, depth first, as the book prints them."""
    root = ET.parse(path).getroot()
    return [row for letter in root.findall("letter") for main in letter.findall("mainTerm")
            for row in _walk(main, 0, table)]


def read_index_csv(path: Path) -> list[list[str]]:
    """The Alphabetic Index from its flat CSV export (one row per entry, in book order)."""
    with open(path, newline="", encoding="utf-8") as fh:
        return [[row["Level"], _clean(row["Term"]), _clean(row["NonEssModif"]), _clean(row["See"]),
                 _clean(row["SeeAlso"]), _clean(row["Code"]), ""] for row in csv.DictReader(fh)]


def write_book(rows: list[list[str]], path: Path) -> None:
    """The book's text, and beside it (``<book>.rows.gz``) where each line starts and its
    level: the row count, the byte offsets where lines start (little-endian 32-bit, one more than the rows)
    and one ASCII digit per row -- so the engine slices lines out of the text without
    splitting it."""
    lines = [("\t".join(field.replace("\t", " ") for field in row) + "\n").encode("utf-8")
             for row in rows]
    _write_gzip(b"".join(lines), path)
    starts = array("I", accumulate(map(len, lines), initial=0))
    if sys.byteorder == "big":
        starts.byteswap()
    levels = "".join(row[0] for row in rows).encode("ascii")
    _write_gzip(len(rows).to_bytes(4, "little") + starts.tobytes() + levels,
                path.with_name(path.name.replace(".tsv.gz", ".rows.gz")))


def _write_gzip(data: bytes, path: Path) -> None:
    """Gzip with no timestamp, so a rebuild from the same files gives the same bytes."""
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9,
                                                mtime=0) as fh:
        fh.write(data)


def write_words(rows: list[list[str]], path: Path) -> None:
    """The book's word list: each word of a title or nonessential modifier (as the engine
    splits them), sorted, with the rows that use it as gaps from the previous row, so a
    look-up reads one line instead of scanning the book."""
    from medcode.icd10cm_index import _words
    postings: dict[str, list[int]] = {}
    for number, row in enumerate(rows):
        for word in set(_words(f"{row[1]} {row[2]}")):
            postings.setdefault(word, []).append(number)
    lines = []
    for word in sorted(postings):
        numbers = postings[word]
        gaps = [numbers[0]] + [b - a for a, b in zip(numbers, numbers[1:])]
        lines.append(word + "\t" + " ".join(map(str, gaps)) + "\n")
    _write_gzip("".join(lines).encode("utf-8"), path)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", required=True, type=Path)
    parser.add_argument("--eindex", required=True, type=Path)
    parser.add_argument("--neoplasm", required=True, type=Path)
    parser.add_argument("--drug", required=True, type=Path)
    parser.add_argument("--label", required=True)
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    books = {
        "index": read_index_csv(args.index) if args.index.suffix == ".csv"
        else read_xml(args.index, table=False),
        "eindex": read_xml(args.eindex, table=False),
        "neoplasm": read_xml(args.neoplasm, table=True),
        "drug": read_xml(args.drug, table=True),
    }
    sources = {"index": args.index, "eindex": args.eindex, "neoplasm": args.neoplasm,
               "drug": args.drug}
    meta = {"label": args.label, "books": {}}
    for name, rows in books.items():
        write_book(rows, args.out / f"{name}.tsv.gz")
        write_words(rows, args.out / f"{name}.words.gz")
        meta["books"][name] = {"source": sources[name].name, "sha256": sha256(sources[name]),
                               "entries": len(rows),
                               "main_terms": sum(row[0] == "0" for row in rows)}
    (args.out / "index_release.json").write_text(json.dumps(meta, indent=2) + "\n",
                                                 encoding="utf-8")
    print(json.dumps(meta, indent=2))


if __name__ == "__main__":
    main()
