"""Time the course pipeline and print a table for the README.

0. with ``--fresh-venv``: a new virtual environment from the pinned requirements.txt, the
   part of a first ``make book`` that happens once per machine;
1. a clean ``make book`` (the .venv already exists; release and book from nothing);
2. ``make book`` again after editing one prose page (the execution cache keeps notebooks);
3. autograding: one correct submission of every assignment through nbgrader, in a throwaway
   course, as seconds per notebook.

Run with ``make benchmark``. Wall-clock times on a shared machine vary; run it on a quiet one.
"""
import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograde import course  # noqa: E402
from tests import harness  # noqa: E402


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def make_book() -> None:
    subprocess.run(["make", "book"], cwd=ROOT, check=True, capture_output=True)


def fresh_venv() -> float:
    """Seconds to create a virtual environment and install requirements.txt into it."""
    with tempfile.TemporaryDirectory() as tmp:
        venv = Path(tmp) / "venv"
        def install():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                            "-r", "requirements.txt"], cwd=ROOT, check=True, capture_output=True)
        return timed(install)


def clean_build() -> float:
    shutil.rmtree(ROOT / "_build", ignore_errors=True)
    shutil.rmtree(course.RELEASE, ignore_errors=True)
    return timed(make_book)


def rebuild_after_edit(page: Path) -> float:
    original = page.read_text()
    try:
        page.write_text(original + "\n<!-- benchmark edit -->\n")
        return timed(make_book)
    finally:
        page.write_text(original)


def autograde_per_notebook() -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        overrides = harness.make_course(Path(tmp) / "course")
        course.release(**overrides)
        grader = course.api(**overrides)
        seconds, notebooks = 0.0, 0
        for assignment in course.assignments():
            harness.submit(overrides, assignment, "bench-student")
            seconds += timed(lambda: course.checked(
                grader.autograde(assignment, "bench-student", force=True, create=True), "autograde"))
            notebooks += len(course.source_notebooks(assignment))
    return seconds / notebooks, notebooks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh-venv", action="store_true", help="also time a new .venv")
    args = parser.parse_args()
    venv = fresh_venv() if args.fresh_venv else None
    clean = clean_build()
    edited = rebuild_after_edit(ROOT / "book" / "welcome.md")
    per_notebook, count = autograde_per_notebook()
    print("| step | seconds |")
    print("|---|---|")
    if venv is not None:
        print(f"| new `.venv` from requirements.txt (once per machine) | {venv:.0f} |")
    print(f"| clean `make book` ({count} notebooks, .venv present) | {clean:.0f} |")
    print(f"| `make book` after editing one page | {edited:.0f} |")
    print(f"| autograde, per notebook (nbgrader, one submission) | {per_notebook:.1f} |")


if __name__ == "__main__":
    main()
