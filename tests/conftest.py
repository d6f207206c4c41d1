"""Fixtures shared by the tests: a private course root per worker, releases made on demand,
the book built once."""
import subprocess
import sys
from pathlib import Path

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


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """The book built once per worker as `make book` builds it: (build process, html folder).

    Tests that use it belong to the xdist group "book", so one worker builds it for all.
    """
    course.release()
    out = tmp_path_factory.mktemp("book")
    bin_dir = Path(sys.executable).parent
    build = subprocess.run(
        [str(bin_dir / "jupyter-book"), "build", str(course.ROOT), "-W", "--keep-going",
         "--path-output", str(out)],
        capture_output=True, text=True, env={"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(out)})
    return build, out / "_build" / "html"
