"""A zip of an assignment's student version, to upload to an LMS as the students' download.

Only the released files go in (student notebooks with blanks and any data files), so the zip
carries nothing the release does not; ``tests/test_toolkit.py`` scans it for leaks.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from autograde.course import Course


def zip_release(assignment: str, **overrides) -> Path:
    """course/lms/<assignment>.zip with every released file of ``assignment``."""
    where = Course(**overrides)
    release = where.folder("release", ".", assignment)
    out = where.folder("lms") / f"{assignment}.zip"
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(release.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                bundle.write(path, Path(assignment) / path.relative_to(release))
    return out
