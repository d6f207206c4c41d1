"""What a publisher sets and runs: launch buttons from one repository address, the branch
they open, and a book that builds with or without that address."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from autograde import course

sys.path.insert(0, str(course.ROOT / "book"))
import student_branch  # noqa: E402

BIN = Path(sys.executable).parent
LESSON = "course/release/m0_orientation/01_first"


def git(root, *args):
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                          text=True).stdout.strip()


def test_student_branch_holds_the_release_and_the_library_only(tmp_path):
    for path, text in {"medcode/__init__.py": "", "medcode/data/x.csv": "a\n",
                       "pyproject.toml": "", "requirements.txt": "-e .\n",
                       "notebooks/m0/01.ipynb": "instructor version",
                       "answer_keys/ehr/case.yaml": "key: E11.9", ".gitignore": "course/\n"}.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "x")
    release = tmp_path / "course" / "release" / "m0"
    release.mkdir(parents=True)
    (release / "01.ipynb").write_text("student version")
    (release / ".ipynb_checkpoints").mkdir()
    (release / ".ipynb_checkpoints" / "01-checkpoint.ipynb").write_text("scratch")
    head = git(tmp_path, "rev-parse", "HEAD")

    first = student_branch.commit_branch(tmp_path, "student-release")
    second = student_branch.commit_branch(tmp_path, "student-release")

    files = set(git(tmp_path, "ls-tree", "-r", "--name-only", "student-release").splitlines())
    assert files == {"course/release/m0/01.ipynb", "medcode/__init__.py", "medcode/data/x.csv",
                     "pyproject.toml", "requirements.txt"}
    assert git(tmp_path, "rev-parse", "student-release~1") == first != second
    assert git(tmp_path, "rev-parse", "HEAD") == head            # the branch checked out is untouched
    assert git(tmp_path, "status", "--porcelain") == ""


def tiny_book(root: Path, url: str) -> Path:
    """The course's own _config.yml and extensions over one lesson page and one prose page."""
    for folder in ("_static", "_templates", "book/_ext"):
        shutil.copytree(course.ROOT / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__"))
    config = yaml.safe_load((course.ROOT / "_config.yml").read_text())
    config["repository"]["url"] = url
    config["launch_buttons"]["jupyterhub_url"] = "https://hub.example.edu" if url else ""
    config["execute"]["execute_notebooks"] = "off"
    (root / "_config.yml").write_text(yaml.safe_dump(config))
    (root / "_toc.yml").write_text(yaml.safe_dump(
        {"format": "jb-book", "root": "book/welcome", "chapters": [{"file": "book/how-to-use"}, {"file": LESSON}]}))
    (root / "book" / "welcome.md").write_text("# Welcome\n\nSee Module 0.\n")
    (root / "book" / "how-to-use.md").write_text("# How to use\n\nRead.\n")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# First lesson"),
                                         nbformat.v4.new_code_cell("x = 1")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    (root / LESSON).parent.mkdir(parents=True)
    nbformat.write(nb, root / f"{LESSON}.ipynb")
    build = subprocess.run([str(BIN / "jupyter-book"), "build", str(root), "-W"],
                           capture_output=True, text=True, env={"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(root)})
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    return root / "_build" / "html"


def test_launch_buttons_open_the_student_branch_when_a_repository_is_set(tmp_path):
    html = tiny_book(tmp_path, "https://github.com/example-college/billing-course")
    page = (html / f"{LESSON}.html").read_text()
    path = "course/release/m0_orientation/01_first.ipynb"
    assert (f"https://mybinder.org/v2/gh/example-college/billing-course/student-release"
            f"?urlpath=lab/tree/{path}") in page
    assert f"https://colab.research.google.com/github/example-college/billing-course/blob/student-release/{path}" in page
    assert ("https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A//github.com/"
            f"example-college/billing-course&urlpath=lab/tree/billing-course/{path}"
            "&branch=student-release") in page
    assert 'href="https://github.com/example-college/billing-course"' in page   # the repository link


def test_book_builds_without_a_repository_and_shows_no_launch_button(tmp_path):
    html = tiny_book(tmp_path, "")
    page = (html / f"{LESSON}.html").read_text()
    assert "mybinder.org" not in page and "colab.research" not in page and "git-pull" not in page
