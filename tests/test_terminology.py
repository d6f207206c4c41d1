"""The word-part engine: its data, its splits, building terms, feedback and abbreviations."""
import csv
from pathlib import Path

import pytest

from medcode import checks, terminology

DATA = Path(__file__).resolve().parent / "data"
REQUIRED_ACCURACY = 0.95


def _cases(name):
    with open(DATA / name, newline="", encoding="utf-8") as handle:
        return [(row["term"], row["expected_split"]) for row in csv.DictReader(handle)]


# --------------------------------------------------------------------------- data

def test_the_list_has_at_least_350_word_parts_of_each_kind():
    parts = terminology.word_parts()
    assert len(parts) >= 350
    for kind in terminology.KINDS:
        assert len(terminology.word_parts(kind)) >= 50, kind


def test_every_part_is_written_the_textbook_way_with_a_known_body_system():
    for part in terminology.word_parts():
        assert part.meaning.strip(), part
        assert part.system in terminology.SYSTEMS, part
        if part.kind == "prefix":
            assert part.form.endswith("-") and not part.form.startswith("-"), part
        elif part.kind == "suffix":
            assert part.form.startswith("-") and not part.form.endswith("-"), part
        else:
            stem, vowel = part.form.split("/")
            assert stem.isalpha() and vowel in {"a", "e", "i", "o", "u"}, part


def test_no_part_is_listed_twice():
    forms = [p.form for p in terminology.word_parts()]
    assert len(forms) == len(set(forms))


def test_every_body_system_the_module_teaches_has_its_own_combining_forms():
    for system in terminology.SYSTEMS:
        assert len(terminology.parts_for(system)) >= 5, system


# --------------------------------------------------------------------------- splitting

def test_gastroenteritis_splits_into_two_combining_forms_and_a_suffix():
    parts = terminology.decompose("gastroenteritis")
    assert [(p.form, p.kind) for p in parts] == [
        ("gastr/o", "root"), ("enter/o", "root"), ("-itis", "suffix")]
    assert [p.meaning for p in parts] == ["stomach", "small intestine", "inflammation"]
    assert terminology.gloss("gastroenteritis") == "inflammation of stomach and small intestine"


def test_the_combining_vowel_is_dropped_before_a_vowel_and_kept_before_a_consonant():
    assert [p.form for p in terminology.decompose("gastritis")] == ["gastr/o", "-itis"]
    best = terminology.splits("gastroscopy")[0]
    assert best.spelled == ("gastro", "scopy")
    assert terminology.build(["gastr/o", "-itis"]) == "gastritis"
    assert terminology.build(["gastr/o", "-scopy"]) == "gastroscopy"
    assert terminology.build(["gastr/o", "enter/o", "-itis"]) == "gastroenteritis"


def test_splits_are_ranked_and_the_alternatives_are_real_readings():
    ranked = terminology.splits("cholecystectomy")
    assert str(ranked[0]) == "cholecyst/o + -ectomy"
    assert "chol/e + cyst/o + -ectomy" in [str(s) for s in ranked]
    costs = [s.cost for s in ranked]
    assert costs == sorted(costs)
    for split in ranked:
        assert "".join(split.spelled) == "cholecystectomy"


def test_a_prefix_and_a_suffix_alone_make_a_term():
    assert str(terminology.splits("dysphagia")[0]) == "dys- + -phagia"
    assert terminology.gloss("pericarditis") == "inflammation around heart"


@pytest.mark.parametrize("name", ["terminology_terms.csv", "terminology_heldout.csv"])
def test_accuracy_on_real_terms_meets_the_threshold(name):
    cases = _cases(name)
    exact, misses = terminology.accuracy(cases)
    assert exact / len(cases) >= REQUIRED_ACCURACY, misses


def test_the_main_term_list_has_at_least_150_real_terms_in_every_system():
    cases = _cases("terminology_terms.csv")
    assert len({term for term, _ in cases}) == len(cases) >= 150
    with open(DATA / "terminology_terms.csv", newline="", encoding="utf-8") as handle:
        systems = {row["system"] for row in csv.DictReader(handle)}
    assert systems == set(terminology.SYSTEMS)


def test_build_rebuilds_most_expected_splits_letter_for_letter():
    cases = _cases("terminology_terms.csv")
    rebuilt = [term for term, split in cases if terminology.build(split.split(" + ")) == term]
    assert len(rebuilt) / len(cases) >= REQUIRED_ACCURACY


def test_a_term_that_cannot_be_split_says_why():
    with pytest.raises(terminology.UnknownTerm) as problem:
        terminology.splits("gastroqzxitis")
    message = str(problem.value)
    assert "gastroqzxitis" in message and "gastr/o" in message and "spelling" in message
    with pytest.raises(terminology.UnknownTerm, match="more than one word"):
        terminology.decompose("myocardial infarction")
    assert "Cannot split" in terminology.explain("asthma")


def test_a_long_ambiguous_input_is_still_read_without_trying_every_reading():
    # an- and an/o can each start every "an": 2**30 readings if the search kept them all
    best = terminology.splits("an" * 30 + "emia")[0]
    assert "".join(best.spelled) == "an" * 30 + "emia"


# --------------------------------------------------------------------------- define and build

@pytest.mark.parametrize("written", ["gastr/o", "gastro", "gastr", "GASTR/O"])
def test_define_finds_a_combining_form_however_it_is_written(written):
    assert terminology.define(written) == "gastr/o (root, digestive): stomach"


def test_define_tells_a_prefix_from_a_root_by_its_hyphen():
    assert terminology.define("-ectomy").startswith("-ectomy (suffix")
    assert terminology.lookup("an-")[0].kind == "prefix"
    assert terminology.lookup("an/o")[0].kind == "root"
    with pytest.raises(terminology.UnknownPart, match="not in the course's list"):
        terminology.define("-blorp")
    with pytest.raises(terminology.UnknownPart):
        terminology.build(["gastr/o", "-blorp"])


def test_explain_reads_the_parts_then_the_whole_meaning():
    assert terminology.explain("hepatomegaly") == (
        "hepatomegaly = hepat/o (liver) + -megaly (enlargement): enlargement of liver")


# --------------------------------------------------------------------------- feedback

def test_feedback_on_a_wrong_term_says_what_the_students_term_means_without_the_key():
    message = terminology.term_feedback("gastrotomy", "gastrectomy")
    assert "incision into stomach" in message
    assert "suffix" in message
    assert "gastrectomy" not in message and "-ectomy" not in message


def test_feedback_on_a_misspelled_term_says_it_is_close():
    message = terminology.term_feedback("gastroenteritus", "gastroenteritis")
    assert "close" in message


def test_feedback_adds_the_rule_and_reads_a_blank_kindly():
    message = terminology.term_feedback("cardiomegaly", "hepatomegaly", rule="Which organ?")
    assert "enlargement of heart" in message and message.endswith("Which organ?")
    assert "in quotes" in terminology.term_feedback(..., "hepatomegaly")


def test_hidden_term_checks_use_the_feedback_as_their_hint():
    checks.expect_text("Gastroenteritis ", "gastroenteritis",
                       hint=terminology.term_feedback("Gastroenteritis ", "gastroenteritis"))
    with pytest.raises(checks.AnswerProblem, match="creation of an opening into trachea"):
        checks.expect_text("tracheostomy", "tracheotomy",
                           hint=terminology.term_feedback("tracheostomy", "tracheotomy"))


@pytest.mark.parametrize("parts", [["peri-", "card/i", "-itis"], ["peri", "cardi/o", "itis"],
                                   ("PERI-", "card/i", "-ITIS")])
def test_a_split_answer_accepts_synonyms_and_missing_hyphens(parts):
    assert terminology.same_split(parts, "pericarditis")


@pytest.mark.parametrize("parts", [["endo-", "card/i", "-itis"], ["peri-", "-itis"],
                                   ["peri-", "card/i", "-osis"], "peri- card/i -itis", ...])
def test_a_wrong_split_is_rejected_with_a_reason(parts):
    assert not terminology.same_split(parts, "pericarditis")
    reason = terminology.split_feedback(parts, "pericarditis")
    assert reason and "card/i + -itis" not in reason


def test_a_term_flashcard_reads_a_wrong_answer_back_and_never_shows_the_key(capsys):
    digest = checks.fingerprint("card", "hepatomegaly")
    terminology.practice_term("card", "Hepatomegaly", digest)
    assert "correct" in capsys.readouterr().out
    terminology.practice_term("card", "splenomegaly", digest, hint="Liver is hepat/o.")
    shown = capsys.readouterr().out
    assert "not yet" in shown and "enlargement of spleen" in shown
    assert "hepatomegaly" not in shown


@pytest.mark.parametrize("term", ["pericarditis", "esophagogastroduodenoscopy"])
def test_unknown_part_feedback_never_names_a_part_of_the_key(term):
    """Modules 2.1 and 2.3 grade these two splits; a misspelt part must not earn the key."""
    reason = terminology.split_feedback(["peri-", "card/o", "-blorp"], term)
    assert "is not a word part" in reason
    for part in terminology.decompose(term):
        assert part.form not in reason


def test_split_feedback_names_an_unknown_part_and_what_wrong_parts_spell():
    assert "'-blorp' is not a word part" in terminology.split_feedback(
        ["peri-", "card/i", "-blorp"], "pericarditis")
    assert "'endocarditis'" in terminology.split_feedback(
        ["endo-", "card/i", "-itis"], "pericarditis")


# --------------------------------------------------------------------------- abbreviations

JOINT_COMMISSION_DO_NOT_USE = {"U", "IU", "qd", "qod", "MS", "MSO4", "MgSO4"}


def test_at_least_100_abbreviations_with_meanings_and_no_clashing_spellings():
    entries = terminology.abbreviations()
    assert len(entries) >= 100
    folded = [a.abbreviation.replace(".", "").casefold() for a in entries]
    assert len(folded) == len(set(folded))
    assert all(a.meaning.strip() for a in entries)


def test_exactly_the_joint_commission_do_not_use_list_is_flagged():
    flagged = {a.abbreviation for a in terminology.do_not_use()}
    assert flagged == JOINT_COMMISSION_DO_NOT_USE
    assert all(a.use_instead.startswith("Write") for a in terminology.do_not_use())


def test_abbreviation_lookup_ignores_dots_and_case():
    assert terminology.abbreviation("Q.D.").do_not_use
    assert "daily" in str(terminology.abbreviation("q.d."))
    assert terminology.abbreviation("bid").meaning == "twice a day"
    assert not terminology.abbreviation("BID").do_not_use
    with pytest.raises(terminology.UnknownPart, match="never guess"):
        terminology.abbreviation("ZZQ")
