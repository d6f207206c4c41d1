"""The ICD-10-CM Alphabetic Index and its Tables: where a coder starts, before the Tabular List.

Four books, loaded lazily and separately (a notebook that never looks a term up never reads
them): the Index to Diseases and Injuries, the External Cause of Injuries Index, the Table of
Neoplasms and the Table of Drugs and Chemicals, from the compact files in
``medcode/data/icd10cm`` (see SOURCE.md there for the release and how they were built).

Notebooks reach these through ``icd10cm.index``, ``icd10cm.external_cause``,
``icd10cm.neoplasm`` and ``icd10cm.drug``.

A look-up works as a coder reads the book: a hit is an entry whose main term or subterms hold
the words typed, wherever in the line they sit, so "chest pressure", "pressure, chest" and
"Pressure chest" all reach Pressure > chest. The most words matched win; then an entry whose
main term was typed; then the one with the fewest words that were not typed (a typed word
found only among nonessential modifiers counts as half a match: one such word weighs as one
untyped word); then an entry with a code over a see reference; then an entry under the
larger main term (of "Fracture, traumatic" and "Fracture, pathological", the general one);
then the shallower, earlier entry.
"""
from __future__ import annotations

import bisect
import gzip
import json
import os
import re
import sys
from array import array
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

__all__ = ["IndexHit", "TableRow", "index", "external_cause", "neoplasm", "drug",
           "NEOPLASM_COLUMNS", "DRUG_COLUMNS", "version", "table_rows", "start_hint"]

PINNED = Path(__file__).resolve().parent / "data" / "icd10cm"

NEOPLASM_COLUMNS = ("malignant primary", "malignant secondary", "ca in situ", "benign",
                    "uncertain behavior", "unspecified behavior")
DRUG_COLUMNS = ("poisoning accidental", "poisoning intentional self-harm", "poisoning assault",
                "poisoning undetermined", "adverse effect", "underdosing")

# Other ways a student names a column: each maps to the column's position.
_COLUMN_WORDS = {
    "neoplasm": {"primary": 0, "malignant": 0, "malignant primary": 0, "secondary": 1,
                 "malignant secondary": 1, "metastatic": 1, "in situ": 2, "ca in situ": 2,
                 "carcinoma in situ": 2, "benign": 3, "uncertain": 4, "uncertain behavior": 4,
                 "uncertain behaviour": 4, "unspecified": 5, "unspecified behavior": 5,
                 "unspecified behaviour": 5},
    "drug": {"accidental": 0, "poisoning accidental": 0, "poisoning": 0, "unintentional": 0,
             "intentional": 1, "self-harm": 1, "self harm": 1, "intentional self-harm": 1,
             "poisoning intentional self-harm": 1, "suicide attempt": 1, "assault": 2,
             "poisoning assault": 2, "undetermined": 3, "poisoning undetermined": 3,
             "adverse": 4, "adverse effect": 4, "side effect": 4, "underdosing": 5,
             "underdose": 5},
}

# Abbreviations a student types, spelled as the Index spells them.
_ABBREVIATIONS = {
    "ckd": "chronic kidney disease", "copd": "chronic obstructive pulmonary disease",
    "chf": "congestive heart failure", "htn": "hypertension", "dm": "diabetes",
    "uti": "urinary tract infection", "mi": "myocardial infarction", "afib": "atrial fibrillation",
    "gerd": "gastroesophageal reflux", "uri": "upper respiratory infection",
    "esrd": "end stage renal disease", "cad": "coronary artery disease",
    "t2dm": "diabetes type 2", "t1dm": "diabetes type 1", "dvt": "deep vein thrombosis",
    "pe": "pulmonary embolism", "ii": "2", "i": "1",
}
_STOP = {"a", "an", "and", "as", "at", "by", "for", "in", "is", "of", "on", "or", "the", "to",
         "nos", "nec", "see", "also", "condition", "with", "without", "due", "type"}
_NO_CODE = {"", "-", "--"}


def _words(text: str) -> list[str]:
    """Lower-case words, a plural s dropped ("fractures" finds "fracture")."""
    found = re.findall(r"[a-z0-9]+", text.lower())
    return [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is"))
            else w for w in found]


def _query_words(text: str) -> list[str]:
    expanded = " ".join(_ABBREVIATIONS.get(w, w) for w in re.findall(r"[a-z0-9]+", text.lower()))
    return list(dict.fromkeys(_words(expanded)))


@dataclass(frozen=True)
class IndexHit:
    """One entry of an index, as printed: main term, then each subterm under it.

    ``path`` keeps nonessential modifiers in parentheses, as the book prints them;
    ``code`` is the code as printed (a trailing "-" means the book shows an incomplete code),
    empty when the entry only refers elsewhere (``see``) or heads subterms;
    ``verify`` says what the Tabular List adds before the code is billable.
    """
    path: tuple[str, ...]
    code: str = ""
    see: str = ""
    see_also: str = ""
    manifestation: str = ""
    book: str = "Index to Diseases and Injuries"

    @property
    def verify(self) -> str:
        """What the Tabular List adds to ``code`` (read on demand: it loads the Tabular text)."""
        return _verify(self.code)

    def __str__(self) -> str:
        line = " > ".join(self.path)
        parts = [line + (f"  {self.code}" if self.code else "")]
        if self.manifestation:
            parts[0] += f" [{self.manifestation}]"
        if self.see:
            parts.append(f"see {self.see}")
        if self.see_also:
            parts.append(f"see also {self.see_also}")
        return "; ".join(parts)


@dataclass(frozen=True)
class TableRow:
    """One row of the Table of Neoplasms or the Table of Drugs and Chemicals."""
    path: tuple[str, ...]
    cells: dict = field(default_factory=dict)
    see: str = ""
    see_also: str = ""

    def __str__(self) -> str:
        cells = "  ".join(f"{name}: {code or '-'}" for name, code in self.cells.items())
        refer = (f"; see {self.see}" if self.see else "") + \
            (f"; see also {self.see_also}" if self.see_also else "")
        return " > ".join(self.path) + (f"  ({cells})" if cells else "") + refer


_LEVEL_UP = {str(level): str(level - 1) for level in range(1, 10)}


class _Book:
    """One book held as its text (bytes), where each line starts, one character per line for
    its level, and its word list.

    Nothing is split, tokenised or linked at load: a line is sliced out of the text when asked
    for, a word's lines come from the word list built with the book (one line of it, found by
    bisection), and a line's parent is the nearest earlier line one level up, found with
    ``str.rfind`` in the levels. Loading costs little more than decompressing the files.
    """

    def __init__(self, path: Path, label: str):
        self.label = label
        with gzip.open(path, "rb") as fh:
            self.text = fh.read()
        with gzip.open(path.with_name(path.name.replace(".tsv.gz", ".rows.gz")), "rb") as fh:
            rows = fh.read()
        count = int.from_bytes(rows[:4], "little")
        self.starts = array("I")
        self.starts.frombytes(rows[4:8 + 4 * count])
        if sys.byteorder == "big":
            self.starts.byteswap()
        self.levels = rows[8 + 4 * count:].decode("ascii")
        with gzip.open(path.with_name(path.name.replace(".tsv.gz", ".words.gz")), "rt",
                       encoding="utf-8") as fh:
            self.postings = fh.read().split("\n")[:-1]
        self.words = [line[:line.index("\t")] for line in self.postings]

    def line(self, row: int) -> str:
        return self.text[self.starts[row]:self.starts[row + 1] - 1].decode("utf-8")

    def fields(self, row: int) -> list[str]:
        return self.line(row).split("\t")

    def __len__(self) -> int:
        return len(self.levels)

    def parent(self, row: int) -> int:
        level = self.levels[row]
        return self.levels.rfind(_LEVEL_UP[level], 0, row) if level != "0" else -1

    def lineage(self, row: int) -> list[int]:
        """The row and its ancestors, main term last."""
        rows = []
        while row >= 0:
            rows.append(row)
            row = self.parent(row)
        return rows

    def rows_with(self, word: str) -> set[int]:
        """Rows whose title or nonessential modifier holds a word starting with ``word``."""
        found = set()
        at = bisect.bisect_left(self.words, word)
        while at < len(self.words) and self.words[at].startswith(word):
            gaps = self.postings[at].split("\t")[1].split(" ")
            found.update(accumulate(map(int, gaps)))
            at += 1
        return found

    def printed(self, row: int) -> str:
        fields = self.fields(row)
        return f"{fields[1]} {fields[2]}".strip()


_books: dict[str, _Book] = {}
_FILES = {"index": "Index to Diseases and Injuries",
          "eindex": "External Cause of Injuries Index",
          "neoplasm": "Table of Neoplasms", "drug": "Table of Drugs and Chemicals"}


def _folder() -> Path:
    return Path(os.environ.get("MEDCODE_ICD10CM_INDEX_DATA") or PINNED)


def _book(name: str) -> _Book:
    if name not in _books:
        _books[name] = _Book(_folder() / f"{name}.tsv.gz", _FILES[name])
    return _books[name]


def version() -> str:
    """The release label of the Index and Tables loaded (see SOURCE.md)."""
    return json.loads((_folder() / "index_release.json").read_text(encoding="utf-8"))["label"]


# ---------------------------------------------------------------------- ranking

def _title_words(book: _Book, row: int, memo: dict) -> tuple[set, set]:
    if row not in memo:
        fields = book.fields(row)
        memo[row] = set(_words(fields[1])), set(_words(fields[2]))
    return memo[row]


def _main_extra(title: str, wanted: set) -> int:
    """Untyped words of a main term; of a term printed with its variants ("Diabetes, diabetic",
    "Infection, infected, infective"), only the best-typed variant counts."""
    first, *others = title.split(", ")
    variants = [first] + [part for part in others
                          if " " not in part and part[:4].lower() == first[:4].lower()]
    return min(len(set(_words(part)) - wanted - _STOP) for part in variants)


def _score(book: _Book, row: int, wanted: set, has_code, memo: dict) -> tuple:
    lineage = book.lineage(row)
    essential, optional, extra = set(), set(), 0
    for up in lineage:
        own, nemod = _title_words(book, up, memo)
        essential |= own
        optional |= nemod
        extra += len(own - wanted - _STOP) if up != lineage[-1] else 0
    main_title = book.fields(lineage[-1])[1]
    main_typed = bool(set(_words(main_title)) & wanted)
    extra += _main_extra(main_title, wanted)
    covered = wanted & (essential | optional)
    loose = len(covered - essential)   # typed words the entry has only as nonessential modifiers
    main = lineage[-1]
    section = (book.levels.find("0", main + 1) % (len(book) + 1)) - main   # its entries
    return (-len(covered), not main_typed, extra + loose, -len(wanted & essential),
            not has_code(row), -section, len(lineage), row)


def _rank(book: _Book, words: list[str], has_code, limit: int) -> list[int]:
    """Rows best matching ``words``, by the rule in the module docstring.

    A first pass ranks every row that holds a typed word by how many typed words its line of
    the book holds (read from the word search alone); only the leading rows are then scored
    word by word, which keeps a look-up for common words ("left", "disease") fast.
    """
    wanted = set(words)
    searchable = [w for w in words if w not in _STOP and len(w) > 1 and not w.isdigit()] or words
    own: dict[int, set] = {}
    for word in searchable:
        for row in book.rows_with(word):
            own.setdefault(row, set()).add(word)
    rough = []
    for row in own:
        lineage = book.lineage(row)
        cover = set().union(*(own.get(up, ()) for up in lineage))
        rough.append((-len(cover), lineage[-1] not in own, len(lineage), row))
    rough.sort()
    shortlist = [entry[-1] for entry in rough[:max(60, 6 * limit)]]
    memo: dict = {}
    return sorted(shortlist, key=lambda row: _score(book, row, wanted, has_code, memo))[:limit]


def _path(book: _Book, row: int) -> tuple[str, ...]:
    return tuple(book.printed(up) for up in reversed(book.lineage(row)))


def _verify(code: str) -> str:
    """What the Tabular List adds to a code the Index printed (lazy: icd10cm loads only then)."""
    from medcode import icd10cm
    if not code:
        return ""
    plain = code.rstrip("-").rstrip(".")
    if code.endswith("-") and not icd10cm.is_billable(plain):
        return (f"The Index shows {code} with a dash: the code is incomplete. Open {plain} in "
                "the Tabular List and choose the remaining characters. " + icd10cm.explain(plain))
    if icd10cm.is_billable(plain):
        return f"{plain} is billable; still read its notes in the Tabular List before using it."
    return "Verify in the Tabular List: " + icd10cm.explain(plain)


def _clean_query(term, name: str) -> str | None:
    if term is None or isinstance(term, bool) or not isinstance(term, str):
        return None
    return term if _query_words(term) else None


def _index_hits(name: str, term, limit: int) -> list[IndexHit]:
    if _clean_query(term, name) is None or isinstance(limit, bool) or not isinstance(limit, int) \
            or limit < 1:
        return []
    book = _book(name)
    rows = _rank(book, _query_words(term), lambda row: bool(book.fields(row)[5]), limit)
    hits = []
    for row in rows:
        _, _, _, see, see_also, code, manif = book.fields(row)[:7]
        hits.append(IndexHit(path=_path(book, row), code=code, see=see, see_also=see_also,
                             manifestation=manif, book=book.label))
    return hits


def index(term, limit: int = 10) -> list[IndexHit]:
    """Entries of the Alphabetic Index to Diseases and Injuries for ``term``, best first.

    >>> index("chest pressure")[0].code
    'R07.89'

    Not a string, or no words in it: an empty list.
    """
    return _index_hits("index", term, limit)


def external_cause(term, limit: int = 10) -> list[IndexHit]:
    """Entries of the External Cause of Injuries Index for ``term`` (how, where, what activity)."""
    return _index_hits("eindex", term, limit)


# ---------------------------------------------------------------------- tables

def _column(table: str, column) -> int:
    names = NEOPLASM_COLUMNS if table == "neoplasm" else DRUG_COLUMNS
    if isinstance(column, str):
        key = " ".join(column.lower().replace("_", " ").split())
        if key in _COLUMN_WORDS[table]:
            return _COLUMN_WORDS[table][key]
    raise ValueError(f"{column!r} is not a column of the {_FILES[table]}. Its columns are: "
                     + "; ".join(names) + ".")


def table_rows(table: str, text, limit: int = 10) -> list[TableRow]:
    """Rows of the Table of Neoplasms (``"neoplasm"``) or of Drugs (``"drug"``) for ``text``."""
    if _clean_query(text, table) is None:
        return []
    book = _book(table)
    names = NEOPLASM_COLUMNS if table == "neoplasm" else DRUG_COLUMNS
    words = _query_words(text)
    if table == "neoplasm":   # every row sits under "Neoplasm, neoplastic": typing it adds nothing
        words = [w for w in words if w not in {"neoplasm", "neoplastic"}] or words
    rows = _rank(book, words, lambda row: any(c not in _NO_CODE for c in book.fields(row)[5:]),
                 limit)
    result = []
    for row in rows:
        fields = book.fields(row)
        cells = {name: ("" if cell in _NO_CODE else cell) for name, cell in zip(names, fields[5:])}
        result.append(TableRow(path=_path(book, row), cells=cells, see=fields[3],
                               see_also=fields[4]))
    return result


def _cell(table: str, text, column) -> str:
    """The cell a coder reads: the best row's, or -- when that cell is empty and the row says
    "see" or "see also" -- the cell of the row the reference leads to, as in the printed table."""
    position = _column(table, column)
    if _clean_query(text, table) is None:
        raise ValueError(f"{text!r} is not a {'site' if table == 'neoplasm' else 'substance'}: "
                         "type its name in words, such as "
                         + ("'lung' or 'breast, upper outer quadrant'." if table == "neoplasm"
                            else "'aspirin' or 'acetaminophen'."))
    rows = table_rows(table, text, limit=1)
    if not rows:
        raise ValueError(f"No row of the {_FILES[table]} matches {text!r}: check the spelling, "
                         "or look the term up in the Alphabetic Index first.")
    code = list(rows[0].cells.values())[position]
    reference = rows[0].see or rows[0].see_also
    if not code and reference:
        followed = table_rows(table, f"{reference} {rows[0].path[-1]}", limit=1)
        code = list(followed[0].cells.values())[position] if followed else ""
    return code


def neoplasm(site, column) -> str:
    """The code the Table of Neoplasms prints for ``site`` in ``column`` ("" for none).

    Columns: malignant primary, malignant secondary, ca in situ, benign, uncertain behavior,
    unspecified behavior (short forms such as "primary", "secondary", "in situ" work too).

    >>> neoplasm("lung", "malignant primary")
    'C34.9-'
    """
    return _cell("neoplasm", site, column)


def drug(substance, column) -> str:
    """The code the Table of Drugs and Chemicals prints for ``substance`` in ``column``.

    Columns: poisoning accidental, poisoning intentional self-harm, poisoning assault,
    poisoning undetermined, adverse effect, underdosing ("" where the table prints a dash).
    The table's codes still need a 7th character from the Tabular List (A, D or S).
    """
    return _cell("drug", substance, column)


# ---------------------------------------------------------------------- feedback

def start_hint(term: str, book: str = "index") -> str:
    """Where in the books the path for ``term`` starts, for a wrong answer's feedback.

    Names the main term (or the table row) a coder opens first, never the code: the student
    still reads down the subterms and verifies in the Tabular List.
    """
    if book in ("index", "eindex"):
        hits = _index_hits(book, term, 1)
        if not hits:
            return f"Look the condition up in the {_FILES[book]} by its main term."
        return (f'Start in the {_FILES[book]} at the main term "{hits[0].path[0]}", read down '
                "its subterms for each word the record documents, then verify the code in the "
                "Tabular List.")
    rows = table_rows(book, term, limit=1)
    row = rows[0].path[-1] if rows else term
    if book == "neoplasm":
        return (f'In the Table of Neoplasms, find the site "{row}" (under "Neoplasm, '
                "neoplastic\"), read the column for the behavior the record documents, follow any "
                "see also, then complete the code in the Tabular List.")
    return (f'In the Table of Drugs and Chemicals, find "{row}", choose the column for what '
            "happened (poisoning and its intent, adverse effect, or underdosing), then add the "
            "characters the Tabular List asks for.")
