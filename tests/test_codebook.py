"""The code-book browser: its search over every book, a code's page, and the widget's clicks."""
import pytest

from medcode import codebook


@pytest.mark.parametrize("book,text,code", [
    ("Alphabetic Index", "chest pressure", "R07.89"),
    ("Table of Neoplasms", "lung", "C34.9-"),
    ("Table of Drugs and Chemicals", "aspirin", "T39.011"),
    ("External Cause Index", "fall from ladder", "W11"),
    ("Tabular List", "type 2 diabetes chronic kidney disease", "E11.22"),
    ("HCPCS Level II", "cpap", "E0601"),
])
def test_search_covers_every_book(book, text, code):
    assert code in [target for _, target in codebook.search(text, book)]


def test_an_index_entry_that_refers_elsewhere_opens_its_reference():
    assert ("see:Fracture, arm" in [t for _, t in codebook.search("broken arm")])


@pytest.mark.parametrize("bad", [None, "", "   ", 7])
def test_no_words_no_results(bad):
    assert codebook.search(bad) == []


def test_an_unknown_book_is_named():
    with pytest.raises(ValueError, match="Alphabetic Index"):
        codebook.search("pneumonia", "Yellow Pages")


def test_a_code_page_shows_title_reason_and_notes():
    page = codebook.details("E11.22")
    assert "Type 2 diabetes mellitus with diabetic chronic kidney disease" in page
    assert "Use additional code" in page
    dashed = codebook.details("H66.9-")
    assert "H66.9" in dashed and "not billable" in dashed and "H66.91" in dashed
    seventh = codebook.details("S06.0X0")
    assert "7th character" in seventh and "initial encounter" in seventh
    assert "continuous positive airway pressure" in codebook.details("E0601").lower()
    assert "not an ICD-10-CM code" in codebook.details("Q99.99")
    assert "Choose a result" in codebook.details(None)


def test_the_browser_opens_a_code_on_click_and_follows_a_see():
    ui = codebook.browser()
    header, results, page = ui.children
    box, which = header.children
    box.value = "chest pressure"
    first = results.children[0]
    assert "Pressure" in first.description
    first.click()
    assert "R07.89" in page.value
    box.value = "broken arm"
    results.children[0].click()
    assert box.value == "Fracture, arm"
    which.value = "HCPCS Level II"
    box.value = "walker"
    results.children[0].click()
    assert "HCPCS Level II" in page.value
