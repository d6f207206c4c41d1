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
