"""Where the course lives and how to drive nbgrader on it from Python.

nbgrader's Python API avoids the command line's start-up cost for every call. It shells out to
``alembic`` when it first creates the gradebook, so the virtual environment's ``bin`` folder is
put on PATH before any nbgrader call.
"""
from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path

from traitlets.config import Config, PyFileConfigLoader

from autograde.problems import BadInput

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "notebooks"
GENERATED = ROOT / "course"
RELEASE = GENERATED / "release"
CONFIG_FILE = Path(__file__).resolve().parent / "nbgrader_config.py"


class NbgraderFailed(RuntimeError):
    """An nbgrader step failed; the message carries nbgrader's own log."""


def venv_bin_on_path() -> None:
    """nbgrader shells out to ``alembic``: put this environment's bin first on PATH."""
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


def config(**overrides) -> Config:
    """The course's nbgrader configuration, with ``CourseDirectory`` overrides (root=..., ...)."""
    loader = PyFileConfigLoader(CONFIG_FILE.name, path=str(CONFIG_FILE.parent))
    cfg = loader.load_config()
    for key, value in overrides.items():
        setattr(cfg.CourseDirectory, key, value)
    return cfg


@lru_cache(maxsize=None)
def _api_for(overrides: tuple):
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    venv_bin_on_path()
    GENERATED.mkdir(exist_ok=True)
    cfg = config(**dict(overrides))
    return NbGraderAPI(CourseDirectory(config=cfg), config=cfg)


def api(**overrides):
    """An ``NbGraderAPI`` on the course (or on a copy of it, given CourseDirectory overrides)."""
    return _api_for(tuple(sorted(overrides.items())))


def assignments() -> list[str]:
    """The assignment folders under notebooks/, in syllabus order."""
    return sorted(p.name for p in SOURCE.iterdir() if p.is_dir() and not p.name.startswith("."))


def source_notebooks(assignment: str | None = None) -> list[Path]:
    """The instructor source notebooks, of one assignment or of all."""
    folders = [SOURCE / assignment] if assignment else [SOURCE / a for a in assignments()]
    return sorted(nb for folder in folders for nb in folder.glob("*.ipynb"))


def checked(result: dict, what: str) -> dict:
    """Raise with nbgrader's log when an API call reports failure."""
    if not result.get("success"):
        raise NbgraderFailed(f"{what} failed:\n{result.get('error') or ''}\n{result.get('log') or ''}")
    return result


def release(names=None, **overrides) -> list[str]:
    """Generate the student version of each (or the named) assignment into course/release."""
    grader = api(**overrides)
    names = list(names or assignments())
    for name in names:
        checked(grader.generate_assignment(name, force=True), f"generate_assignment {name}")
    return names


class NotReleased(BadInput):
    """An assignment was read before its student version was made."""


class Course:
    """The folders of one course (the real one, or a test's copy given by overrides).

    nbgrader's folders (source, release, submitted, autograded, feedback) follow the course's
    nbgrader configuration; the toolkit's own (staged, lms, unmatched, reports) sit beside them
    under ``course/``. Reading a course never changes it: nothing here releases anything.
    """

    OWN = ("staged", "lms", "unmatched", "reports")

    def __init__(self, **overrides):
        from nbgrader.coursedir import CourseDirectory

        self.overrides = overrides
        self.cfg = config(**overrides)
        self.dirs = CourseDirectory(config=self.cfg)
        self.root = Path(self.dirs.root)

    def folder(self, kind: str, student: str = ".", assignment: str = ".") -> Path:
        """A course folder: nbgrader's ("submitted", "release", "source", "autograded",
        "feedback"), per student and assignment, or the toolkit's ("staged", "lms",
        "unmatched", "reports"), per student (staged only) and assignment."""
        if kind == "staged":
            return self.root / "course" / "staged" / student / assignment
        if kind in self.OWN:
            return self.root / "course" / kind / assignment
        return Path(self.dirs.format_path(getattr(self.dirs, f"{kind}_directory"), student,
                                          assignment))

    def students(self, assignment: str) -> list[str]:
        """Students with a submitted folder for ``assignment``."""
        top = self.folder("submitted").resolve()
        if not top.is_dir():
            return []
        return sorted(p.name for p in top.iterdir() if (p / assignment).is_dir())

    def notebooks(self, assignment: str) -> dict[str, Path]:
        """The released notebooks of ``assignment`` by name; NotReleased when there are none."""
        release = self.folder("release", ".", assignment)
        found = {p.stem: p for p in sorted(release.glob("*.ipynb"))}
        if not found:
            raise NotReleased(f"{assignment} has not been released here: run "
                              f"`python -m autograde release {assignment}` first")
        return found

    def versions(self, assignment: str) -> dict[str, tuple]:
        """(released, source) notebook of each notebook of ``assignment``, by name."""
        import nbformat

        source = self.folder("source", ".", assignment)
        return {name: (nbformat.read(path, as_version=4),
                       nbformat.read(source / path.name, as_version=4))
                for name, path in self.notebooks(assignment).items()}
