"""Form-like stubs for student versions: ``primary_dx = ...`` instead of a deleted block.

nbgrader's ClearSolutions replaces everything between ``### BEGIN SOLUTION`` and
``### END SOLUTION`` with one fixed stub. Our students are not programmers, so a blank must
look like a blank on a form: each top-level assignment in the solution region keeps its name
and loses its value. A region without assignments (rare: a worked calculation) gets ``...``.
"""
import re

from nbgrader.preprocessors import ClearSolutions

_ASSIGNMENT = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*(?::[^=]+)?=(?!=)")


def form_stub(region: list[str]) -> list[str]:
    """The blank lines a student sees for one solution region (indentation removed)."""
    body = [line for line in region if line.strip() and not line.strip().startswith("#")]
    if not body:
        return ["..."]
    margin = min(len(line) - len(line.lstrip()) for line in body)
    names = []
    for line in body:
        if len(line) - len(line.lstrip()) == margin:
            match = _ASSIGNMENT.match(line.strip())
            if match and match.group(1) not in names:
                names.append(match.group(1))
    return [f"{name} = ..." for name in names] or ["..."]


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
