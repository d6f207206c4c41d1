"""The book's syllabus states each module's autograded points as its notebooks hold them."""
import re

import nbformat

from autograde import course, hidden


def test_the_syllabus_states_each_modules_autograded_points_as_the_notebooks_hold_them():
    """A module's "N autograded points" in the syllabus is the sum of its notebooks' tests."""
    text = (course.ROOT / "book" / "syllabus.md").read_text(encoding="utf-8")
    modules = re.split(r"^### Module (\d):", text, flags=re.M)
    stated = {int(number): re.findall(r"(\d+) autograded points", body)
              for number, body in zip(modules[1::2], modules[2::2])}
    for assignment in course.assignments():
        number = int(assignment[1])
        held = sum(item.points for path in sorted((course.ROOT / "notebooks" / assignment)
                                                  .glob("*.ipynb"))
                   for item in hidden.plan(nbformat.read(path, 4)).items)
        assert all(int(n) == held for n in stated.get(number, [])), (assignment, held, stated)
    assert sum(len(v) for v in stated.values()) >= 3
