"""What an instructor gave that a command cannot use, said in one plain line.

Every verb checks its inputs (an assignment's name, a roster, an LMS download, an output
file) before it changes anything, and raises :class:`BadInput` with one line that names the
thing and says what to do. ``python -m autograde`` prints that line and exits with status 2;
no traceback reaches the instructor unless they ask for it with ``--debug``.
"""
from __future__ import annotations

from pathlib import Path


class BadInput(Exception):
    """An input the command cannot use; the message names it and what to do."""


def assignment(where, name: str) -> str:
    """``name`` if the course has an assignment of that name, else BadInput listing them."""
    source = Path(where.folder("source", ".", name))
    if not list(source.glob("*.ipynb")):
        top = source.parent
        known = sorted(p.name for p in top.iterdir() if p.is_dir() and list(p.glob("*.ipynb"))) \
            if top.is_dir() else []
        raise BadInput(f"there is no assignment called {name!r}: use one of "
                       f"{', '.join(known) or '(none: notebooks/ is empty)'}")
    return name


def input_file(path: str | Path, what: str, how: str) -> Path:
    """``path`` as a readable file, else BadInput naming it as ``what`` and saying ``how``."""
    path = Path(path)
    if path.is_dir():
        raise BadInput(f"{path} is a folder, not {what}: {how}")
    if not path.is_file():
        raise BadInput(f"{path} does not exist: {how}")
    return path


def output_file(path: str | Path, what: str) -> Path:
    """``path`` as a file that can be written, its folder made; BadInput when it cannot be."""
    path = Path(path)
    if path.is_dir():
        raise BadInput(f"{path} is a folder: give a file name for {what}, such as {path / 'grades.csv'}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BadInput(f"cannot make the folder {path.parent} for {what}: {error.strerror}") from error
    return path
