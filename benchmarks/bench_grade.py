"""``grade`` against serial ``nbgrader autograde`` on the same class, in one run.

A demo class of Module 0 (default 40 students, two notebooks each) is collected twice from
the same Canvas download into two throwaway courses. One is graded by nbgrader's own
autograde, one student after another (through its Python API, which spares it the command
line's start-up cost); the other by ``python -m autograde grade`` with N workers. The script
prints seconds, seconds per notebook, the speed-up and the peak memory of each (the summed
resident memory of the process and all its children, sampled every 50 ms), as a Markdown
table for the README.

    .venv/bin/python benchmarks/bench_grade.py [--students 40] [--workers 2]
"""
import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograde import collect, course, demo, grading, sandbox  # noqa: E402


class PeakMemory:
    """The largest summed RSS of this process and its descendants while in the block."""

    def __enter__(self):
        self.peak, self.running = 0, True
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()
        return self

    def _watch(self):
        me = psutil.Process()
        while self.running:
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            time.sleep(0.05)

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()


def class_in(folder: Path, students: int) -> dict:
    """A course in ``folder`` with the demo class collected into it."""
    overrides = demo.make_course(folder)
    archive, roster_file = demo.build(students, overrides)
    collect.collect(demo.ASSIGNMENT, archive, roster_file, **overrides)
    return overrides


def nbgrader_serial(overrides: dict, students: list[str]) -> int:
    """Autograde one student after another; how many nbgrader could not grade."""
    grader = course.api(**overrides)
    return sum(not grader.autograde(demo.ASSIGNMENT, s, force=True, create=True)["success"]
               for s in students)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-grade-"))
    plain, ours = class_in(work / "nbgrader", args.students), class_in(work / "ours", args.students)
    students = course.Course(**plain).students(demo.ASSIGNMENT)
    notebooks = len(students) * len(course.source_notebooks(demo.ASSIGNMENT))
    rows = []
    with PeakMemory() as memory:
        start = time.perf_counter()
        failed = nbgrader_serial(plain, students)
        rows.append(("nbgrader autograde, serial", time.perf_counter() - start, memory, failed))
    with PeakMemory() as memory:
        start = time.perf_counter()
        results = grading.grade(demo.ASSIGNMENT, args.workers, progress=False, **ours)
        rows.append((f"autograde grade --workers {args.workers}", time.perf_counter() - start,
                     memory, sum(bool(r.failed) for r in results)))
    print(f"{len(students)} submissions, {notebooks} notebooks, {os.cpu_count()} cores, "
          f"load average before {os.getloadavg()[0]:.1f}; protection: {sandbox.protection()}\n")
    print("| grader | seconds | s/notebook | peak memory (MB) | not graded |\n|---|---|---|---|---|")
    for name, seconds, memory, failed in rows:
        print(f"| {name} | {seconds:.1f} | {seconds / notebooks:.2f} | {memory.peak / 2**20:.0f} "
              f"| {failed} |")
    print(f"\nspeed-up: {rows[0][1] / rows[1][1]:.2f}x")


if __name__ == "__main__":
    main()
