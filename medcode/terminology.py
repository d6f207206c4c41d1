"""Medical word parts: take a term apart, put one together, read what it means.

Coders meet unfamiliar terms in every note. Most are built from a small stock of parts:

* a **prefix** in front (``peri-`` around, ``hyper-`` above normal);
* one or more **combining forms**: a root plus its combining vowel (``gastr/o`` stomach);
* a **suffix** at the end (``-itis`` inflammation, ``-ectomy`` surgical removal).

The combining vowel links a root to another root and to a suffix that starts with a
consonant (gastr-o-scopy, gastr-o-enter-itis); it is dropped before a suffix that starts with
a vowel (gastr-itis). :func:`splits` tries every way of reading a term with the parts in
``data/terminology`` and ranks the readings so that fewer, longer parts and readings that
keep the vowel rule come first; :func:`decompose` is the best one. :func:`build` applies the
same rule the other way round, :func:`define` looks one part up, :func:`gloss` reads a term's
meaning from its parts (suffix first, then the beginning, then the middle), and
:func:`term_feedback` and :func:`split_feedback` are the hints of hidden tests: they say what the
student's own term or parts actually mean, so a wrong answer still teaches.

Abbreviations seen in documentation live here too, with The Joint Commission's Official
"Do Not Use" List flagged (:func:`abbreviation`, :func:`do_not_use`).
"""
from __future__ import annotations

import csv
import difflib
import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from medcode import checks

__all__ = [
    "WordPart", "Split", "Abbreviation", "UnknownTerm", "UnknownPart", "SYSTEMS",
    "word_parts", "lookup", "define", "splits", "decompose", "gloss", "explain", "build",
    "parts_for", "accuracy", "abbreviation", "abbreviations", "do_not_use", "term_feedback",
    "same_split", "split_feedback", "practice_term",
]

DATA = Path(__file__).resolve().parent / "data" / "terminology"

SYSTEMS = {
    "general": "general (any body system)",
    "cardiovascular": "cardiovascular",
    "respiratory": "respiratory",
    "digestive": "digestive",
    "musculoskeletal": "musculoskeletal",
    "nervous": "nervous system and mental health",
    "endocrine": "endocrine",
    "integumentary": "integumentary (skin, hair, nails)",
    "urinary": "urinary",
    "reproductive": "reproductive",
    "blood-immune": "blood, lymphatic and immune",
    "eye": "eye",
    "ear": "ear",
}

KINDS = ("prefix", "root", "suffix")


class UnknownTerm(ValueError):
    """A term that the course's word parts cannot account for, with the reason in words."""


class UnknownPart(KeyError):
    """A prefix, combining form or suffix that is not in the course's list."""

    def __str__(self):
        return str(self.args[0])


@dataclass(frozen=True)
class WordPart:
    """One word part: ``form`` as textbooks write it (``peri-``, ``gastr/o``, ``-itis``)."""

    form: str
    kind: str
    meaning: str
    system: str = "general"

    @property
    def stem(self) -> str:
        """The letters of the part without hyphen or combining vowel (``gastr``)."""
        return self.form.strip("-").split("/")[0]

    @property
    def vowel(self) -> str:
        """The combining vowel of a combining form (``o`` in ``gastr/o``); empty otherwise."""
        return self.form.split("/")[1] if "/" in self.form else ""

    def __str__(self):
        return f"{self.form} ({self.meaning})"


@dataclass(frozen=True)
class Split:
    """One reading of a term: its parts, the letters each took, and a ranking cost."""

    parts: tuple[WordPart, ...]
    spelled: tuple[str, ...]
    cost: float

    @property
    def forms(self) -> list[str]:
        return [p.form for p in self.parts]

    @property
    def meaning(self) -> str:
        return _read_meaning(self.parts)

    def __str__(self):
        return " + ".join(self.forms)


@dataclass(frozen=True)
class Abbreviation:
    """An abbreviation, what it stands for, and whether The Joint Commission bans it."""

    abbreviation: str
    meaning: str
    do_not_use: bool = False
    use_instead: str = ""

    def __str__(self):
        text = f"{self.abbreviation}: {self.meaning}"
        if self.do_not_use:
            text += (f". On The Joint Commission's Official \"Do Not Use\" List: "
                     f"{self.use_instead}")
        return text


# --------------------------------------------------------------------------- data


def _rows(name: str) -> list[dict]:
    with open(DATA / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=None)
def _catalogue() -> tuple[tuple[WordPart, ...], dict[str, str]]:
    """Every word part, and each suffix's reading template (``inflammation of {}``)."""
    parts, templates = [], {}
    for kind, name in (("prefix", "prefixes.csv"), ("root", "roots.csv"),
                       ("suffix", "suffixes.csv")):
        for row in _rows(name):
            parts.append(WordPart(row["form"], kind, row["meaning"], row["system"]))
            if kind == "suffix":
                templates[row["form"]] = row["reads_as"]
    return tuple(parts), templates


def word_parts(kind: str | None = None) -> list[WordPart]:
    """All word parts in the course list, or those of one ``kind`` (prefix, root, suffix)."""
    parts = _catalogue()[0]
    return [p for p in parts if kind is None or p.kind == kind]


def parts_for(system: str) -> list[WordPart]:
    """The combining forms and other parts that belong to one body system (see SYSTEMS)."""
    if system not in SYSTEMS:
        raise KeyError(f"{system!r} is not a body system here; choose from {', '.join(SYSTEMS)}.")
    return [p for p in word_parts() if p.system == system]


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", str(text).casefold())


@lru_cache(maxsize=None)
def _by_letters() -> dict[str, list[WordPart]]:
    """Parts indexed by every bare spelling a student might type (gastr, gastro, itis)."""
    index: dict[str, list[WordPart]] = {}
    for part in word_parts():
        for spelling in {part.stem, part.stem + part.vowel}:
            index.setdefault(spelling, []).append(part)
    return index


def lookup(part: str) -> list[WordPart]:
    """The word parts a written part can stand for.

    "gastr/o", "gastro" and "gastr" find the combining form; "-itis" and "itis" the suffix;
    "peri-" and "peri" the prefix. A hyphen or slash in the right place narrows the kind.
    """
    text = str(part).strip().casefold()
    if "/" in text:
        kind = "root"
    elif text.endswith("-"):
        kind = "prefix"
    elif text.startswith("-"):
        kind = "suffix"
    else:
        kind = None
    found = _by_letters().get(_letters(text), [])
    exact = [p for p in found if p.form == text]
    return exact or [p for p in found if kind is None or p.kind == kind]


def define(part: str) -> str:
    """A plain-English definition of one word part, e.g. ``define("-ectomy")``."""
    found = lookup(part)
    if not found:
        raise UnknownPart(
            f"{part!r} is not in the course's list of {len(word_parts())} word parts. Write a "
            "prefix with a hyphen after it (peri-), a combining form with its vowel (gastr/o) "
            "and a suffix with a hyphen before it (-itis).")
    return "; ".join(f"{p.form} ({p.kind}, {SYSTEMS[p.system]}): {p.meaning}" for p in found)


# --------------------------------------------------------------------------- splitting

# Ranking costs: every part costs 1, so fewer and longer parts win; these add to it.
_VOWEL_BEFORE_VOWEL = 1.5   # kept a combining vowel before a suffix starting with a vowel
_MISSING_VOWEL = 0.6        # no combining vowel between two roots or before a consonant
_ENDS_ON_ROOT = 0.8         # no suffix at all
_PREFIX_AFTER_ROOT = 0.5    # a prefix in the middle (hem/o + dia- + -lysis)
_MERGED = 0.4               # one letter shared by root and suffix (thorac/o + -centesis)
_HIATUS = 0.3               # a prefix ending in a vowel before a vowel (bi- + -opsy)
_VOWELS = set("aeiouy")
_KEEP = 24                  # readings kept per position, so odd input cannot explode the search


@lru_cache(maxsize=None)
def _starting(letters: str) -> dict[str, list[WordPart]]:
    """Parts whose bare letters start ``letters``, keyed by those letters."""
    found: dict[str, list[WordPart]] = {}
    for part in word_parts():
        if letters.startswith(part.stem):
            found.setdefault(part.stem, []).append(part)
    return found


@lru_cache(maxsize=4096)
def _readings(term: str, start: int, after: str) -> list[tuple[float, list, list]]:
    """Every way to read ``term[start:]``, given the kind of the part before it.

    Returns the cheapest (cost, parts, spellings) triples. ``after`` is "start", "prefix" or
    "root".
    """
    rest = term[start:]
    results = []
    if not rest:
        if after == "root":
            results.append((_ENDS_ON_ROOT, [], []))
        return results
    for stem, parts in _starting(rest).items():
        end = start + len(stem)
        for part in parts:
            if part.kind == "suffix":
                if end == len(term):
                    results.append((1.0, [part], [stem]))
            elif part.kind == "prefix":
                extra = _PREFIX_AFTER_ROOT if after == "root" else 0.0
                if stem[-1] in _VOWELS and term[end:end + 1] in _VOWELS:
                    extra += _HIATUS
                for cost, more, spelt in _readings(term, end, "prefix"):
                    if more:
                        results.append((1.0 + extra + cost, [part, *more], [stem, *spelt]))
            else:
                results.extend(_root_readings(term, part, end))
    return sorted(results, key=lambda reading: reading[0])[:_KEEP]


def _root_readings(term: str, part: WordPart, end: int):
    """Readings that begin with a combining form, with and without its vowel."""
    found = []
    with_vowel = bool(part.vowel) and term.startswith(part.vowel, end)
    options = [(end, part.stem, False)]
    if with_vowel:
        options.append((end + len(part.vowel), part.stem + part.vowel, True))
    for stop, spelt, kept in options:
        for cost, more, spellings in _readings(term, stop, "root"):
            following = more[0] if more else None
            found.append((1.0 + cost + _vowel_cost(part, kept, following, spellings),
                          [part, *more], [spelt, *spellings]))
    found.extend(_merged_readings(term, part, end))
    return found


def _merged_readings(term: str, part: WordPart, end: int):
    """A root whose last letter is also the suffix's first: angi/o + -itis = "angitis"."""
    return [(1.0 + _MERGED + cost, [part, *more], [part.stem[:-1], *spellings])
            for cost, more, spellings in _readings(term, end - 1, "root")
            if more and more[0].kind == "suffix" and len(part.stem) > 2]


def _vowel_cost(part: WordPart, kept: bool, following: WordPart | None, spellings) -> float:
    """The combining-vowel rule: keep it before a root or a consonant, drop it before a vowel."""
    if following is None or not part.vowel:
        return 0.0
    starts_with_vowel = spellings[0][0] in _VOWELS
    if following.kind == "suffix" and starts_with_vowel:
        return _VOWEL_BEFORE_VOWEL if kept else 0.0
    return 0.0 if kept or starts_with_vowel else _MISSING_VOWEL


def splits(term: str, limit: int = 5) -> list[Split]:
    """The ways ``term`` can be read as word parts, best first (at most ``limit``).

    Raises :class:`UnknownTerm`, with what could and could not be read, when there is none.
    """
    letters = _one_word(term)
    found = {}
    for cost, parts, spelled in _readings(letters, 0, "start"):
        split = Split(tuple(parts), tuple(spelled), round(cost, 3))
        if str(split) not in found or found[str(split)].cost > split.cost:
            found[str(split)] = split
    if not found:
        raise UnknownTerm(_cannot_split(term, letters))
    ranked = sorted(found.values(), key=_rank)
    return ranked[:limit]


def _rank(split: Split):
    """Cheapest first; on a tie, the reading with a prefix (an- + -emia, not an/o + -emia)."""
    prefixes = sum(p.kind == "prefix" for p in split.parts)
    return split.cost, -prefixes, [-len(x) for x in split.spelled]


def decompose(term: str) -> list[WordPart]:
    """The best reading of ``term``: its prefixes, combining forms and suffix, in order.

    >>> [p.form for p in decompose("gastroenteritis")]
    ['gastr/o', 'enter/o', '-itis']
    """
    return list(splits(term, limit=1)[0].parts)


def _one_word(term: str) -> str:
    if not isinstance(term, str) or not term.strip():
        raise UnknownTerm("Give a medical term as text in quotes, like \"gastritis\".")
    if len(term.split()) > 1:
        raise UnknownTerm(f"{term!r} is more than one word; split one word at a time.")
    letters = _letters(term)
    if not letters:
        raise UnknownTerm(f"{term!r} has no letters to split.")
    return letters


def _cannot_split(term: str, letters: str) -> str:
    """Say how far the parts reach into the term and which letters nothing matches."""
    reach, known = 0, ""
    for stem, parts in _starting(letters).items():
        if len(stem) > reach and any(p.kind != "suffix" for p in parts):
            reach, known = len(stem), parts[0].form
    start = f"It starts like {known}, but " if known else "Nothing in the list starts it: "
    return (f"Cannot split {term!r} into the course's word parts. {start}the letters "
            f"{letters[reach:]!r} match no combining form or suffix in the list. Check the "
            "spelling. Some terms are not built from word parts at all: eponyms named after "
            "people (Parkinson disease) and words taken whole from Greek or Latin (asthma).")


def accuracy(cases) -> tuple[int, list[tuple[str, str, str]]]:
    """How many (term, expected split) cases :func:`decompose` reads exactly, and the misses.

    An expected split is written "gastr/o + enter/o + -itis". Misses are
    (term, expected, got) with got "" when the term could not be split.
    """
    exact, misses = 0, []
    for term, expected in cases:
        try:
            got = str(splits(term, limit=1)[0])
        except UnknownTerm:
            got = ""
        if got == expected:
            exact += 1
        else:
            misses.append((term, expected, got))
    return exact, misses


# --------------------------------------------------------------------------- meaning

_PLACE_WORDS = ("around", "within", "in", "inside", "outside", "above", "below", "under",
                "upon", "between", "through", "across", "beside", "behind", "after",
                "before", "against", "toward", "away", "out", "beyond", "near")


def _first_sense(meaning: str) -> str:
    """The first sense of a meaning: "above normal, excessive" -> "above normal"."""
    return re.split(r"[,;(]", meaning)[0].strip()


def _read_meaning(parts) -> str:
    """Read a term's meaning the way textbooks teach: the suffix, then the rest in order."""
    suffixes = [p for p in parts if p.kind == "suffix"]
    front = [p for p in parts if p.kind == "prefix"]
    roots = [p for p in parts if p.kind == "root"]
    words = [_first_sense(p.meaning) for p in front]
    if roots:
        words.append(" and ".join(_first_sense(p.meaning) for p in roots))
    rest = " ".join(words)
    if not suffixes:
        return rest
    template = _catalogue()[1][suffixes[0].form] or f"{_first_sense(suffixes[0].meaning)} of {{}}"
    if rest.split(" ")[:1] and rest.split(" ")[0] in _PLACE_WORDS:
        template = template.replace(" of {}", " {}")
    if not rest:
        return _first_sense(suffixes[0].meaning)
    return re.sub(r"\s+", " ", template.format(rest)).strip()


def gloss(term: str) -> str:
    """What a term means, read from its best split: "gastritis" -> "inflammation of stomach"."""
    return splits(term, limit=1)[0].meaning


def explain(term: str) -> str:
    """One line a student can read: the parts with their meanings, then the whole meaning.

    Never raises: a term that cannot be split gets the reason instead.
    """
    try:
        best = splits(term, limit=1)[0]
    except UnknownTerm as problem:
        return str(problem)
    parts = " + ".join(str(p) for p in best.parts)
    return f"{term} = {parts}: {best.meaning}"


def build(parts) -> str:
    """Join word parts into a term, applying the combining-vowel rule.

    ``build(["gastr/o", "enter/o", "-itis"])`` gives "gastroenteritis";
    ``build(["gastr/o", "-scopy"])`` keeps the vowel: "gastroscopy".
    """
    chosen = [_one_part(p) for p in parts]
    if not chosen:
        raise UnknownPart("Give at least one word part to build a term from.")
    pieces = []
    for part, following in zip(chosen, [*chosen[1:], None]):
        pieces.append(part.stem + (part.vowel if _keeps_vowel(following) else ""))
    return "".join(pieces)


def _keeps_vowel(following: WordPart | None) -> bool:
    if following is None:
        return False
    return following.kind != "suffix" or following.stem[0] not in _VOWELS


def _one_part(part) -> WordPart:
    if isinstance(part, WordPart):
        return part
    found = lookup(part)
    if not found:
        define(part)  # raises UnknownPart with the reason
    return found[0]


# --------------------------------------------------------------------------- feedback


def _split_or_none(term) -> Split | None:
    try:
        return splits(term, limit=1)[0]
    except UnknownTerm:
        return None


def term_feedback(answer, key: str, rule: str = "") -> str:
    """Why ``answer`` is not the asked-for term, computed from both terms' parts.

    Says what the student's term actually means and which kind of part (prefix, root,
    suffix) differs, without giving the key away; ``rule`` is added at the end. Hidden tests
    pass it as the hint: ``checks.expect_text(x, key, hint=term_feedback(x, key, rule))``.
    """
    return " ".join(x for x in (_term_reason(answer, key), rule) if x)


def _term_reason(answer, key: str) -> str:
    if not isinstance(answer, str) or not answer.strip():
        return "Your answer should be one medical term in quotes, like \"gastritis\"."
    mine, wanted = _split_or_none(answer), _split_or_none(key)
    if mine is None:
        close = difflib.SequenceMatcher(None, _letters(answer), _letters(key)).ratio()
        return (f"{answer!r} does not break into word parts in the course list."
                + (" You are close: check the spelling letter by letter." if close >= 0.8
                   else " Check the spelling of each part."))
    message = f"Your term {answer!r} reads as {mine}, so it means \"{mine.meaning}\"."
    if wanted is None:
        return message
    for kind, label in (("suffix", "suffix (the ending)"), ("root", "combining form(s)"),
                        ("prefix", "prefix")):
        if _of_kind(mine.parts, kind) != _of_kind(wanted.parts, kind):
            return f"{message} Look again at the {label}: the term asked for uses a different one."
    return message + " Check the spelling letter by letter."


def practice_term(item: str, answer, digest: str, hint: str = "") -> None:
    """A flashcard for writing a term: right or wrong at once, and a wrong term is read back.

    ``digest`` is ``checks.fingerprint(item, key)``; the key itself never appears.
    """
    checks.practice(item, answer, digest, kind="text", hint=hint)
    wrong = not checks.practice_correct(item, answer, digest, kind="text")
    if wrong and isinstance(answer, str) and answer.strip():
        print(f"  What you wrote: {explain(answer.strip())}")


def _of_kind(parts, kind: str) -> list[str]:
    return [p.form for p in parts if p.kind == kind]


def _same_part(written: str, wanted: WordPart) -> bool:
    """A written part matches when it is the part or a synonym of the same kind (card/i, cardi/o)."""
    return any(p.kind == wanted.kind and (p == wanted or _first_sense(p.meaning) ==
                                          _first_sense(wanted.meaning))
               for p in lookup(written))


def same_split(parts, term: str) -> bool:
    """True when ``parts`` (a list like ["peri-", "card/i", "-itis"]) is the split of ``term``.

    A combining form with the same meaning and kind counts (cardi/o for card/i), and each part
    may be written with or without its hyphen or slash.
    """
    wanted = decompose(term)
    if not isinstance(parts, (list, tuple)) or len(parts) != len(wanted):
        return False
    return all(isinstance(w, str) and _same_part(w, p) for w, p in zip(parts, wanted))


def split_feedback(parts, term: str) -> str:
    """Why a list of parts is not the split of ``term``, without giving the split away."""
    if not isinstance(parts, (list, tuple)) or not all(isinstance(p, str) for p in parts):
        return ("Give the parts as a list of text in order, like [\"gastr/o\", \"-itis\"].")
    unknown = [p for p in parts if not lookup(p)]
    if unknown:
        # The format examples are parts of no graded split, so the message cannot hand one over.
        return (f"{', '.join(map(repr, unknown))} is not a word part in the course list. Write "
                "prefixes like hyper-, combining forms like nephr/o and suffixes like -algia, and "
                "check that each piece really is one part.")
    wanted = decompose(term)
    if len(parts) != len(wanted):
        return f"{term!r} has {len(wanted)} parts; you gave {len(parts)}."
    built = build(parts)
    meaning = _read_meaning([lookup(p)[0] for p in parts])
    return (f"Your parts join to {built!r}, which would mean \"{meaning}\". Read {term!r} "
            "again: find the suffix at the end first, then any prefix, then the combining forms.")


def split_problem(parts, term: str) -> tuple[str, str] | None:
    """(rule, message) when ``parts`` is not the split of ``term``, None when it is.

    The rule (:mod:`medcode.rules`) is "count" for too few or too many parts, "order" for the
    right parts in the wrong order, "term" for a part that is not the term's; the message is
    :func:`split_feedback`'s. Used by ``checks.expect_split``.
    """
    if same_split(parts, term):
        return None
    wanted = decompose(term)
    rule = "term"
    if isinstance(parts, (list, tuple)) and all(isinstance(p, str) for p in parts):
        if len(parts) != len(wanted):
            rule = "count"
        elif len(parts) <= 6 and any(same_split(list(order), term)
                                     for order in itertools.permutations(parts)):
            rule = "order"
    return rule, split_feedback(parts, term)


# --------------------------------------------------------------------------- abbreviations


def _abbr_key(text: str) -> str:
    """Fold an abbreviation so "q.d.", "QD" and "qd" are the same entry."""
    return re.sub(r"[\s.]", "", str(text)).casefold()


@lru_cache(maxsize=None)
def _abbreviation_table() -> dict[str, Abbreviation]:
    table = {}
    for row in _rows("abbreviations.csv"):
        entry = Abbreviation(row["abbreviation"], row["meaning"],
                             row["do_not_use"] == "yes", row["use_instead"])
        table[_abbr_key(entry.abbreviation)] = entry
    return table


def abbreviations() -> list[Abbreviation]:
    """Every abbreviation in the course list."""
    return list(_abbreviation_table().values())


def abbreviation(text: str) -> Abbreviation:
    """Look up an abbreviation seen in a note (dots and case ignored)."""
    try:
        return _abbreviation_table()[_abbr_key(text)]
    except KeyError:
        raise UnknownPart(f"{text!r} is not in the course's list of {len(abbreviations())} "
                          "abbreviations. Ask the provider or check the facility's "
                          "approved list; never guess an abbreviation.") from None


def do_not_use() -> list[Abbreviation]:
    """The entries on The Joint Commission's Official "Do Not Use" List."""
    return [a for a in abbreviations() if a.do_not_use]
