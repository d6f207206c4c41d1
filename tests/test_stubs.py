"""Student blanks look like a form: the name stays, the value goes."""
import nbformat

from autograde.stubs import FormStubs, form_stub


def test_each_assignment_keeps_its_name():
    assert form_stub(['primary_dx = "E11.9"', "copay = 20"]) == ["primary_dx = ...", "copay = ..."]


def test_the_inside_of_a_form_keeps_its_field_names_with_blank_values():
    region = ['    "copay": 20,', '    "dx": ["I10",', '           "E11.9"],']
    assert form_stub(region) == ['"copay": ...,', '"dx": ...,']


def test_a_whole_dict_in_the_region_is_one_blank_so_no_solution_line_repeats():
    assert form_stub(["form = {", '    "copay": 20,', "}"]) == ["form = ..."]


def test_a_multiline_list_becomes_one_blank():
    assert form_stub(["codes = [", '    "E11.9",', '    "I10",', "]"]) == ["codes = ..."]


def test_a_region_without_assignment_is_a_bare_blank():
    assert form_stub(["print(1)"]) == ["..."]
    assert form_stub(["this is not python ("]) == ["..."]
    assert form_stub(["# only a comment", ""]) == ["..."]


def test_comparisons_are_not_assignments():
    assert form_stub(["x == 1"]) == ["..."]


def test_preprocessor_keeps_text_around_the_region_and_its_indent():
    cell = nbformat.v4.new_code_cell(
        "# Write the code\n### BEGIN SOLUTION\ndx = 'I10'\n### END SOLUTION\nprint(dx)")
    cell.metadata["nbgrader"] = {"solution": True, "grade": False, "grade_id": "dx_answer",
                                 "locked": False, "schema_version": 3}
    assert FormStubs()._replace_solution_region(cell, "python")
    assert cell.source == "# Write the code\ndx = ...\nprint(dx)"
