"""Execute one notebook in its own sandboxed kernel, under time, memory and output limits.

nbgrader's own executor gives up on a whole submission when its kernel dies or hangs, and a
test cell that never ran counts as passed (it has no error output). Here a cell that stops the
kernel (it exits, crashes, or loops past the time limit and ignores the interrupt) is skipped
and the notebook re-run without it, so the student's other items are still graded; every cell
that could not run gets an error output saying why, so it scores zero; a cell past the time
limit is interrupted, and one that floods output is skipped. :func:`execute` runs in a worker
process of the grading pool.
"""
from __future__ import annotations

import asyncio
import atexit
import multiprocessing.util
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode

from autograde.sandbox import Limits, kernel_manager

MAX_RESTARTS = 2
HISTORY = "--HistoryManager.hist_file=:memory:"
# Run in the kernel before any student code: the submission's files, copied into its home.
_COPY_FILES = ("__import__('autograde.kernel').kernel.copy_files(__import__('pathlib').Path({files!r}))")


@dataclass
class Outcome:
    """What came of executing one notebook."""
    notebook: str
    problems: list[str] = field(default_factory=list)


def error_output(ename: str, message: str) -> NotebookNode:
    """An error output that scores its test cell zero and says why, in one line."""
    return nbformat.v4.new_output("error", ename=ename, evalue=message,
                                  traceback=[f"{ename}: {message}"])


def _size(msg: dict) -> int:
    content = msg.get("content", {})
    return len(content.get("text", "")) + sum(len(str(v)) for v in content.get("data", {}).values())


class LimitedClient(NotebookClient):
    """An nbclient that caps output, records which cells ran and stops at a deadline."""

    def __init__(self, nb, km, limits: Limits, deadline: float):
        super().__init__(nb, km=km, timeout=limits.cell_seconds, allow_errors=True,
                         interrupt_on_timeout=True, raise_on_iopub_timeout=True,
                         iopub_timeout=5, shutdown_kernel="immediate", record_timing=False,
                         error_on_timeout={"ename": "TimeLimit", "evalue": (
                             f"this cell ran longer than {limits.cell_seconds} s and was stopped"),
                             "traceback": []})
        self.limits, self.deadline = limits, deadline
        self.output_bytes, self.flooded, self.notes = 0, None, []

    def output(self, outs, msg, display_id, cell_index):
        self.output_bytes += _size(msg)
        if self.output_bytes <= self.limits.output_mb * 2**20:
            return super().output(outs, msg, display_id, cell_index)
        if self.flooded is None:  # interrupting is too slow: the output is already on its way
            self.flooded = cell_index
            asyncio.ensure_future(self.km.shutdown_kernel(now=True))
        return None

    async def run(self, skip: set[int]) -> tuple[int | None, str]:
        """Execute every code cell not in ``skip``; the cell that stopped the kernel, and why."""
        self.reset_execution_trackers()
        self.output_bytes, self.flooded, self.notes = 0, None, []
        async with self.async_setup_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
            self.km.seal()
            await self.async_wait_for_reply(self.kc.execute(
                _COPY_FILES.format(files=str(self.km.scratch / "files")), silent=True,
                store_history=False))
            for index, cell in enumerate(self.nb.cells):
                if cell.cell_type != "code" or index in skip:
                    continue
                left = self.deadline - time.monotonic()
                if left <= 1:
                    return index, f"the notebook ran past its {self.limits.notebook_seconds} s limit"
                self.timeout = int(min(self.limits.cell_seconds, left))
                started = time.monotonic()
                try:
                    await self.async_execute_cell(cell, index,
                                                  execution_count=self.code_cells_executed + 1)
                    if time.monotonic() - started >= self.timeout:
                        self.notes.append(f"cell {index + 1} ran past {self.timeout} s and "
                                          "was interrupted")
                except CellTimeoutError:
                    return index, (f"it ran past {self.timeout} s and did not stop when "
                                   "interrupted")
                except DeadKernelError:
                    if self.flooded is not None:
                        return self.flooded, f"it printed more than {self.limits.output_mb} MB"
                    return index, "the kernel stopped (the code exited or crashed it)"
        return None, ""


def _fresh(nb: NotebookNode) -> None:
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None


def _mark_unrun(nb: NotebookNode, skip: dict[int, str], stopped: int | None, why: str) -> None:
    """Give every code cell that did not run an error output, so a test there scores zero."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if index in skip:
            cell.outputs = [error_output("NotRun", f"this cell was skipped: {skip[index]}")]
        elif stopped is not None and index >= stopped and not cell.outputs:
            cell.outputs.append(error_output("NotRun", f"not run: {why}"))


async def _stop(km) -> None:
    """Kill a kernel and its sandbox now (a student's kernel owes us no clean shutdown)."""
    try:
        if km.has_kernel:
            await km.shutdown_kernel(now=True)
    except Exception:  # noqa: BLE001  (already gone: nothing left to stop)
        pass
    km.release()


class KernelNotStarted(RuntimeError):
    """The machine could not start a kernel: the notebook could not run at all (not a zero)."""


async def _execute(nb: NotebookNode, scratch: Path, limits: Limits, started=None) -> list[str]:
    """Run ``nb``, on the kernel ``started`` ahead if there is one, re-running it without any
    cell that stopped its kernel."""
    deadline = time.monotonic() + limits.notebook_seconds
    skip: dict[int, str] = {}
    failed_starts = 0
    while True:
        _fresh(nb)
        km, started = started or kernel_manager(scratch, limits), None
        client = LimitedClient(nb, km, limits, deadline)
        client.resources = {"metadata": {"path": str(scratch)}}
        try:
            stopped, why = await client.run(set(skip))
        except RuntimeError as error:  # no kernel (a busy machine): try once more, then give up
            failed_starts += 1
            if failed_starts > 1:
                raise KernelNotStarted(f"the kernel did not start ({error})")
            continue
        finally:  # the client keeps a kernel it did not create: stop it here
            atexit.unregister(client._cleanup_kernel)
            await _stop(client.km)
        skipped = [f"cell {i + 1} skipped: {reason}" for i, reason in skip.items()]
        if stopped is None:
            _mark_unrun(nb, skip, None, "")
            return skipped + client.notes
        if len(skip) >= MAX_RESTARTS or time.monotonic() >= deadline - 1:
            _mark_unrun(nb, skip, stopped, why)
            return skipped + client.notes + [f"stopped at cell {stopped + 1}: {why}; "
                                             "later cells not run"]
        skip[stopped] = why


def _scratch(files: dict[str, bytes] | None = None) -> Path:
    """A new scratch folder; ``files/`` holds what the kernel copies into its home."""
    scratch = Path(tempfile.mkdtemp(prefix="ag-"))
    (scratch / "files").mkdir(mode=0o755)
    _put(scratch, files or {})
    return scratch


def _put(scratch: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (scratch / "files" / name).write_bytes(data)
        (scratch / "files" / name).chmod(0o644)


def execute(notebook_json: str, files: dict[str, bytes], limits: Limits) -> Outcome:
    """Run a notebook in a kernel that sees only ``files``; return it with outputs."""
    scratch = _scratch(files)
    try:
        nb = nbformat.reads(notebook_json, as_version=4)
        problems = asyncio.run(_execute(nb, scratch, limits))
        return Outcome(nbformat.writes(nb), problems)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


class Ahead:
    """A grading worker's kernels, each started while the notebook before it runs.

    A fresh kernel per notebook is the price of isolation, and starting one is most of the
    time a short notebook takes; a worker that grades one notebook after another starts the
    next kernel (in its own scratch folder, not yet holding any files) as soon as the current
    notebook begins. One event loop lives as long as the worker, so the kernel can outlive the
    call that started it.
    """

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.next: asyncio.Future | None = None
        # a pool's worker ends through multiprocessing, which runs finalizers but not atexit
        multiprocessing.util.Finalize(self, self.close, exitpriority=10)

    def close(self) -> None:
        """Stop the kernel started for a notebook that never came, and remove its folder."""
        if self.next is not None:
            self.loop.run_until_complete(self._discard(self.next))
            self.next = None

    @staticmethod
    async def _discard(started) -> None:
        try:
            _, scratch, km = await started
        except Exception:  # noqa: BLE001  (it never started: nothing to stop)
            return
        await _stop(km)
        shutil.rmtree(scratch, ignore_errors=True)

    async def _start(self, limits: Limits):
        scratch = _scratch()
        km = kernel_manager(scratch, limits)
        try:
            await km.start_kernel(extra_arguments=[HISTORY], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, cwd=str(scratch))
        except Exception:
            shutil.rmtree(scratch, ignore_errors=True)
            raise
        return limits, scratch, km

    async def _take(self, limits: Limits):
        """The kernel started ahead, if it started and suits ``limits``; then start the next."""
        ready, self.next = self.next, asyncio.ensure_future(self._start(limits))
        try:
            got = await ready if ready else None
        except Exception:  # noqa: BLE001  (it did not start: the notebook starts its own)
            return _scratch(), None
        if got is None or got[0] != limits:
            if got:
                await self._discard(ready)
            return _scratch(), None
        return got[1], got[2]

    async def _run(self, nb, files, limits) -> list[str]:
        scratch, km = await self._take(limits)
        try:
            _put(scratch, files)
            return await _execute(nb, scratch, limits, km)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def execute(self, notebook_json: str, files: dict[str, bytes], limits: Limits) -> Outcome:
        """As :func:`execute`, on the kernel started ahead."""
        nb = nbformat.reads(notebook_json, as_version=4)
        problems = self.loop.run_until_complete(self._run(nb, files, limits))
        return Outcome(nbformat.writes(nb), problems)
