"""The code-book browser: the Index, the Tables, the Tabular List and HCPCS in one small form.

For students who do not program: ``codebook.browser()`` in JupyterLab opens a search box and a
choice of book; each result is a button, and a click opens the code in the Tabular List (or the
HCPCS file) with its notes -- includes, Excludes1 and Excludes2, code first, use additional
code, 7th characters. Typing ``icd10cm.index(...)`` stays possible, never required.

:func:`search` and :func:`details` do the work and return plain data and HTML, so they are
tested without a browser; :func:`browser` only lays them out with ipywidgets.
"""
from __future__ import annotations

import html
import re

from medcode import hcpcs, icd10cm, icd10cm_index

__all__ = ["BOOKS", "search", "details", "browser"]

BOOKS = ("Alphabetic Index", "Table of Neoplasms", "Table of Drugs and Chemicals",
         "External Cause Index", "Tabular List", "HCPCS Level II")
_NOTE_LABELS = {"inclusion_terms": "Inclusion terms", "includes": "Includes",
                "excludes1": "Excludes1", "excludes2": "Excludes2", "code_first": "Code first",
                "use_additional_code": "Use additional code", "code_also": "Code also",
                "notes": "Note", "seventh_character_note": "7th character"}
_FIRST_CODE = re.compile(r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{0,4})?")


def _target(hit) -> str:
    """What a click on an Index entry opens: its code, or the entry its "see" points to."""
    if hit.code:
        return hit.code
    reference = hit.see or hit.see_also
    return f"see:{reference}" if reference else ""


def _table(book: str, text: str, limit: int) -> list[tuple[str, str]]:
    found = []
    for row in icd10cm_index.table_rows(book, text, limit):
        label = str(row)
        code = next((cell for cell in row.cells.values() if cell), "")
        found.append((label, code))
    return found


def search(text, book: str = BOOKS[0], limit: int = 12) -> list[tuple[str, str]]:
    """(what to show, the code a click opens) for ``text`` in ``book`` (one of ``BOOKS``).

    An Index entry that only refers elsewhere opens ``"see:<main term, subterm>"``: a click
    looks that up in the same book, as a coder turns the pages.

    Not text, or no words: an empty list. An unknown book: ValueError naming the books.
    """
    if book not in BOOKS:
        raise ValueError(f"{book!r} is not one of the books: {', '.join(BOOKS)}.")
    if not isinstance(text, str) or not text.strip():
        return []
    if book == "Alphabetic Index":
        return [(str(hit), _target(hit)) for hit in icd10cm.index(text, limit)]
    if book == "External Cause Index":
        return [(str(hit), _target(hit)) for hit in icd10cm.external_cause(text, limit)]
    if book == "Table of Neoplasms":
        return _table("neoplasm", text, limit)
    if book == "Table of Drugs and Chemicals":
        return _table("drug", text, limit)
    if book == "Tabular List":
        return [(f"{code}  {title}", code) for code, title in icd10cm.search(text, limit)]
    return [(f"{code}  {title}", code) for code, title in hcpcs.search(text, limit)]


def _list(items) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(str(item))}</li>" for item in items) + "</ul>"


def _icd_details(code: str) -> str:
    parts = [f"<h4>{html.escape(code)} &mdash; {html.escape(icd10cm.describe(code))}</h4>",
             f"<p>{html.escape(icd10cm.explain(code))}</p>"]
    notes = icd10cm.notes(code)
    for field, label in _NOTE_LABELS.items():
        if notes.get(field):
            parts.append(f"<b>{label}</b>{_list(notes[field])}")
    if notes.get("seventh_characters"):
        parts.append("<b>7th characters</b>" + _list(
            f"{char} = {meaning}" for char, meaning in notes["seventh_characters"].items()))
    up = icd10cm.parent(code)
    if up and icd10cm.is_valid(up):
        parts.append(f"<p><i>Read the notes of {html.escape(up)} too: a category's notes cover "
                     "its codes.</i></p>")
    return "".join(parts)


def details(code) -> str:
    """HTML for one code: its Tabular title, what it still needs, and its notes (or, for a
    HCPCS code, the CMS descriptor). A code the Index prints with a dash opens at the code
    before the dash, with the characters still to choose."""
    if not isinstance(code, str) or not code.strip():
        return "<p>Choose a result to see its code.</p>"
    text = code.strip().rstrip("-").rstrip(".")
    if "." not in text and re.fullmatch(r"[A-Va-v]\d{4}", text) and hcpcs.is_valid(text):
        return (f"<h4>{html.escape(text.upper())} (HCPCS Level II)</h4>"
                f"<p>{html.escape(hcpcs.describe(text))}</p>"
                f"<p>Section: {html.escape(hcpcs.section(text))}</p>")
    match = _FIRST_CODE.match(text.upper())
    if match and icd10cm.is_valid(match.group()):
        return _icd_details(match.group())
    return f"<p>{html.escape(icd10cm.explain(text))}</p>"


def browser(book: str = BOOKS[0]):
    """Open the code-book browser (JupyterLab): a search box, a book, results, a code's page."""
    import ipywidgets as widgets

    box = widgets.Text(placeholder="Type the words of the record, e.g. chest pressure",
                       description="Look up:", layout=widgets.Layout(width="60%"))
    which = widgets.Dropdown(options=BOOKS, value=book, description="Book:")
    results = widgets.VBox()
    page = widgets.HTML(details(""))

    def show(code: str):
        if code.startswith("see:"):
            box.value = code[4:]
        else:
            page.value = details(code)

    def refresh(_=None):
        buttons = []
        for label, code in search(box.value, which.value):
            button = widgets.Button(description=label[:110], tooltip=label,
                                    layout=widgets.Layout(width="auto"), disabled=not code)
            button.on_click(lambda _b, code=code: show(code))
            buttons.append(button)
        results.children = buttons or [widgets.HTML("<i>No entries yet: type a term.</i>")]

    box.observe(refresh, names="value")
    which.observe(refresh, names="value")
    refresh()
    return widgets.VBox([widgets.HBox([box, which]), results, page])
