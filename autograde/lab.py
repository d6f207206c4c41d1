"""The two ways to open the course in JupyterLab, each showing only what its user should see.

* ``student`` (``make lab``): JupyterLab rooted at the student release, so the instructor
  notebooks and answer keys are not one click away. Of nbgrader it keeps only what a student
  uses: Validate, and the assignment list when an nbgrader exchange exists (without one that
  list can only say "Error fetching courses!"). Formgrader, Create Assignment and JupyterLab's
  news announcements are off, and the Validate dialog wraps long lines instead of cutting them. Its kernels run a notebook's set-up cell first when a student
  starts further down (:mod:`medcode.preamble`).
* ``instructor`` (``make lab-instructor``): the repository with every nbgrader tool.

The student's settings are written at each start under ``course/lab/`` (git-ignored): a
Jupyter config folder, a kernel spec and JupyterLab's own settings and workspaces, so nothing
in the student's home folder changes and the repository holds no generated files.

``python -m autograde.lab student|instructor [jupyter lab options ...]``
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from autograde import course

EXCHANGE = Path("/srv/nbgrader/exchange")
"""nbgrader's default exchange folder; a JupyterHub set up for nbgrader creates it."""

INSTRUCTOR_ONLY = ["@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment"]
EXCHANGE_PLUGINS = ["@jupyter/nbgrader:assignment-list", "@jupyter/nbgrader:course-list",
                    "@jupyter/nbgrader:menu"]
NEWS = "@jupyterlab/apputils-extension:announcements"
SERVER_INSTRUCTOR_ONLY = ["nbgrader.server_extensions.formgrader"]
SERVER_EXCHANGE = ["nbgrader.server_extensions.assignment_list",
                   "nbgrader.server_extensions.course_list"]


STUDENT_CSS = """\
/* nbgrader's Validate dialog shows each message in a <pre>: wrap long \u2717 lines, do not cut them. */
#validation-message pre { white-space: pre-wrap; overflow-wrap: anywhere; }
"""


def disabled_plugins(exchange: bool) -> list[str]:
    """The JupyterLab plugins a student's lab turns off."""
    return INSTRUCTOR_ONLY + [NEWS] + ([] if exchange else EXCHANGE_PLUGINS)


def disabled_server_extensions(exchange: bool) -> list[str]:
    """The nbgrader server extensions a student's lab turns off."""
    return SERVER_INSTRUCTOR_ONLY + ([] if exchange else SERVER_EXCHANGE)


def _write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def student_settings(folder: Path, exchange: bool) -> dict[str, str]:
    """Write the student's lab settings under ``folder``; the environment variables using them."""
    config, share = folder / "config", folder / "share"
    _write_json(config / "jupyter_server_config.json", {
        "ServerApp": {"jpserver_extensions": {
            name: False for name in disabled_server_extensions(exchange)}},
        "LabApp": {"custom_css": True}})
    (config / "custom").mkdir(exist_ok=True)
    (config / "custom" / "custom.css").write_text(STUDENT_CSS, encoding="utf-8")
    _write_json(config / "labconfig" / "page_config.json", {"disabledExtensions": {
        name: True for name in disabled_plugins(exchange)}})
    _write_json(share / "kernels" / "python3" / "kernel.json", {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                 "--ext=medcode.preamble"],
        "display_name": "Python 3 (ipykernel)", "language": "python",
        "metadata": {"debugger": True}})
    return {"JUPYTER_CONFIG_DIR": str(config), "JUPYTER_PATH": str(share),
            "JUPYTERLAB_SETTINGS_DIR": str(folder / "settings"),
            "JUPYTERLAB_WORKSPACES_DIR": str(folder / "workspaces")}


def command(who: str, root: Path | None = None, folder: Path | None = None,
            exchange: bool | None = None) -> tuple[list[str], dict[str, str]]:
    """The ``jupyter lab`` command line and environment for ``who`` ("student"/"instructor").

    ``root`` is the folder the lab shows (the release for a student, the repository for an
    instructor); ``folder`` where a student's settings go; ``exchange`` whether an nbgrader
    exchange exists (found on disk unless given).
    """
    jupyter = [sys.executable, "-m", "jupyter", "lab"]
    env = dict(os.environ)
    if who == "instructor":
        return jupyter + [f"--ServerApp.root_dir={root or course.ROOT}"], env
    if who != "student":
        raise ValueError(f"who is 'student' or 'instructor', not {who!r}")
    root = root or course.RELEASE
    exchange = EXCHANGE.is_dir() if exchange is None else exchange
    env.update(student_settings(folder or course.GENERATED / "lab", exchange))
    return jupyter + [f"--ServerApp.root_dir={root}"], env


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("student", "instructor"):
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    args, env = command(argv[0])
    os.chdir(course.ROOT)
    os.execve(args[0], args + argv[1:], env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
