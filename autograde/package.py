"""A zip of an assignment's student version, to upload to an LMS as the students' download.

Only the released files go in (student notebooks with blanks and any data files), so the zip
carries nothing the release does not; ``tests/test_toolkit.py`` scans it for leaks. The course
cartridge (``autograde.cartridge``) carries the same zip as each module's download.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from autograde.course import Course


def zip_release(assignment: str, **overrides) -> Path:
    """course/lms/<assignment>.zip with every released file of ``assignment``."""
    where = Course(**overrides)
    return write_zip(where.folder("release", ".", assignment), assignment,
                     where.folder("lms") / f"{assignment}.zip")


def write_zip(release: Path, assignment: str, out: Path) -> Path:
    """Every file of one assignment's release folder (hidden files aside) into ``out``, under
    a folder named after the assignment."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(release.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                bundle.write(path, Path(assignment) / path.relative_to(release))
    return out
