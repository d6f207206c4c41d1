"""The answer checks: the spellings they accept, the ones they reject, and what they say."""
import pytest

from medcode import checks
from medcode.checks import AnswerProblem


@pytest.mark.parametrize("spelling", ["E11.9", "e11.9", " E119 ", "e 11.9"])
def test_codes_compare_without_case_spaces_or_dot(spelling):
    assert checks.same_code(spelling, "E11.9")


@pytest.mark.parametrize("wrong", ["E11.8", "E11", "E11.90", 119, None])
def test_wrong_codes_do_not_match(wrong):
    assert not checks.same_code(wrong, "E11.9")


def test_modifier_hyphen_is_ignored():
    assert checks.same_code("-25", "25")


@pytest.mark.parametrize("text", ["Fee-for-service.", " fee for  service", "FEE FOR SERVICE"])
def test_text_ignores_case_spacing_hyphens_and_end_punctuation(text):
    assert checks.same_text(text, "fee for service")


@pytest.mark.parametrize("value,number", [(20, 20.0), (1234.5, 1234.5), ("$1,234.50", 1234.5),
                                          ("1234.50", 1234.5), ("-$5", -5.0)])
def test_numbers_in_reasonable_spellings(value, number):
    assert checks.as_number(value) == number


@pytest.mark.parametrize("value", [True, "twenty", "1,23", "", ..., None, float("nan"), "$"])
def test_things_that_are_not_numbers(value):
    assert checks.as_number(value) is None


def test_lists_of_codes_match_in_any_order_unless_ordered():
    assert checks.same_codes(["i10", "E11.9"], ["E11.9", "I10"])
    assert not checks.same_codes(["i10", "E11.9"], ["E11.9", "I10"], ordered=True)
    assert not checks.same_codes("E11.9", ["E11.9"])


def test_blank_answers_are_reported_by_name():
    with pytest.raises(AnswerProblem, match="copay is still blank"):
        checks.is_number(..., "copay")


@pytest.mark.parametrize("check,args", [
    (checks.is_number, ("twenty",)), (checks.is_text, (20,)),
    (checks.is_choice, ("maybe", ["yes", "no"])), (checks.is_yes_no, ("perhaps",)),
    (checks.is_list, ("E11.9",)), (checks.is_code, ("11.9", "icd10cm")),
    (checks.is_code, ("9921", "cpt")), (checks.is_code, ("J188", "hcpcs")),
    (checks.is_code_list, (["E11.9", "bad"], "icd10cm")), (checks.is_form, ({"a": ...}, ["a"])),
    (checks.is_form, ({"a": 1}, ["a", "b"])),
])
def test_malformed_answers_fail_the_visible_checks(check, args):
    with pytest.raises(AnswerProblem):
        check(*args)


def test_well_formed_answers_pass_and_say_so(capsys):
    checks.is_code_list(["E11.9", "I10"], "icd10cm", "dx", length=2)
    checks.is_code("99213", "cpt")
    checks.is_code("J1885", "hcpcs")
    checks.is_form({"copay": 20}, ["copay"], "form")
    out = capsys.readouterr().out
    assert out.count("\u2713") == 4 and "dx is a list of codes" in out


def test_a_form_with_options_catches_a_label_in_other_words(capsys):
    labels = ["Part A", "Part B", "workers comp"]
    with pytest.raises(AnswerProblem, match="write 'stay' as one of 'Part A'"):
        checks.is_form({"stay": "Medicare Part A", "job": "workers comp"}, ["stay", "job"],
                       "programs", options=labels)
    with pytest.raises(AnswerProblem, match="'job'"):
        checks.is_form({"stay": "part a", "job": 3}, ["stay", "job"], "programs", options=labels)
    checks.is_form({"stay": "part a", "job": "Workers comp."}, ["stay", "job"], "programs",
                   options=labels)
    assert "\u2713 programs has every field filled in" in capsys.readouterr().out


def test_expectations_never_reveal_the_key():
    with pytest.raises(AnswerProblem) as failure:
        checks.expect_number(100, 1234.5, hint="Apply the deductible first.")
    assert "1234" not in str(failure.value) and "deductible" in str(failure.value)


def test_expect_codes_explains_order_and_count():
    with pytest.raises(AnswerProblem, match="right order"):
        checks.expect_codes(["I10", "E11.9"], ["E11.9", "I10"], ordered=True)
    with pytest.raises(AnswerProblem, match="needs 2 code"):
        checks.expect_codes(["E11.9"], ["E11.9", "I10"])
    checks.expect_codes(["i10", "e119"], ["E11.9", "I10"])


def test_an_items_hint_follows_the_order_and_count_messages_instead_of_replacing_them():
    hint = "Code the injury first, then its external causes."
    with pytest.raises(AnswerProblem) as failure:
        checks.expect_codes(["I10", "E11.9"], ["E11.9", "I10"], ordered=True, hint=hint)
    assert str(failure.value) == f"Sequencing: You have the right codes, but not in the right order. {hint}"
    with pytest.raises(AnswerProblem) as failure:
        checks.expect_codes(["E11.9"], ["E11.9", "I10"], hint=hint)
    assert str(failure.value) == f"Missing code: This case needs 2 code(s); you gave 1: a code is missing. {hint}"


def test_expect_form_names_only_the_wrong_fields():
    key = {"name": "Testpatient, Ada", "copay": 20, "dx": ["I10"], "signed": True}
    checks.expect_form({"name": "testpatient, ada", "copay": "$20", "dx": ["i10"],
                        "signed": "yes"}, key)
    with pytest.raises(AnswerProblem) as failure:
        checks.expect_form({"name": "Testpatient, Ada", "copay": 25, "dx": ["I10"],
                            "signed": True}, key, hints={"copay": "read the card"})
    assert "- copay: Calculation: " in str(failure.value) and "Read the card." in str(failure.value) \
        and "name" not in str(failure.value)


def test_practice_gives_immediate_feedback_without_the_key(capsys):
    digest = checks.fingerprint("p1", "E11.9", kind="code")
    assert "E11.9" not in digest
    assert checks.practice_correct("p1", "e119", digest, kind="code")
    assert not checks.practice_correct("p1", "E11.8", digest, kind="code")
    assert not checks.practice_correct("p1", ..., digest, kind="code")
    for answer in ("e119", "E11.8", ...):
        assert checks.practice("p1", answer, digest, kind="code", hint="Check the 4th character.") is None
    out = capsys.readouterr().out.splitlines()
    assert "correct" in out[0] and "Check the 4th character" in out[1] and "fill in" in out[2]


def test_code_feedback_asks_the_code_set_module(monkeypatch):
    import types
    fake = types.SimpleNamespace(answer_feedback=lambda answer, key: f"{answer} needs more characters.")
    monkeypatch.setitem(__import__("sys").modules, "medcode.fakeset", fake)
    with pytest.raises(AnswerProblem, match="E11 needs more characters"):
        checks.expect_code("E11", "E11.9", system="fakeset")
    assert checks.code_feedback("X", "Y", "no_such_code_set") is None


@pytest.mark.parametrize("check,args,says", [
    (checks.is_code, (["J1885"], "hcpcs", "drug"), 'write "J1885" without the square brackets'),
    (checks.is_code, (["25", "59"], "modifier", "mod"), "choose the one code"),
    (checks.is_code, (26, "modifier", "mod"), 'write "26", not 26'),
    (checks.is_text, (11, "pos"), 'write "11", not 11'),
    (checks.is_list, ("A", "pointer"), 'even with one entry: write ["A"]'),
    (checks.is_code_list, (["E11.9" "I10"], "icd10cm", "dx", 2), "comma between entries"),
    (checks.is_number, ((1, 20.0), "copay"), "comma outside quotes"),
    (checks.is_form, ({"a": ...}, ["a"], "form"), "Replace each ... after a colon"),
    (checks.is_form, ({"date": 1}, ["date_of_service"], "form"), "field name"),
])
def test_common_slips_are_told_what_to_fix(check, args, says):
    """A list for one code, a code without quotes, a comma in a number: each says how to fix it."""
    with pytest.raises(AnswerProblem) as failure:
        check(*args)
    assert says in str(failure.value) and "\n" not in str(failure.value)


def test_shape_examples_are_not_answer_keys():
    """A malformed answer is shown an example code: it must never be the key of some question."""
    from autograde import keys
    answers = {checks.normalize_code(code) for call in keys.calls("expect_code", "expect_codes")
               for code in call.codes}
    examples = {checks.normalize_code(word.strip(".,"))
                for _, rule in checks._CODE_SHAPES.values() for word in rule.split("like ")[1].split()
                if word not in ("or",)}
    assert examples and not examples & answers


def test_a_name_the_notebook_does_not_know_gets_one_plain_line(capsys):
    """`code_kind = text` (no quotes) shows what to do, not a Python traceback."""
    from IPython.core.interactiveshell import InteractiveShell
    shell = InteractiveShell.instance()
    shell.run_cell("from medcode import checks; checks.setup_notebook()")
    capsys.readouterr()
    assert not shell.run_cell("code_kind = text").success
    shown = capsys.readouterr()
    assert "does not know the name text" in shown.out + shown.err
    assert "Traceback" not in shown.out + shown.err
    shell.run_cell("def f():\n    return missing_inside\nf()")
    shown = capsys.readouterr()
    assert "Traceback" in shown.out + shown.err, "a NameError inside a function keeps its traceback"


def test_a_cell_python_cannot_read_gets_one_plain_line_first(capsys):
    """`copay = $45`: a plain line on what to look for, above Python's marked line."""
    from IPython.core.interactiveshell import InteractiveShell
    shell = InteractiveShell.instance()
    shell.run_cell("from medcode import checks; checks.setup_notebook()")
    shell.run_cell("from medcode import checks; checks.setup_notebook()")
    capsys.readouterr()
    assert not shell.run_cell("copay = $45").success
    shown = capsys.readouterr().out
    assert shown.count("could not read this cell") == 1 and "$ outside quotes" in shown
    assert shown.index("could not read") < shown.index("SyntaxError")
