"""The ICD-10-CM code set: describe, validity, billability, hierarchy, notes, search.

Built from the CDC Tabular List (the pinned release is ``icd10cm.version``) through the compact
files in ``medcode/data/icd10cm`` (see SOURCE.md there). The engine loads them lazily, so a
notebook that only checks ``is_billable`` reads the small code list and nothing else.

Every function accepts a code in any case, with or without the dot, with spaces around it.
Bad input (empty, None, a number, garbage) gives False, an empty answer, or -- for
``describe`` -- a ValueError that says in plain English what is wrong.

    >>> describe("e11.9")
    'Type 2 diabetes mellitus without complications'
    >>> is_billable("S52.521"), is_billable("S52.521A")
    (False, True)

To use a newer CDC release (FY2027 and later), build its files with
``medcode/data/icd10cm/build.py`` and call ``load_release(folder)``, or set the environment
variable ``MEDCODE_ICD10CM_DATA`` to that folder before importing.
"""
from __future__ import annotations

import gzip
import heapq
import json
import math
import os
import re
from array import array
from collections import defaultdict
from pathlib import Path

from medcode.rules import say

__all__ = ["describe", "is_valid", "is_billable", "children", "parent", "notes", "search",
           "explain", "answer_feedback", "load_release", "version", "index", "external_cause",
           "neoplasm", "drug", "check_billable"]

PINNED = Path(__file__).resolve().parent / "data" / "icd10cm"
_CHAPTER, _BLOCK = 0, 1


class _Release:
    """One ICD-10-CM release held in memory: the tree in Tabular order, text loaded on demand."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.meta = json.loads((self.folder / "release.json").read_text(encoding="utf-8"))
        self.names: list[str] = []
        self.parents = array("i")
        self.depths = bytearray()
        self.line_of = array("i")    # node -> line of codes.txt (-1 for a 7th-character code)
        self._read_codes()
        self._text = None
        self._kids = None
        self._words = None

    def _read_codes(self) -> None:
        """Parse codes.txt in one tight loop: it runs in every notebook and graded submission."""
        names, parents, depths, line_of = self.names, self.parents, self.depths, self.line_of
        stack = [-1] * 10
        text = (self.folder / "codes.txt").read_text(encoding="utf-8")
        for line_no, line in enumerate(text[text.index("\n") + 1:].splitlines()):
            depth, name, *seventh = line.split("\t")
            depth = int(depth)
            node = len(names)
            names.append(name)
            parents.append(stack[depth])
            depths.append(depth)
            line_of.append(line_no)
            stack[depth + 1] = node
            if seventh:
                count = len(seventh[0])
                base = (name if len(name) > 3 else name + ".").ljust(7, "X")
                names.extend([base + char for char in seventh[0]])
                parents.extend([node] * count)
                depths.extend([depth + 1] * count)
                line_of.extend([-1] * count)
        # a later node wins a shared name, as the category B99 over the block B99
        self.index = dict(zip(names, range(len(names))))

    # ------------------------------------------------------------------ structure

    def node(self, code) -> int | None:
        key = _key(code)
        return None if key is None else self.index.get(key)

    def is_code(self, node: int | None) -> bool:
        return node is not None and self.depths[node] > _BLOCK

    def is_leaf(self, node: int) -> bool:
        following = node + 1
        return following == len(self.names) or self.parents[following] != node

    def children(self, node: int) -> list[int]:
        if self._kids is None:
            self._kids = defaultdict(list)
            for child, up in enumerate(self.parents):
                self._kids[up].append(child)
        return self._kids.get(node, [])

    def lineage(self, node: int):
        """The node, then its parent, up to the chapter."""
        while node >= 0:
            yield node
            node = self.parents[node]

    # ------------------------------------------------------------------ text

    @property
    def text(self) -> dict:
        if self._text is None:
            with gzip.open(self.folder / "text.json.gz", "rt", encoding="utf-8") as fh:
                self._text = json.load(fh)
        return self._text

    def own_notes(self, node: int) -> dict:
        line = self.line_of[node]
        return self.text["notes"].get(str(line), {}) if line >= 0 else {}

    def inherited(self, node: int, field: str):
        """A note from the node or its nearest ancestor that has one (7th characters, code first ...)."""
        for up in self.lineage(node):
            value = self.own_notes(up).get(field)
            if value:
                return value
        return None

    def describe(self, node: int) -> str:
        line = self.line_of[node]
        if line >= 0:
            return self.text["description"][line]
        leaf = self.parents[node]
        return f"{self.describe(leaf)}, {self.inherited(leaf, 'seven_chr_def')[self.names[node][-1]]}"

    # ------------------------------------------------------------------ search

    def words(self) -> dict[str, set[int]]:
        """Word -> the categories and codes whose description or inclusion terms use it."""
        if self._words is None:
            self._words = defaultdict(set)
            for node, line in enumerate(self.line_of):
                if line >= 0 and self.depths[node] > _BLOCK:
                    for word in _tokens(" ".join(self.search_texts(node))):
                        self._words[word].add(node)
        return self._words

    def search_texts(self, node: int) -> list[str]:
        own = self.own_notes(node)
        return [self.describe(node), *own.get("inclusion_term", ()), *own.get("includes", ())]


_release: _Release | None = None


def _data() -> _Release:
    global _release
    if _release is None:
        _release = _Release(Path(os.environ.get("MEDCODE_ICD10CM_DATA") or PINNED))
    return _release


def load_release(folder=None) -> str:
    """Switch to the release built into ``folder`` (None: back to the pinned one); its label."""
    global _release
    _release = _Release(Path(folder) if folder else PINNED)
    return _release.meta["label"]


def __getattr__(name: str):
    if name == "version":
        return _data().meta["label"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ---------------------------------------------------------------------- input

_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-"})


def _key(code) -> str | None:
    """The official spelling of ``code`` (upper case, dot after the category), or None."""
    if not isinstance(code, str):
        return None
    text = re.sub(r"\s+", "", code.translate(_DASHES)).upper()
    if not text or len(text) > 20:
        return None
    if "-" in text:                      # a block such as E08-E13
        return text
    text = text.replace(".", "")
    return text[:3] + "." + text[3:] if len(text) > 3 else text


# ---------------------------------------------------------------------- lookups

def is_valid(code) -> bool:
    """True when ``code`` is an ICD-10-CM category, subcategory or code in the release.

    Chapters ("1") and blocks ("E08-E13") are headings, not codes: False.
    """
    data = _data()
    return data.is_code(data.node(code))


def is_billable(code) -> bool:
    """True when ``code`` is complete: valid and with nothing below it (a leaf of the Tabular)."""
    data = _data()
    node = data.node(code)
    return data.is_code(node) and data.is_leaf(node)


def describe(code) -> str:
    """The Tabular List title of a code, category, block or chapter.

    Raises ValueError, with the reason in plain English, when ``code`` is not in the release.
    """
    data = _data()
    node = data.node(code)
    if node is None:
        raise ValueError(explain(code))
    return data.describe(node)


def children(code) -> list[str]:
    """The codes one level below ``code`` (empty for a billable code or an unknown one)."""
    data = _data()
    node = data.node(code)
    return [] if node is None else [data.names[kid] for kid in data.children(node)]


def parent(code) -> str | None:
    """The code, block or chapter one level above ``code``; None for a chapter or unknown code."""
    data = _data()
    node = data.node(code)
    if node is None or data.parents[node] < 0:
        return None
    return data.names[data.parents[node]]


_NOTE_NAMES = {"inclusion_term": "inclusion_terms", "includes": "includes",
               "excludes1": "excludes1", "excludes2": "excludes2"}
_INHERITED = {"code_first": "code_first", "use_additional_code": "use_additional_code",
              "code_also": "code_also", "notes": "notes", "seven_chr_note": "seventh_character_note"}


def notes(code) -> dict:
    """The instructional notes that apply to ``code``, by kind; kinds with none are left out.

    ``inclusion_terms``, ``includes``, ``excludes1``, ``excludes2`` are written at the code
    itself (look at ``notes(parent(code))`` too: a category's notes cover its codes).
    ``code_first``, ``use_additional_code``, ``code_also``, ``notes``,
    ``seventh_character_note`` and ``seventh_characters`` ({character: meaning}) come from the
    code or, when it has none, from its nearest ancestor that has them. Lists of lines.
    """
    data = _data()
    node = data.node(code)
    if node is None:
        return {}
    own = data.own_notes(node)
    found = {name: list(own[field]) for field, name in _NOTE_NAMES.items() if own.get(field)}
    for field, name in _INHERITED.items():
        value = data.inherited(node, field)
        if value:
            found[name] = value.split("\n")
    seventh = data.inherited(node, "seven_chr_def")
    if seventh:
        found["seventh_characters"] = dict(seventh)
    return found


# ---------------------------------------------------------------------- the Index and Tables
# Kept in medcode.icd10cm_index and imported on first use, so a check that never looks a term
# up never loads the Index.

def index(term, limit: int = 10):
    """Entries of the Alphabetic Index for ``term``, best first (``IndexHit``: path, code, see,
    see_also, verify). ``index("chest pressure")[0].code`` is ``'R07.89'``."""
    from medcode import icd10cm_index
    return icd10cm_index.index(term, limit)


def external_cause(term, limit: int = 10):
    """Entries of the External Cause of Injuries Index for ``term``, best first."""
    from medcode import icd10cm_index
    return icd10cm_index.external_cause(term, limit)


def neoplasm(site, column) -> str:
    """The Table of Neoplasms' code for ``site`` in ``column`` (malignant primary, malignant
    secondary, ca in situ, benign, uncertain behavior, unspecified behavior); "" for none."""
    from medcode import icd10cm_index
    return icd10cm_index.neoplasm(site, column)


def drug(substance, column) -> str:
    """The Table of Drugs and Chemicals' code for ``substance`` in ``column`` (poisoning
    accidental, intentional self-harm, assault, undetermined, adverse effect, underdosing)."""
    from medcode import icd10cm_index
    return icd10cm_index.drug(substance, column)


# ---------------------------------------------------------------------- search

_STOP = {"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to"}


def _tokens(text: str) -> list[str]:
    """Lower-case words with a plural s dropped, so "fractures" finds "fracture"."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words]


def search(text, limit: int = 10) -> list[tuple[str, str]]:
    """Codes and categories whose description or inclusion terms use the words of ``text``.

    Ranked: the most (and rarest) of the words first, then the words as a phrase before
    scattered, billable codes before headings, shorter titles first.
    """
    if not isinstance(text, str) or isinstance(limit, bool) or not isinstance(limit, int) \
            or limit < 1:
        return []
    words = [w for w in dict.fromkeys(_tokens(text)) if w not in _STOP]
    data = _data()
    index = data.words()
    score = defaultdict(float)
    for word in words:
        postings = index.get(word, ())
        weight = math.log(len(data.names) / (1 + len(postings)))
        for node in postings:
            score[node] += weight
    phrase = " ".join(words)

    def rank(node: int):
        joined = [" ".join(w for w in _tokens(t) if w not in _STOP) for t in data.search_texts(node)]
        return (-round(score[node], 6), not any(phrase in t for t in joined),
                not data.is_leaf(node), min(map(len, joined)), data.names[node])

    shortlist = heapq.nlargest(max(50, 5 * limit), score, key=score.__getitem__)
    best = sorted(shortlist, key=rank)[:limit]
    return [(data.names[n], data.describe(n)) for n in best]


# ---------------------------------------------------------------------- explaining

def _seventh_list(data: _Release, node: int) -> str:
    table = data.inherited(node, "seven_chr_def") or {}
    chars = [data.names[kid][-1] for kid in data.children(node)]
    return "; ".join(f"{c} = {table.get(c, '')}" for c in chars)


def _needs_seventh(data: _Release, node: int) -> bool:
    kids = data.children(node)
    return bool(kids) and data.line_of[kids[0]] < 0


def _with_placeholder(data: _Release, key: str) -> str | None:
    """The valid code that ``key`` becomes when X placeholders fill its empty positions."""
    plain = key.replace(".", "")
    if len(plain) < 4 or len(plain) >= 7:
        return None
    head, seventh = plain[:-1], plain[-1]
    for cut in range(3, len(head) + 1):
        candidate = (head[:cut] + "X" * (6 - len(head)) + head[cut:] + seventh)
        node = data.node(candidate)
        if data.is_code(node) and data.is_leaf(node):
            return data.names[node]
    return None


def _wrong_seventh(data: _Release, key: str) -> str | None:
    """The message for a 7th character that does not exist for the code it follows."""
    base = data.node(key[:-1]) if len(key) == 8 else None
    if base is None or not _needs_seventh(data, base):
        return None
    return (f"{key} is not a code: {key[-1]} is not a 7th character of {data.names[base]}. "
            f"Its 7th characters are: {_seventh_list(data, base)}.")


def _category_hint(data: _Release, key: str) -> str:
    category = data.node(key.replace(".", "")[:3])
    if data.is_code(category):
        return (f" Category {data.names[category]} ({data.describe(category)}) exists: "
                "look in the Tabular List for the code under it that the record supports.")
    return " Look the main term up in the Alphabetic Index, then verify it in the Tabular List."


def explain(code) -> str:
    """What is wrong or missing in ``code``, in plain English (or what it is, when it is fine).

    Not a code at all; a block or chapter; a category that needs more characters; a code that
    needs a 7th character (and which ones exist); a placeholder X missing.
    """
    key = _key(code)
    if key is None:
        return (f"{code!r} is not an ICD-10-CM code: a code is text in quotes, a letter and "
                "two more characters, then up to four more after a dot.")
    data = _data()
    node = data.index.get(key)
    if node is None:
        if _with_placeholder(data, key):
            return (f"{key} is not a code as written: this code has empty positions before its "
                    "7th character, and ICD-10-CM fills them with the placeholder X "
                    "(Official Guidelines, Section I.A.4).")
        wrong_seventh = _wrong_seventh(data, key)
        if wrong_seventh:
            return wrong_seventh
        return f"{key} is not an ICD-10-CM code in {data.meta['label']}." + _category_hint(data, key)
    title = data.describe(node)
    if data.depths[node] == _CHAPTER:
        return f"{key} is chapter {key} ({title}), a heading, not a code."
    if data.depths[node] == _BLOCK:
        return f"{key} is a block of categories ({title}), a heading, not a code."
    if data.is_leaf(node):
        return f"{key} is a billable ICD-10-CM code: {title}."
    if _needs_seventh(data, node):
        placeholder = " with placeholder X in the empty positions" if len(key) < 7 else ""
        return (f"{key} ({title}) is not billable: it needs a 7th character{placeholder}. "
                f"The 7th characters for it are: {_seventh_list(data, node)}.")
    kind = "category" if len(key) == 3 else "subcategory"
    below = ", ".join(data.names[k] for k in data.children(node))
    return (f"{key} ({title}) is a {kind}, not billable: a billable code needs all its "
            f"characters. The codes one level below it are {below}.")


# ---------------------------------------------------------------------- the visible check

def check_billable(value, name: str = "your answer") -> None:
    """A notebook's visible check for an ICD-10-CM answer: a code, complete enough to bill.

    A code that is not billable yet (N18.3, a subcategory; S06.0X0, which needs its 7th
    character) is flagged at once with the reason, from the Tabular List, before any grading
    (``checks.is_code`` does the same for every ICD-10-CM answer); whether a billable code is
    the *right* one is left to the hidden tests.
    """
    from medcode import checks
    checks._require_code(value, "icd10cm", name)
    checks._ok(name, "is a complete, billable ICD-10-CM code")


# ---------------------------------------------------------------------- graded-answer feedback

_SIDES = {"right", "left", "bilateral", "unspecified"}


def _heading(data: _Release, node: int, depth: int) -> int:
    """The ancestor of ``node`` at ``depth`` (0 chapter, 1 block, 2 category)."""
    return next(up for up in data.lineage(node) if data.depths[up] == depth)


def _unfinished(data: _Release, node: int, shown: str) -> str:
    """Why a valid code that is not billable was marked wrong."""
    depth = data.depths[node]
    if depth <= _BLOCK:
        kind = "a chapter" if depth == _CHAPTER else "a block of categories"
        return say("not_a_code", f"{shown} is {kind}, a heading in the Tabular List, not a code.")
    if _needs_seventh(data, node):
        return say("incomplete", f"{shown} is not billable yet: codes here need a 7th character "
                   "(Official Guidelines, Section I.A.5), with the placeholder X in any empty "
                   "position before it (Section I.A.4).")
    kind = "a category" if depth == 2 else "a subcategory"
    return say("incomplete", f"{shown} is {kind}, a heading with codes below it: a billable code "
               "needs all its characters. Follow it down the Tabular List to the most specific "
               "code the record supports (Official Guidelines, Section I.B.2).")


def _specificity(data: _Release, got: int, want: int, shown: str) -> str:
    """Why a billable code in the key's category is still not the key."""
    got_name, want_name = data.names[got], data.names[want]
    if len(got_name) == len(want_name) == 8 and got_name[:-1] == want_name[:-1]:
        meaning = (data.inherited(got, "seven_chr_def") or {}).get(got_name[-1], "")
        return say("seventh", f"In {shown}, everything but the 7th character is right. "
                   f"{got_name[-1]} means \"{meaning}\": reread the record for the stage of care "
                   "(active treatment, healing, sequela).")
    mine = set(_tokens(data.describe(got)))
    theirs = set(_tokens(data.describe(want)))
    differ = mine ^ theirs
    if differ and differ <= _SIDES and mine & _SIDES != theirs & _SIDES:
        side = " and ".join(sorted(mine & _SIDES - theirs)) or "unstated"
        return say("laterality", f"{shown} is for the {side} side. Reread which side the record "
                   "documents (Official Guidelines, Section I.B.13).")
    if "unspecified" in mine and "unspecified" not in theirs:
        return say("specificity", f"{shown} is an unspecified code, but the record documents "
                   "more detail: use the code that captures it.")
    category = _heading(data, want, 2)
    return say("specificity", f"Right category ({data.names[category]}, "
               f"{data.describe(category)}), but {shown} means \"{data.describe(got)}\": compare "
               "each detail of that title with the record.")


def answer_feedback(answer, key) -> str | None:
    """Which coding rule a wrong ICD-10-CM answer missed, in plain English, never naming the key.

    Called by ``checks.code_feedback`` when a graded code answer differs from its key; the
    message opens with its rule's label (:mod:`medcode.rules`). None when the key itself is
    not a code of the release (nothing trustworthy to say).
    """
    data = _data()
    want = data.node(key)
    if not data.is_code(want):
        return None
    shown = _key(answer)
    if shown is None:
        return say("not_a_code", explain(answer))
    got = data.index.get(shown)
    if got is None:
        if _with_placeholder(data, shown) or _wrong_seventh(data, shown):
            return say("seventh", explain(shown))
        return say("not_a_code", f"{shown} is not an ICD-10-CM code: check it character by "
                   "character against the Tabular List.")
    if not data.is_code(got) or not data.is_leaf(got):
        return _unfinished(data, got, shown)
    if got == want:
        return None
    chapter = _heading(data, got, _CHAPTER)
    if chapter != _heading(data, want, _CHAPTER):
        return say("chapter", f"{shown} is in Chapter {data.names[chapter]} "
                   f"({data.describe(chapter)}), but this case is classified in another chapter. "
                   "Look the main term up in the Alphabetic Index again.")
    if _heading(data, got, 2) != _heading(data, want, 2):
        return say("category", f"Right chapter, but {shown} is in the wrong category. Recheck "
                   "the main term and its subterms in the Alphabetic Index, then the Tabular List.")
    return _specificity(data, got, want, shown)
