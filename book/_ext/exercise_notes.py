"""Graded questions read calmly in the book: the question, the blank, a note on how to answer.

In the student notebook a graded item's check cell runs on the blank and says, as a raised
message, that the answer is still blank; nbgrader scores that as zero, which is right in the
notebook. Rendered into the book the same message stood under every question as a red error
box. Here the check's output is left out of the page (the notebook itself is unchanged) and a
note in its place tells the reader where to answer: in JupyterLab or on the course hub.
"""
from docutils import nodes
from sphinx import addnodes

HOW_TO_USE = "/book/how-to-use"
NOTE = ("Answer in your notebook, in JupyterLab or on your course hub: type your answer in "
        "place of the ... above, then run this check. It tells you whether the answer is in "
        "the right form (a real code, a number, a date). ")


def is_graded_check(node) -> bool:
    """A notebook code cell that nbgrader grades (a test cell, not an answer or example)."""
    if not isinstance(node, nodes.container) or node.get("nb_element") != "cell_code":
        return False
    grading = node.get("cell_metadata", {}).get("nbgrader", {})
    return bool(grading.get("grade")) and not grading.get("solution")


def how_to_answer() -> nodes.Element:
    """The note that stands where the blank's "still blank" message would be."""
    link = addnodes.pending_xref("", refdomain="std", reftype="doc", reftarget=HOW_TO_USE,
                                 refexplicit=True, refwarn=True)
    link += nodes.inline("", "How to use this course")
    text = nodes.paragraph("", NOTE)
    text += link
    text += nodes.Text(" shows the steps.")
    note = nodes.admonition("", classes=["note", "exercise-note"])
    note += nodes.title("", "Your answer")
    note += text
    return note


def calm_graded_checks(app, doctree):
    """Replace the output of every graded check cell with the how-to-answer note."""
    for cell in list(doctree.findall(is_graded_check)):
        for output in [c for c in cell.children if c.get("nb_element") == "cell_code_output"]:
            cell.remove(output)
        cell += how_to_answer()


def setup(app):
    app.connect("doctree-read", calm_graded_checks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
