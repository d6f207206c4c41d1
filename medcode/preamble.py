"""The notebook's set-up cell runs before any other, even when a student skips it.

A student who opens a notebook and runs the question they came for, without the set-up cell
at the top, would meet Python's NameError for ``checks``. The student's JupyterLab
(``make lab``) starts every kernel with this IPython extension (``--ext medcode.preamble``
in the kernel spec ``autograde.lab`` writes): when the first cell a kernel runs is
not the notebook's preamble, the preamble runs first, read from the notebook file the kernel
was started for. A kernel restart starts the same way again.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

NOTICE = "(The set-up cell at the top of this notebook had not run yet: it ran first.)"


def notebook_path() -> Path | None:
    """The notebook this kernel runs for: Jupyter Server names it in ``JPY_SESSION_NAME``.

    The name may be relative to the server's root; the kernel starts in the notebook's own
    folder, so the file name alone finds it there.
    """
    session = os.environ.get("JPY_SESSION_NAME")
    if not session:
        return None
    path = Path(session)
    for candidate in (path, Path.cwd() / path.name):
        if candidate.is_absolute() and candidate.is_file():
            return candidate
    return None


def preamble_source(path: Path) -> str | None:
    """The source of the notebook's first cell when it is the course preamble, else None."""
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells") or [{}]
    except (OSError, ValueError, AttributeError):
        return None
    first = cells[0] if isinstance(cells[0], dict) else {}
    meta = (first.get("metadata") or {}).get("nbgrader") or {}
    if not isinstance(meta, dict) or meta.get("grade_id") != "preamble":
        return None
    source = first.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


class FirstCell:
    """IPython pre-run hook: before the kernel's first cell, run the preamble unless it is it."""

    def __init__(self, shell):
        self.shell = shell
        self.seen = False

    def __call__(self, info) -> None:
        if self.seen:
            return
        self.seen = True
        path = notebook_path()
        source = preamble_source(path) if path else None
        if not source or info.raw_cell.strip() == source.strip():
            return
        print(NOTICE)
        self.shell.ex(source)


def load_ipython_extension(shell) -> None:
    """Called by IPython for ``--ext medcode.preamble``."""
    shell.events.register("pre_run_cell", FirstCell(shell))
