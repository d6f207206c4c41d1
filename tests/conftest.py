"""Fixtures shared by the tests: a private course root per worker, releases made on demand."""
import pytest

from autograde import course
from tests import harness


@pytest.fixture(scope="session")
def course_copy(tmp_path_factory):
    """CourseDirectory overrides for a throwaway course (see tests/harness.py)."""
    return harness.make_course(tmp_path_factory.mktemp("course"))


@pytest.fixture(scope="session")
def released(course_copy):
    """released(assignment) -> folder of its student version, generated once per worker."""
    done = {}

    def release(assignment):
        if assignment not in done:
            course.release([assignment], **course_copy)
            done[assignment] = harness.Path(course_copy["root"]) / "course" / "release" / assignment
        return done[assignment]

    return release
