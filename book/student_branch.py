"""The branch the book's launch buttons open: the student release and the library it imports.

    python book/student_branch.py [--branch student-release]        (make student-branch)

Binder, a JupyterHub (through nbgitpuller) and Colab open ``course/release/<module>/<page>.ipynb``
on the branch that ``_config.yml`` names in ``repository.branch``. On the main branch that folder
is generated and git-ignored, and beside it sit the instructor notebooks and the answer keys,
which must never reach a student's kernel. This script commits, on its own branch and without
touching the work tree, the index or the branch checked out, a tree holding only

* ``course/release/**.ipynb``, the student versions (``make release`` writes them);
* ``medcode/``, ``pyproject.toml`` and ``requirements.txt``, so that Binder or a hub can
  install the library the notebooks import (``pip install -r requirements.txt``).

Each run adds one commit on top of the branch's last, named after the commit it was built from.
Push it with ``git push origin student-release``.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ["medcode", "pyproject.toml", "requirements.txt"]
RELEASE = Path("course") / "release"


def git(root: Path, *args: str, env=None) -> str:
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


def student_files(root: Path) -> list[str]:
    """The library's tracked files and every released notebook, as paths from ``root``."""
    tracked = git(root, "ls-files", "-z", "--", *SHIPPED).split("\0")
    notebooks = [str(p.relative_to(root)) for p in sorted((root / RELEASE).rglob("*.ipynb"))
                 if ".ipynb_checkpoints" not in p.parts]
    if not notebooks:
        raise SystemExit(f"no notebook in {RELEASE}: run `make release` first")
    return [f for f in tracked if f] + notebooks


def commit_branch(root: Path, branch: str) -> str:
    """Commit the student files as the next commit of ``branch``; return its id."""
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "GIT_INDEX_FILE": str(Path(scratch) / "index")}
        env.setdefault("GIT_AUTHOR_NAME", "Course release")
        env.setdefault("GIT_AUTHOR_EMAIL", "release@example.invalid")
        env.setdefault("GIT_COMMITTER_NAME", env["GIT_AUTHOR_NAME"])
        env.setdefault("GIT_COMMITTER_EMAIL", env["GIT_AUTHOR_EMAIL"])
        git(root, "read-tree", "--empty", env=env)
        subprocess.run(["git", "update-index", "--add", "-z", "--stdin"], cwd=root, env=env,
                       check=True, input="\0".join(student_files(root)), text=True)
        tree = git(root, "write-tree", env=env)
        source = git(root, "rev-parse", "--short=12", "HEAD")
        parent = subprocess.run(["git", "rev-parse", "-q", "--verify", f"refs/heads/{branch}"],
                                cwd=root, capture_output=True, text=True).stdout.strip()
        commit = git(root, "commit-tree", tree, *(["-p", parent] if parent else []),
                     "-m", f"Student release built from {source}", env=env)
        git(root, "update-ref", f"refs/heads/{branch}", commit)
    return commit


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--branch", default="student-release")
    args = parser.parse_args(argv)
    commit = commit_branch(ROOT, args.branch)
    print(f"{args.branch} is now {commit[:12]}: push it with `git push origin {args.branch}`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
