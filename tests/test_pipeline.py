"""The whole way through: release, book, and what must never leak into either."""
import subprocess
import sys
from pathlib import Path

import pytest

from autograde import course, leaks

SECRETS = leaks.course_secrets(course.source_notebooks())
BIN = Path(sys.executable).parent


def test_every_solution_and_hidden_test_is_a_known_secret():
    """The leak scan has something to look for (else it could never fail)."""
    assert len(SECRETS) >= len(course.source_notebooks())


def test_student_release_leaks_nothing(course_copy, released):
    folders = [released(a) for a in course.assignments()]
    for folder in folders:
        assert list(folder.glob("*.ipynb")), f"{folder} is empty"
        assert leaks.find_leaks(SECRETS, folder) == []


def test_leak_scan_finds_a_planted_solution(tmp_path):
    secret = sorted(SECRETS)[0]
    (tmp_path / "page.html").write_text(f"<p>{secret}</p>")
    assert leaks.find_leaks(SECRETS, tmp_path)


def test_audit_fallback_counts_points_and_fails_on_a_leak(tmp_path, capsys):
    """`make audit` in a clone without the course team's tool runs `python -m autograde.leaks`."""
    (tmp_path / "clean.html").write_text("<p>nothing to see</p>")
    assert leaks.main([str(tmp_path)]) == 0
    listing = capsys.readouterr().out
    assert "notebooks/m0_orientation/01_working_in_a_notebook.ipynb: 2 autograded items" in listing
    (tmp_path / "page.html").write_text(f"<p>{sorted(SECRETS)[0]}</p>")
    assert leaks.main([str(tmp_path)]) == 1
    assert "LEAK " in capsys.readouterr().out


def test_cli_release_writes_every_assignment(course_copy):
    # the real command, on the real course folder, as `make book` runs it
    run = subprocess.run([sys.executable, "-m", "autograde", "release"], cwd=course.ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    for assignment in course.assignments():
        assert (course.RELEASE / assignment).is_dir()


@pytest.mark.xdist_group("book")
def test_book_builds_with_warnings_as_errors_and_leaks_nothing(built_book):
    build, html = built_book
    assert build.returncode == 0, build.stdout[-4000:] + build.stderr[-4000:]
    pages = {p.stem for p in html.rglob("*.html")}
    assert {p.stem for p in course.source_notebooks()} <= pages
    assert leaks.find_leaks(SECRETS, html) == []
    for page in html.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "Traceback (most recent call last)" not in text, page
        assert "-" * 40 not in text, f"{page} shows an IPython traceback"
    assert (html / ".nojekyll").exists()   # GitHub Pages serves _static/ as it is
    downloads = list((html / "_sources" / "course" / "release").rglob("*.ipynb"))
    assert downloads and leaks.find_leaks(SECRETS, html / "_sources") == []
