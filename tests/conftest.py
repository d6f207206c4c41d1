"""Fixtures shared by the tests: a private course root per worker, releases made on demand,
the book built once."""
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

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
def run_dir(tmp_path_factory) -> Path:
    """A folder shared by every xdist worker of this test run (and by this run only)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def built_book(run_dir):
    """The book built once per test run as `make book` builds it, from a private copy of its
    sources and release: (build result with returncode, stdout, stderr; html folder).

    (xdist_group marks do not keep tests on one worker with pytest 9 and xdist 3.8, so the
    workers share one build through a lock instead of each building the book.)
    """
    root = run_dir / "book"

    def build():
        harness.book_root(root)
        bin_dir = Path(sys.executable).parent
        done = subprocess.run(
            [str(bin_dir / "jupyter-book"), "build", str(root), "-W", "--keep-going"],
            capture_output=True, text=True,
            env={"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(root)})
        return {"returncode": done.returncode, "stdout": done.stdout[-8000:],
                "stderr": done.stderr[-8000:]}

    result = harness.once(run_dir / "book-build.json", build)
    return SimpleNamespace(**result), root / "_build" / "html"
