"""What the built book shows a reader: calm graded questions, a glossary linked from the
lessons, links between lessons and to sources, formulas without a CDN, no answer in sight."""
import re

import nbformat
import pytest

from autograde import course



def lesson_pages(html):
    for source in course.source_notebooks():
        yield source, html / "course" / "release" / source.parent.name / f"{source.stem}.html"


def graded_checks(source) -> int:
    nb = nbformat.read(source, as_version=4)
    return sum(1 for c in nb.cells if c.cell_type == "code"
               and c.metadata.get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"].get("solution"))


def test_book_graded_questions_show_a_note_not_an_error(built_book):
    _, html = built_book
    for source, page in lesson_pages(html):
        text = page.read_text(encoding="utf-8")
        # the blank's own message ("✗ copay is still blank. Replace the ..."), not lecture text
        assert not re.search(r"✗ \w+ is still blank\.", text) and "output traceback" not in text, page
        assert text.count("exercise-note") == graded_checks(source), page


def test_book_glossary_has_150_terms_linked_from_every_lesson(built_book):
    _, html = built_book
    glossary = (html / "book" / "glossary.html").read_text(encoding="utf-8")
    terms = set(re.findall(r'<dt id="(term-[^"]+)"', glossary))
    assert len(terms) >= 150
    for _, page in lesson_pages(html):
        anchors = re.findall(r'class="[^"]*glossary-link[^"]*" href="[./]*book/glossary.html#(term-[^"]+)"',
                             page.read_text(encoding="utf-8"))
        assert anchors and set(anchors) <= terms, page
        assert len(anchors) == len(set(anchors)), f"{page}: a term linked twice"


def test_book_links_lessons_and_sources(built_book):
    _, html = built_book
    capstone = (html / "course/release/m7_ehr/04_capstone.html").read_text(encoding="utf-8")
    assert re.search(r'class="[^"]*lesson-link[^"]*" href="\.\./m5_claims/01_payers_and_the_cms1500.html"', capstone)
    references = (html / "book" / "references.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<a class="reference external" href="https?://', references)) >= 60
    order = [references.index(f'<h2>Module {n}') for n in range(1, 8)]
    assert order == sorted(order)
    assert "citations checked" not in references


def test_book_math_is_served_by_the_site(built_book):
    _, html = built_book
    page = (html / "course/release/m1_profession/03_reimbursement.html").read_text(encoding="utf-8")
    assert 'src="../../../_static/mathjax/MathJax.js' in page
    assert "cdn.jsdelivr" not in page and (html / "_static/mathjax/MathJax.js").is_file()


def outputs_before(page: str, item: str) -> str:
    """The text of every cell output printed above the blank ``item = ...`` of a page."""
    blank = page.index(f'<span class="n">{item}</span>')
    outputs = re.finditer(r'<div class="cell_output.*?</div>\s*</div>', page[:blank], re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", m.group(0)) for m in outputs)


@pytest.mark.parametrize("lesson, item, answers", [
    ("m4_procedures/03_hcpcs_and_modifiers", "ambulance_code", ["A0428"]),
    ("m4_procedures/03_hcpcs_and_modifiers", "ivan_drug", ["J1885"]),
    ("m5_claims/03_remittance_denials_appeals", "ex0004_patient", ["owes $100.00", "owe your provider $100.00"]),
    ("m5_claims/03_remittance_denials_appeals", "ex0004_paid", ["paid $98.00", "plan paid $98.00"]),
    ("m5_claims/03_remittance_denials_appeals", "ledger_balance", ["43.0"]),
])
def test_book_worked_examples_do_not_print_the_next_answer(built_book, lesson, item, answers):
    _, html = built_book
    page = (html / "course" / "release" / f"{lesson}.html").read_text(encoding="utf-8")
    shown = outputs_before(page, item)
    assert [a for a in answers if a in shown] == []
