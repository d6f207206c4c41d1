"""Form-like stubs for student versions: ``primary_dx = ...`` instead of a deleted block.

nbgrader's ClearSolutions replaces everything between ``### BEGIN SOLUTION`` and
``### END SOLUTION`` with one fixed stub. Our students are not programmers, so a blank must
look like a blank on a form: each top-level assignment in the solution region keeps its name
and loses its value, and a form (the fields of a dict, between ``name = {`` and ``}`` kept
outside the markers) keeps its field names with each value blank. A region without assignments (rare: a worked calculation) gets ``...``.
"""
import ast
import re
import textwrap

from nbgrader.preprocessors import ClearSolutions

def _names_assigned(region: str) -> list[str] | None:
    """``name = ...`` for each top-level assignment, or None if the region is not statements."""
    try:
        tree = ast.parse(region)
    except SyntaxError:
        return None
    return [f"{node.targets[0].id} = ..." for node in tree.body
            if isinstance(node, ast.Assign) and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)]


def _fields_blanked(region: str) -> list[str] | None:
    """``"field": ...,`` for each entry when the region is the inside of a form (a dict)."""
    try:
        tree = ast.parse("{\n" + region + "\n}", mode="eval")
    except SyntaxError:
        return None
    keys = tree.body.keys if isinstance(tree.body, ast.Dict) else None
    if not keys or not all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in keys):
        return None
    return ["\"" + k.value.replace('"', '\\"') + "\": ...," for k in keys]


def form_stub(region: list[str]) -> list[str]:
    """The blank lines a student sees for one solution region (indentation removed).

    A region of assignments gives ``name = ...`` per name. A region that is the inside of a
    form, written between ``name = {`` and ``}`` that stay outside the markers, gives each
    field with a blank value. The stub never repeats a solution line, so the leak audit
    stays quiet.
    """
    text = textwrap.dedent("\n".join(region))
    return _names_assigned(text) or _fields_blanked(text) or ["..."]


class FormStubs(ClearSolutions):
    """ClearSolutions whose code stub names the variables the student must fill in."""

    def _replace_solution_region(self, cell, language):
        if cell.cell_type != "code":
            return super()._replace_solution_region(cell, language)
        out, region, indent, inside, replaced = [], [], "", False, False
        for line in cell.source.split("\n"):
            if self.begin_solution_delimeter in line:
                if inside:
                    raise RuntimeError("encountered nested begin solution statements")
                inside, replaced, region = True, True, []
                indent = re.match(r"\s*", line).group(0)
            elif self.end_solution_delimeter in line:
                out.extend(indent + stub for stub in form_stub(region))
                inside = False
            elif inside:
                region.append(line)
            else:
                out.append(line)
        if inside:
            raise RuntimeError("no end solution statement found")
        cell.source = "\n".join(out)
        return replaced
