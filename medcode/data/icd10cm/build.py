"""Derive the compact ICD-10-CM files that ``medcode.icd10cm`` reads at run time.

Why a derived file: simple_icd_10_cm parses the 10 MB CDC Tabular List XML on every import
(about 1.4 s and 190 MiB), and the engine is imported by every notebook and every graded
submission. This script runs that parse once, at build time, and writes what the engine needs:

* ``codes.txt`` -- the tree in Tabular order, one line per chapter, block, category and
  subcategory: ``depth<TAB>name[<TAB>7th characters]``. A leaf that takes 7th characters lists
  the ones that exist for it; those codes (with their placeholder X) are rebuilt at run time.
* ``text.json.gz`` -- descriptions and the instructional notes of each line, by line number.
* ``release.json`` -- the release label shown in the book, and where the data came from.

Usage (from the repository root)::

    python medcode/data/icd10cm/build.py                      # the pinned release (simple-icd-10-cm 1.5.0)
    python medcode/data/icd10cm/build.py --tabular icd10cm-tabular-2027.xml \\
        --codes icd10cm-codes-2027.txt --label "ICD-10-CM FY2027, October 1, 2026 release" \\
        --out /path/to/icd10cm-2027

The CDC files come from the ICD-10-CM page of NCHS (https://www.cdc.gov/nchs/icd/icd-10-cm/):
the Tabular List XML and the code file (``icd10cm-codes-YYYY.txt``, or the order file).
Point the engine at the output with ``icd10cm.load_release(folder)`` or the
``MEDCODE_ICD10CM_DATA`` environment variable.
"""
from __future__ import annotations

import argparse
import gzip
import json
import tempfile
from importlib.metadata import version as package_version
from pathlib import Path

import simple_icd_10_cm as sicd
from simple_icd_10_cm import simple_icd_10_cm as tree_module

HERE = Path(__file__).resolve().parent
PINNED_LABEL = "ICD-10-CM FY2026, April 1, 2026 update"
LIST_FIELDS = ("excludes1", "excludes2", "includes", "inclusion_term")
TEXT_FIELDS = ("use_additional_code", "code_first", "code_also", "notes", "seven_chr_note")


def _own_notes(node) -> dict:
    """The instructional notes written at this node (not inherited), without empty fields."""
    found = {field: list(getattr(node, field)) for field in LIST_FIELDS if getattr(node, field)}
    found.update({field: getattr(node, field) for field in TEXT_FIELDS if getattr(node, field)})
    if node.seven_chr_def:
        found["seven_chr_def"] = dict(node.seven_chr_def)
    return found


def _seventh_chars(node) -> str | None:
    """The 7th characters of a leaf whose children are all generated 7th-character codes.

    Returns None when the node has ordinary children (or none), after checking that the
    generated children are exactly what the run-time engine will rebuild.
    """
    kids = node.children
    if not kids or any(kid.type != "extended subcategory" for kid in kids):
        return None
    base = node.name + ("." if len(node.name) == 3 else "")
    base = base.ljust(7, "X")
    chars = "".join(kid.name[-1] for kid in kids)
    table = node.seven_chr_def or node.seven_chr_def_ancestor.seven_chr_def
    for kid, char in zip(kids, chars):
        assert kid.name == base + char, (node.name, kid.name)
        assert kid.description == f"{node.description}, {table[char]}", kid.name
        assert not _own_notes(kid), kid.name
    return chars


def _walk(node, depth: int, lines: list, texts: list, notes: dict) -> None:
    chars = _seventh_chars(node)
    lines.append(f"{depth}\t{node.name}" + (f"\t{chars}" if chars else ""))
    own = _own_notes(node)
    if own:
        notes[str(len(texts))] = own
    texts.append(node.description)
    if chars is None:
        for kid in node.children:
            _walk(kid, depth + 1, lines, texts, notes)


def _code_list(codes_file: Path, folder: Path) -> Path:
    """A copy of a CDC code file in the one-code-per-line shape simple_icd_10_cm reads.

    Accepts the CDC code file (``A000  Cholera ...``) or the order file
    (``00001 A00     0 Cholera ...``), whose first field is a sequence number.
    """
    codes = []
    for line in codes_file.read_text(encoding="utf-8", errors="replace").splitlines():
        fields = line.split()
        if fields:
            codes.append(fields[1] if fields[0].isdigit() and len(fields) > 1 else fields[0])
    out = folder / "codes.txt"
    out.write_text("\n".join(codes) + "\n", encoding="utf-8")
    return out


def build(out: Path, label: str, source: str, tabular: Path | None = None,
          codes: Path | None = None) -> None:
    """Load a release into simple_icd_10_cm and write the derived files into ``out``."""
    if tabular:
        with tempfile.TemporaryDirectory() as tmp:
            sicd.change_version(str(_code_list(codes, Path(tmp))), str(tabular))
    lines, texts, notes = [], [], {}
    for chapter in tree_module._chapter_list:
        _walk(chapter, 0, lines, texts, notes)
    out.mkdir(parents=True, exist_ok=True)
    header = f"# {label}: derived by build.py from {source}; see SOURCE.md\n"
    (out / "codes.txt").write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    payload = json.dumps({"description": texts, "notes": notes}, ensure_ascii=False,
                         separators=(",", ":"))
    with gzip.GzipFile(out / "text.json.gz", "wb", mtime=0) as fh:
        fh.write(payload.encode("utf-8"))
    release = {"label": label, "source": source, "lines": len(lines)}
    (out / "release.json").write_text(json.dumps(release, indent=2) + "\n", encoding="utf-8")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tabular", type=Path, help="CDC Tabular List XML (default: the pinned one)")
    parser.add_argument("--codes", type=Path, help="CDC code file or order file for that release")
    parser.add_argument("--label", default=PINNED_LABEL, help="release name shown in the book")
    parser.add_argument("--out", type=Path, default=HERE, help="output folder")
    args = parser.parse_args(argv)
    if bool(args.tabular) != bool(args.codes):
        parser.error("give both --tabular and --codes, or neither")
    source = (f"CDC files {args.tabular.name} and {args.codes.name}" if args.tabular
              else f"simple-icd-10-cm {package_version('simple_icd_10_cm')}")
    build(args.out, args.label, source, args.tabular, args.codes)


if __name__ == "__main__":
    main()
