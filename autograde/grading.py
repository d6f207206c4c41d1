"""``grade``: autograde every submission of an assignment, in parallel, trusting no student code.

For each submitted notebook:

1. it is *restored* onto the released student version (``restore.py``): only the student's
   answers and cells of their own are taken from the file;
2. a pool worker runs it in a sandboxed kernel (``runner.py``, ``sandbox.py``) **without any
   test cell**: where a test cell stood, the kernel only sends out the answers that test reads,
   as plain data (``answers.py``);
3. the same worker, a process that never runs student code, runs the hidden tests on those
   values (``hidden.py``) and returns a structured result per item, with nbgrader's copy of the
   notebook carrying the trusted results in its test cells;
4. nbgrader's own autograde pipeline, without its execute step, scores that copy into the one
   gradebook, so formgrader, manual grading, late penalties and feedback work as usual.

Every submission ends with a score: a file that cannot be read, restored or run is graded as
blank and the reason is listed in the summary.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import time
import warnings
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from multiprocessing import get_context
from pathlib import Path

import nbformat

from autograde import answers, cells, course, hidden, restore, runner
from autograde.course import Course
from autograde.sandbox import Limits, protection

MAX_EXTRA_BYTES = 20 * 2**20


@dataclass
class Submission:
    """One student's hand-in of one assignment, and what grading it found."""
    student: str
    notes: list[str] = field(default_factory=list)
    failed: str = ""
    score: float | None = None
    max_score: float | None = None
    items: dict[str, list[hidden.Result]] = field(default_factory=dict)


@dataclass(frozen=True)
class Job:
    """One notebook to grade, as the worker receives it: nothing but data."""
    notebook: str           # restored notebook (student version + answers), as JSON
    tests: str              # the same with the source's full test cells, for nbgrader
    plan: hidden.Plan
    files: dict[str, bytes]
    limits: Limits


# --------------------------------------------------------------- in a worker process

def _to_run(restored: nbformat.NotebookNode, notebook_plan: hidden.Plan):
    """The notebook the student's kernel runs: each test cell replaced by a harvest of the
    answers it reads, so no test, visible or hidden, ever reaches the kernel."""
    names = {item.grade_id: item.names for item in notebook_plan.items}
    for cell in restored.cells:
        if cells.is_test(cell):
            cell.source = answers.harvest_code(names.get(cells.grade_id(cell), ()))
    return restored


def _answers_of(ran: nbformat.NotebookNode, notebook_plan: hidden.Plan) -> dict:
    """What each test cell's harvest sent: {name: value}, or the plain reason it sent none."""
    names = {item.grade_id: item.names for item in notebook_plan.items}
    found = {}
    for cell in ran.cells:
        if not cells.is_test(cell):
            continue
        unrun = [o for o in cell.outputs if o.get("ename") == "NotRun"]
        try:
            found[cells.grade_id(cell)] = (unrun[0].evalue if unrun else
                                           answers.read(cell.outputs, names[cells.grade_id(cell)]))
        except answers.Unreadable as problem:
            found[cells.grade_id(cell)] = f"your answers could not be read ({problem})"
    return found


@lru_cache(maxsize=1)
def _ahead() -> runner.Ahead:
    """This worker process's kernels: the next notebook's starts while this one runs."""
    return runner.Ahead()


def grade_notebook(job: Job) -> hidden.Graded:
    """Run the student's notebook sandboxed, then its hidden tests here, on plain data."""
    outcome = _ahead().execute(nbformat.writes(_to_run(nbformat.reads(job.notebook, 4), job.plan)),
                             job.files, job.limits)
    ran = nbformat.reads(outcome.notebook, 4)
    return _scored(job, ran, hidden.run(job.plan, _answers_of(ran, job.plan)), outcome.problems)


def _scored(job: Job, ran, results: list[hidden.Result], problems: list[str]) -> hidden.Graded:
    """nbgrader's copy: the source's test cells with the trusted results as their outputs,
    every other code cell with what it printed in the student's kernel."""
    by_id = {r.grade_id: r for r in results}
    scored = nbformat.reads(job.tests, 4)
    for mine, done in zip(scored.cells, ran.cells):
        if cells.is_test(mine):
            mine.outputs = by_id[cells.grade_id(mine)].outputs()
        elif mine.cell_type == "code":
            mine.outputs, mine.execution_count = done.outputs, done.execution_count
    notes = [f"{r.grade_id}: the test itself failed ({r.note})" for r in results if r.note]
    return hidden.Graded(nbformat.writes(scored), problems + notes, results)


def _not_run(job: Job, why: str) -> hidden.Graded:
    """A notebook whose kernel could not run at all: every item zero, with the reason."""
    ran = nbformat.reads(job.notebook, 4)
    unrun = {item.grade_id: why for item in job.plan.items}
    return _scored(job, ran, hidden.run(job.plan, unrun), [f"could not run: {why}"])


# --------------------------------------------------------------- in the grading process

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
    """The non-notebook files of a folder, for the kernel (size-capped): the student's own,
    then the release's data files, which win over a student's file of the same name."""
    files, total = {}, 0
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if path.is_file() and path.suffix != ".ipynb" and path.name != "timestamp.txt":
            total += path.stat().st_size
            if total <= MAX_EXTRA_BYTES:
                files[path.name] = path.read_bytes()
    return files


@dataclass
class Assignment:
    """What grading one assignment needs of it, read once."""
    name: str
    versions: dict[str, tuple]          # notebook -> (released, source)
    plans: dict[str, hidden.Plan]
    files: dict[str, bytes]

    @classmethod
    def read(cls, where: Course, name: str) -> "Assignment":
        versions = where.versions(name)
        plans = {nb: hidden.plan(source) for nb, (_, source) in versions.items()}
        return cls(name, versions, plans, _extra_files(where.folder("release", ".", name)))


def _restored(raw: bytes | None, name: str, release, sub: Submission, nothing: bool):
    try:
        fixed = restore.restore(restore.read(raw or b""), release)
    except ValueError as problem:
        if not nothing:
            sub.notes.append(f"{name}: {problem}; graded as blank (the file is kept)")
        return restore.Restored(release).notebook
    sub.notes += [f"{name}: {note}" for note in fixed.repairs]
    return fixed.notebook


def stage(where: Course, work: Assignment, student: str, limits: Limits) -> tuple:
    """A student's jobs, one per notebook, and their folder in course/staged."""
    sub = Submission(student)
    folder = where.folder("submitted", student, work.name)
    staged = where.folder("staged", student, work.name)
    shutil.rmtree(staged, ignore_errors=True)
    staged.mkdir(parents=True)
    if (folder / "timestamp.txt").is_file():
        shutil.copy(folder / "timestamp.txt", staged / "timestamp.txt")
    releases = {name: release for name, (release, _) in work.versions.items()}
    files = {**_extra_files(folder), **work.files}
    handed_in = {name: _submitted_file(folder, name, releases, sub) for name in work.versions}
    nothing = all(raw is None for raw in handed_in.values())
    if nothing:  # nbgrader scores a missing notebook zero only when another one is there
        sub.notes.append("no notebook of this assignment handed in: graded as blank")
    jobs = {}
    for name, (release, source) in work.versions.items():
        if handed_in[name] is None and not nothing:
            sub.notes.append(f"{name}: not handed in (scored zero)")
            continue
        notebook = _restored(handed_in[name], name, release, sub, nothing)
        jobs[name] = Job(nbformat.writes(notebook),
                         nbformat.writes(restore.with_tests(notebook, source)),
                         work.plans[name], files, limits)
    return sub, jobs


def _blank_jobs(where: Course, work: Assignment, student: str, limits: Limits, why: str):
    """When a submission cannot even be staged: every notebook graded as handed out, blank."""
    sub = Submission(student, [f"could not be read ({why}): graded as blank; the files are kept"])
    staged = where.folder("staged", student, work.name)
    shutil.rmtree(staged, ignore_errors=True)
    staged.mkdir(parents=True)
    jobs = {name: Job(nbformat.writes(release), nbformat.writes(restore.with_tests(release, source)),
                      work.plans[name], work.files, limits)
            for name, (release, source) in work.versions.items()}
    return sub, jobs


def _grader(where: Course):
    """nbgrader on the staged copies, which already carry the trusted results.

    The staged notebooks are built by us from the release and the source, so nbgrader's
    sanitizing and metadata checks have nothing left to repair, and its execute step is left
    out: the tests have run already, in the trusted worker.
    """
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import CheckCellMetadata, Execute

    cfg = course.config(**where.overrides)
    cfg.CourseDirectory.submitted_directory = "course/staged"
    steps = Autograde.class_traits()["autograde_preprocessors"].default()
    cfg.Autograde.sanitize_preprocessors = []
    cfg.Autograde.autograde_preprocessors = [s for s in steps
                                             if s not in (Execute, CheckCellMetadata)]
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


def _result(job: Job, future: Future, context) -> hidden.Graded:
    """A worker's result; a worker that died is replaced once, then the notebook scores zero.

    A dead worker breaks the whole pool, so every notebook still queued comes here too and is
    run again, one at a time, in a fresh process.
    """
    try:
        return future.result()
    except BrokenProcessPool:
        try:
            with ProcessPoolExecutor(1, mp_context=context) as alone:
                return alone.submit(grade_notebook, job).result()
        except Exception as error:  # noqa: BLE001
            return _not_run(job, f"the grading worker stopped ({type(error).__name__})")
    except Exception as error:  # noqa: BLE001  (the kernel could not start, ...)
        return _not_run(job, str(error) or type(error).__name__)


def _finish(where: Course, assignment: str, sub: Submission, queued: dict, grader,
            context) -> None:
    """Write a student's graded notebooks to course/staged and score them with nbgrader."""
    staged = where.folder("staged", sub.student, assignment)
    for name, (job, future) in queued.items():
        graded = _result(job, future, context)
        (staged / f"{name}.ipynb").write_text(graded.notebook, encoding="utf-8")
        sub.notes += [f"{name}: {problem}" for problem in graded.problems]
        sub.items[name] = graded.results
    (staged / "results.json").write_text(json.dumps(
        {name: [asdict(r) for r in results] for name, results in sub.items.items()}, indent=1))
    result = grader.autograde(assignment, sub.student, force=True, create=True)
    if result.get("success"):
        _score(where, assignment, sub)
    else:
        sub.failed = ((result.get("error") or "").strip().splitlines() or ["nbgrader failed"])[-1]


def grade(assignment: str, workers: int | None = None, limits: Limits = Limits(),
          progress: bool = True, **overrides) -> list[Submission]:
    """Autograde every submission of ``assignment`` into the gradebook; one entry per student."""
    warnings.filterwarnings("ignore", module="nbgrader.api")  # its own SQLAlchemy notices
    where = Course(**overrides)
    work = Assignment.read(where, assignment)
    students = where.students(assignment)
    workers = workers or os.cpu_count() or 1
    grader = _grader(where)
    started = time.monotonic()
    context = get_context("forkserver")
    context.set_forkserver_preload(["autograde.grading", "medcode.checks"])
    queued = []
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        for student in students:
            try:
                sub, jobs = stage(where, work, student, limits)
            except Exception as error:  # noqa: BLE001  (one bad hand-in never stops the class)
                sub, jobs = _blank_jobs(where, work, student, limits, error)
            queued.append((sub, {name: (job, pool.submit(grade_notebook, job))
                                 for name, job in jobs.items()}))
        for done, (sub, futures) in enumerate(queued, 1):
            _finish(where, assignment, sub, futures, grader, context)
            if progress:
                _progress(done, len(queued), started)
    if progress and queued:
        sys.stderr.write("\n")
    return [sub for sub, _ in queued]


def summary(assignment: str, results: list[Submission], seconds: float, workers: int) -> str:
    """What an instructor reads after grading: counts, protection, each score and problem."""
    lines = [f"graded {len(results)} submission(s) of {assignment} on {workers} worker(s) "
             f"in {seconds:.1f} s", f"protection: {protection()}"]
    for sub in results:
        if sub.failed:
            lines.append(f"  NO SCORE {sub.student}: {sub.failed}")
        else:
            lines.append(f"  {sub.student} ({sub.score:g}/{sub.max_score:g})" +
                         (": " + "; ".join(sub.notes) if sub.notes else ""))
    missing = [s for s in results if s.failed]
    lines.append(f"{len(results) - len(missing)} of {len(results)} submission(s) have a score")
    return "\n".join(lines)
