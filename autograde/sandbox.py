"""Where a student's code runs while it is graded, and what keeps it in.

Each notebook runs in its own kernel whose working folder is a scratch folder holding only
that submission. Where the machine has bubblewrap (``bwrap``), the kernel also runs in a
sandbox that sees the system read-only, the Python environment, the ``medcode`` package and
its scratch folder, and nothing else of the course: no other submission, no source notebook,
no gradebook, no network, and nowhere to write but the scratch folder and a private /tmp.
Without bubblewrap the kernel still gets its own scratch folder and the resource limits, but
the file system is not isolated; :func:`protection` says which is in force.

The kernel talks to the grader through Unix sockets inside the scratch folder, which work
across the sandbox's separate network namespace.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Instance

import medcode

ETC = ["/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/localtime", "/etc/passwd", "/etc/group",
       "/etc/nsswitch.conf", "/etc/hosts", "/etc/mime.types", "/etc/ssl", "/etc/fonts"]
PACKAGES = [Path(medcode.__file__).resolve().parent, Path(__file__).resolve().parent]


@dataclass(frozen=True)
class Limits:
    """Per-notebook limits: seconds per cell, seconds per notebook, memory and output."""
    cell_seconds: int = 60
    notebook_seconds: int = 300
    memory_mb: int = 2048
    output_mb: int = 5
    file_mb: int = 50


@lru_cache(maxsize=None)
def bwrap() -> str | None:
    """The bubblewrap executable if it is installed and allowed to run here, else None."""
    exe = shutil.which("bwrap")
    if not exe:
        return None
    probe = subprocess.run([exe, *_system_binds(), "--unshare-all", "--", "/bin/true"],
                           capture_output=True)
    return exe if probe.returncode == 0 else None


def protection() -> str:
    """One line saying which protection is in force for graded code."""
    limits = "its own kernel, a scratch folder with only its submission, time and memory limits"
    if bwrap():
        return (f"bubblewrap sandbox ({bwrap()}): {limits}; read-only system, no network, "
                "no capabilities, no access to other submissions, source notebooks or the gradebook")
    why = ("bubblewrap is installed but may not create namespaces here" if shutil.which("bwrap")
           else "bubblewrap not found: apt-get install bubblewrap")
    return (f"NO file-system sandbox ({why}): {limits}; "
            "submitted code could still read or write files this user can")


def _system_binds() -> list[str]:
    """Read-only views of the operating system and of this Python and its packages."""
    args = []
    for name in ETC:  # a few system settings; not the rest of /etc (password hashes ...)
        args += ["--ro-bind-try", name, name]
    for top in ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64"):
        path = Path(top)
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), top]
        elif path.exists():
            args += ["--ro-bind", top, top]
    seen = set()
    for place in (sys.base_prefix, sys.prefix, *map(str, PACKAGES)):
        real = os.path.realpath(place)
        for path in {place, real}:
            if path not in seen and not path.startswith("/usr/"):
                seen.add(path)
                args += ["--ro-bind", real, path]
    return args


def kernel_command(scratch: Path, limits: Limits) -> list[str]:
    """The command that starts one kernel for ``scratch`` (``{connection_file}`` templated)."""
    start = [sys.executable, "-m", "autograde.kernel", str(limits.memory_mb),
             str(limits.file_mb), "-f", "{connection_file}"]
    if not bwrap():
        return start
    home = str(scratch)
    # The grader's pid is not visible in the sandbox: the kernel must not watch for it, and
    # --die-with-parent ends it with the grader instead.
    # The private /tmp is mounted first: a bind made before it would be hidden under it,
    # which matters when the course (and so its .venv) lives under /tmp.
    return [bwrap(), "--tmpfs", "/tmp", *_system_binds(), "--dev", "/dev", "--proc", "/proc",
            "--bind", home, home, "--chdir", home, "--setenv", "HOME", home,
            "--setenv", "MPLCONFIGDIR", "/tmp", "--unsetenv", "JPY_PARENT_PID",
            "--unshare-all", "--die-with-parent",
            "--cap-drop", "ALL",  # run as root, bwrap would keep every capability
            "--", *start]


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel starts in the scratch folder, under the sandbox if any."""

    limits = Instance(Limits, args=())

    def format_kernel_cmd(self, extra_arguments=None):
        scratch = Path(self.connection_file).parent
        cmd = kernel_command(scratch, self.limits) + list(extra_arguments or [])
        return [part.replace("{connection_file}", self.connection_file) for part in cmd]


def kernel_manager(scratch: Path, limits: Limits) -> SandboxKernelManager:
    """A kernel manager for one notebook, talking over Unix sockets in ``scratch``."""
    km = SandboxKernelManager(kernel_name="python3", limits=limits, transport="ipc",
                              ip=str(scratch / "k"),
                              connection_file=str(scratch / "kernel.json"))
    # A signal from outside may not reach a kernel in its own pid namespace: ask it instead.
    km.kernel_spec.interrupt_mode = "message"
    return km
