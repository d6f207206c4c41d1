"""A control group per kernel: one cap on the memory and on the processes of all it starts.

Resource limits (``kernel.py``) hold per process: a kernel that forks 60 children could still
use 60 times its memory limit, and Linux does not count the processes of root. A control
group caps the whole tree at once, whoever runs it. Grading as root on a machine whose cgroup
file system is writable (cgroup v1 with the ``memory`` and ``pids`` controllers, or cgroup v2
with both enabled), each kernel starts inside a group of its own, entered by the launching
shell before anything else runs, and the group is removed when the kernel stops. Elsewhere
:func:`available` is False and the per-process limits are what holds.
"""
from __future__ import annotations

import os
import signal
import time
import uuid
from functools import lru_cache
from pathlib import Path

TOP = Path("/sys/fs/cgroup")
PREFIX = "autograde-"


def _v1() -> list[Path]:
    return [TOP / "memory", TOP / "pids"]


def _v2_ready() -> bool:
    controllers = (TOP / "cgroup.controllers")
    return controllers.is_file() and {"memory", "pids"} <= set(controllers.read_text().split())


@lru_cache(maxsize=None)
def parents() -> tuple[Path, ...]:
    """Where this machine lets a kernel's group be made, or () when it does not."""
    if os.geteuid() != 0:
        return ()
    if all((p / "cgroup.procs").is_file() for p in _v1()):
        found = tuple(_v1())
    elif _v2_ready():
        found = (TOP / "autograde",)
    else:
        return ()
    try:
        probe = Group(found)
        probe.remove()
    except OSError:
        return ()
    return found


def available() -> bool:
    """Whether each kernel gets a control group of its own here."""
    return bool(parents())


class Group:
    """One kernel's control group (a folder under each controller's hierarchy)."""

    def __init__(self, under: tuple[Path, ...] | None = None):
        under = under if under is not None else parents()
        self.paths = [parent / f"{PREFIX}{uuid.uuid4().hex[:12]}" for parent in under]
        for path in self.paths:
            if path.parent.name == "autograde":  # cgroup v2: controllers for the children
                path.parent.mkdir(exist_ok=True)
                (path.parent / "cgroup.subtree_control").write_text("+memory +pids")
            path.mkdir()

    def limit(self, memory_mb: int, processes: int) -> None:
        """Cap the group's memory (with swap) and its number of processes and threads."""
        values = {"memory.limit_in_bytes": memory_mb * 2**20, "memory.max": memory_mb * 2**20,
                  "memory.memsw.limit_in_bytes": memory_mb * 2**20, "memory.swap.max": 0,
                  "pids.max": processes}
        for path in self.paths:
            for name, value in values.items():
                if (path / name).is_file():
                    (path / name).write_text(str(value))

    def enter(self) -> list[str]:
        """A command prefix whose shell joins the group, then becomes the command."""
        joins = " && ".join(f"echo $$ > {path / 'cgroup.procs'}" for path in self.paths)
        return ["/bin/sh", "-c", f'{joins} && exec "$@"', "cgroup-enter"]

    def remove(self) -> None:
        """Stop whatever is left in the group, then remove it."""
        for path in self.paths:
            procs = path / "cgroup.procs"
            for pid in (procs.read_text().split() if procs.is_file() else []):
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except ProcessLookupError:
                    pass
        for path in self.paths:
            for _ in range(100):
                try:
                    path.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:  # the killed processes are not reaped yet
                    time.sleep(0.01)
