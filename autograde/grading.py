"""``grade``: autograde every submission of an assignment, in parallel and isolated.

nbgrader grades one submission at a time and runs its code with the instructor's rights. Here
each submitted notebook is first *restored* onto the released student version (see
``restore.py``), then run by a pool of worker processes, each notebook in its own sandboxed
kernel (``runner.py``, ``sandbox.py``). nbgrader's own autograde pipeline then scores the
executed notebooks into the one gradebook, in this process, as they come back: its execute
step is swapped for :class:`UseExecuted`, which hands it the worker's result.

Every submission ends with a score, even a file that is not a notebook (graded as blank);
what could not run, and why, is listed in the summary.
"""
from __future__ import annotations

import os
import shutil
import sys
import time
import warnings
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor

from autograde import course, restore, runner
from autograde.sandbox import Limits, protection

MAX_EXTRA_BYTES = 20 * 2**20
# nbgrader builds its preprocessors from classes, so the executed notebooks are handed over
# through these tables, by (student, notebook): the Future of a runner.Outcome, and the
# problems the run met.
PENDING: dict[tuple[str, str], Future] = {}
PROBLEMS: dict[tuple[str, str], list[str]] = {}


@dataclass
class Submission:
    """One student's hand-in of one assignment, and what grading it found."""
    student: str
    notes: list[str] = field(default_factory=list)
    failed: str = ""
    score: float | None = None
    max_score: float | None = None


class UseExecuted(NbGraderPreprocessor):
    """nbgrader's execute step, replaced: take the outputs the worker produced."""

    def preprocess(self, nb, resources):
        key = (resources["nbgrader"]["student"], resources["nbgrader"]["notebook"])
        try:
            outcome = PENDING.pop(key).result()
        except Exception as error:  # the worker could not run it: no score, said why
            PROBLEMS[key] = [f"could not run: {error}"]
            raise
        PROBLEMS[key] = outcome.problems
        ran = {c.get("id"): c for c in nbformat.reads(outcome.notebook, as_version=4).cells}
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            done = ran.get(cell.get("id"))
            if done is None:
                cell.outputs = [runner.error_output("NotRun", "this cell was not run")]
            else:
                cell.outputs, cell.execution_count = done.outputs, done.execution_count
        return nb, resources


class Course:
    """The folders of one course (the real one, or a test's copy given by overrides)."""

    def __init__(self, **overrides):
        from nbgrader.coursedir import CourseDirectory

        self.overrides = overrides
        self.cfg = course.config(**overrides)
        self.dirs = CourseDirectory(config=self.cfg)
        self.root = Path(self.dirs.root)

    def folder(self, kind: str, student: str, assignment: str) -> Path:
        """``kind`` is "submitted", "release", "source", "autograded", "feedback" or "staged"."""
        if kind == "staged":
            return self.root / "course" / "staged" / student / assignment
        return Path(self.dirs.format_path(getattr(self.dirs, f"{kind}_directory"), student,
                                          assignment))

    def students(self, assignment: str) -> list[str]:
        """Students with a submitted folder for ``assignment``."""
        top = Path(self.dirs.format_path(self.dirs.submitted_directory, ".", ".")).resolve()
        if not top.is_dir():
            return []
        return sorted(p.name for p in top.iterdir() if (p / assignment).is_dir())

    def notebooks(self, assignment: str) -> dict[str, Path]:
        """The released notebooks of ``assignment`` by name (released first if need be)."""
        release = self.folder("release", ".", assignment)
        if not list(release.glob("*.ipynb")):
            course.release([assignment], **self.overrides)
        return {p.stem: p for p in sorted(release.glob("*.ipynb"))}

    def versions(self, assignment: str) -> dict[str, tuple]:
        """(released, source) notebook of each notebook of ``assignment``, by name."""
        source = self.folder("source", ".", assignment)
        return {name: (nbformat.read(path, as_version=4),
                       nbformat.read(source / path.name, as_version=4))
                for name, path in self.notebooks(assignment).items()}


def _submitted_file(folder: Path, name: str, releases: dict, sub: Submission) -> bytes | None:
    """The bytes a student handed in for notebook ``name``, found by name or by content."""
    exact = folder / f"{name}.ipynb"
    if exact.is_file():
        return exact.read_bytes()
    for other in sorted(folder.glob("*.ipynb")):
        if other.stem in releases:
            continue
        try:
            if restore.identify(restore.read(other.read_bytes()), releases) == name:
                sub.notes.append(f"{name}: handed in as {other.name!r}")
                return other.read_bytes()
        except ValueError:
            continue
    return None


def _extra_files(folder: Path) -> dict[str, bytes]:
    """The non-notebook files of a folder, for a scratch folder (size-capped): the student's
    own, then the release's data files, which win over a student's file of the same name."""
    files, total = {}, 0
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix != ".ipynb" and path.name != "timestamp.txt":
            total += path.stat().st_size
            if total <= MAX_EXTRA_BYTES:
                files[path.name] = path.read_bytes()
    return files


def stage(where: Course, assignment: str, student: str, versions: dict, pool,
          limits: Limits) -> Submission:
    """Restore a student's notebooks into course/staged and queue each one to run."""
    sub = Submission(student)
    folder = where.folder("submitted", student, assignment)
    staged = where.folder("staged", student, assignment)
    shutil.rmtree(staged, ignore_errors=True)
    staged.mkdir(parents=True)
    if (folder / "timestamp.txt").is_file():
        shutil.copy(folder / "timestamp.txt", staged / "timestamp.txt")
    releases = {name: release for name, (release, _) in versions.items()}
    files = {**_extra_files(folder), **_extra_files(where.folder("release", ".", assignment))}
    handed_in = {name: _submitted_file(folder, name, releases, sub) for name in versions}
    nothing = all(raw is None for raw in handed_in.values())
    if nothing:  # nbgrader scores a missing notebook zero only when another one is there
        sub.notes.append("no notebook of this assignment handed in: graded as blank")
    for name, (release, source) in versions.items():
        raw = handed_in[name]
        if raw is None and not nothing:
            sub.notes.append(f"{name}: not handed in (scored zero)")
            continue
        try:
            fixed = restore.restore(restore.read(raw or b""), release)
        except ValueError as problem:
            if not nothing:
                sub.notes.append(f"{name}: {problem}; graded as blank (the file is kept)")
            fixed = restore.Restored(release)
        sub.notes += [f"{name}: {note}" for note in fixed.repairs]
        runnable = nbformat.writes(restore.with_tests(fixed.notebook, source))
        (staged / f"{name}.ipynb").write_text(runnable, encoding="utf-8")
        PENDING[(student, name)] = pool.submit(runner.execute, runnable, files, limits)
    return sub


def _grader(where: Course):
    """nbgrader on the staged copies, with execution handed to the worker pool.

    The staged notebooks are built by us from the release and the source (hidden tests
    included), so nbgrader's sanitizing and metadata checks have nothing left to repair:
    they are left out, which halves nbgrader's own time per notebook.
    """
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import CheckCellMetadata, Execute

    cfg = course.config(**where.overrides)
    cfg.CourseDirectory.submitted_directory = "course/staged"
    steps = Autograde.class_traits()["autograde_preprocessors"].default()
    cfg.Autograde.sanitize_preprocessors = []
    cfg.Autograde.autograde_preprocessors = [UseExecuted if s is Execute else s for s in steps
                                             if s is not CheckCellMetadata]
    course.venv_bin_on_path()
    return NbGraderAPI(CourseDirectory(config=cfg), config=cfg)


def _score(where: Course, assignment: str, sub: Submission) -> None:
    from nbgrader.api import Gradebook

    with Gradebook(where.dirs.db_url, where.dirs.course_id) as book:
        found = book.find_submission(assignment, sub.student)
        sub.score, sub.max_score = found.score, found.max_score


def _progress(done: int, total: int, started: float) -> None:
    width = 30
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} submissions "
                     f"{time.monotonic() - started:5.1f} s")
    sys.stderr.flush()


def grade(assignment: str, workers: int | None = None, limits: Limits = Limits(),
          progress: bool = True, **overrides) -> list[Submission]:
    """Autograde every submission of ``assignment`` into the gradebook; one entry per student."""
    warnings.filterwarnings("ignore", module="nbgrader.api")  # its own SQLAlchemy notices
    where = Course(**overrides)
    students = where.students(assignment)
    workers = workers or os.cpu_count() or 1
    grader = _grader(where)
    started = time.monotonic()
    results = []
    context = get_context("forkserver")
    context.set_forkserver_preload(["autograde.runner"])
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        versions = where.versions(assignment)
        staged = [stage(where, assignment, s, versions, pool, limits) for s in students]
        for done, sub in enumerate(staged, 1):
            result = grader.autograde(assignment, sub.student, force=True, create=True)
            sub.notes += _collect(sub.student)
            if result.get("success"):
                _score(where, assignment, sub)
            else:
                why = [n for n in sub.notes if "could not run" in n]
                last = (result.get("error") or "nbgrader failed").strip().splitlines()[-1:]
                sub.failed = "; ".join(why or last or ["nbgrader failed"])
            results.append(sub)
            if progress:
                _progress(done, len(staged), started)
    if progress and staged:
        sys.stderr.write("\n")
    return results


def _collect(student: str) -> list[str]:
    """The run problems of a student's notebooks; drops what is left of theirs in the tables."""
    for key in [k for k in PENDING if k[0] == student]:
        PENDING.pop(key).cancel()
    mine = sorted(k for k in PROBLEMS if k[0] == student)
    return [f"{key[1]}: {problem}" for key in mine for problem in PROBLEMS.pop(key)]


def summary(assignment: str, results: list[Submission], seconds: float, workers: int) -> str:
    """What an instructor reads after grading: counts, protection, and every problem."""
    lines = [f"graded {len(results)} submission(s) of {assignment} on {workers} worker(s) "
             f"in {seconds:.1f} s", f"protection: {protection()}"]
    for sub in results:
        if sub.failed:
            lines.append(f"  NO SCORE {sub.student}: {sub.failed}")
        elif sub.notes:
            lines.append(f"  {sub.student} ({sub.score:g}/{sub.max_score:g}): " +
                         "; ".join(sub.notes))
    missing = [s for s in results if s.failed]
    lines.append(f"{len(results) - len(missing)} of {len(results)} submission(s) have a score")
    return "\n".join(lines)
