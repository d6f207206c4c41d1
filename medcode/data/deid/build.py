"""Derive the name gazetteer that ``medcode.deid`` reads, from the US Census 1990 name files.

Why a gazetteer: a note names people without a title or a label before them ("Maria
Exampleton came in today"), and only knowing that Maria is a given name finds that one.
The Census Bureau's 1990 frequency files of given names and surnames are public domain; the
PyPI package ``names`` 0.3.0 (MIT licence) ships them unchanged as ``dist.female.first``,
``dist.male.first`` and ``dist.all.last`` (columns: NAME, frequency %, cumulative %, rank).

Writes ``given_names.txt`` (every given name of both files) and ``surnames.txt`` (the
surnames up to the cumulative share below, the common ones), one name a line, Title case,
sorted. Usage (from the repository root)::

    pip download --no-deps names==0.3.0 && tar xzf names-0.3.0.tar.gz
    python medcode/data/deid/build.py names-0.3.0/names
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SURNAME_SHARE = 75.0   # keep surnames until this cumulative % of the 1990 population


def _rows(path: Path):
    for line in path.read_text(encoding="ascii").splitlines():
        name, _share, cumulative, _rank = line.split()
        yield name.title(), float(cumulative)


def build(folder: Path) -> tuple[int, int]:
    given = sorted({name for f in ("dist.female.first", "dist.male.first")
                    for name, _ in _rows(folder / f)})
    surnames = sorted({name for name, cumulative in _rows(folder / "dist.all.last")
                       if cumulative <= SURNAME_SHARE})
    (HERE / "given_names.txt").write_text("\n".join(given) + "\n", encoding="ascii")
    (HERE / "surnames.txt").write_text("\n".join(surnames) + "\n", encoding="ascii")
    return len(given), len(surnames)


if __name__ == "__main__":
    print(build(Path(sys.argv[1])))
