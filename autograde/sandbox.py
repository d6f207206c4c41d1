"""Where a student's code runs while it is graded, and what keeps it in.

Each notebook runs in its own kernel. Where the machine has bubblewrap (``bwrap``), the
kernel runs in a sandbox that sees the system read-only, the Python environment and the
``medcode`` package, and nothing else of the course: no other submission, no source notebook,
no gradebook, no answer key, no network. It starts with a minimal environment (nothing of the
instructor's: no tokens, no paths), works in a private home folder and a private /tmp, both in
memory and capped in size, and holds the submission's files there as copies. Grading as root
(a course hub, CI), the kernel also runs as a user id of its own, so the limit on processes
holds (Linux exempts root from it) and, once the kernel is up, the folder its sockets live in
is closed to it. Without bubblewrap the kernel still gets its own folder, the minimal
environment and the resource limits, but the file system is not isolated; :func:`protection`
says which is in force.

The kernel talks to the grader through Unix sockets in the scratch folder, which work across
the sandbox's separate network namespace.
"""
from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Any, Instance, Integer

import medcode
from autograde import cgroups

ETC = ["/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/localtime", "/etc/passwd", "/etc/group",
       "/etc/nsswitch.conf", "/etc/hosts", "/etc/mime.types", "/etc/ssl", "/etc/fonts"]
PACKAGES = [Path(medcode.__file__).resolve().parent, Path(__file__).resolve().parent]
HOME = "/home/student"
# Settings that decide whether numerical libraries compute right on this processor (see the
# machine notes); they carry no secret, so they pass into the kernel's environment.
KEPT_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
FIRST_UID = 200_000
_uids = itertools.count()


@dataclass(frozen=True)
class Limits:
    """Per-notebook limits: time, memory, output, files, processes and disk."""
    cell_seconds: int = 60
    notebook_seconds: int = 300
    memory_mb: int = 2048
    output_mb: int = 5
    file_mb: int = 50
    processes: int = 64      # processes and threads of the kernel's own user id
    home_mb: int = 200       # the kernel's working folder (its files and what it writes)
    tmp_mb: int = 100        # the sandbox's private /tmp


def _run_ok(command: list[str]) -> bool:
    return subprocess.run(command, capture_output=True).returncode == 0


@lru_cache(maxsize=None)
def bwrap() -> str | None:
    """The bubblewrap executable if it is installed and allowed to run here, else None."""
    exe = shutil.which("bwrap")
    if exe and _run_ok([exe, *_system_binds(), "--unshare-all", "--cap-drop", "ALL", "--",
                        "/bin/true"]):
        return exe
    return None


@lru_cache(maxsize=None)
def own_user() -> bool:
    """Whether each kernel runs as a user id of its own (grading as root, with bubblewrap)."""
    if os.geteuid() != 0 or not shutil.which("setpriv") or not bwrap():
        return False
    return _run_ok([*_sandbox(own=True), "--", *_as_user(FIRST_UID), "/bin/true"])


def protection() -> str:
    """One line saying which protection is in force for graded code."""
    limits = ("its own kernel with a minimal environment, copies of only its submission's files, "
              "limits on time, memory, output and file size")
    if not bwrap():
        why = ("bubblewrap is installed but may not create namespaces here" if shutil.which("bwrap")
               else "bubblewrap not found: apt-get install bubblewrap")
        return (f"NO file-system sandbox ({why}): {limits}; "
                "submitted code could still read or write files this user can")
    user = ("its own user id, its socket folder closed once it is up" if own_user() else
            "its socket folder left open (grade as root to close it)")
    group = ("a control group capping the memory and the processes of all it starts"
             if cgroups.available() else "no cap on the memory or the processes of all it "
             "starts together (grade as root where the cgroup file system is writable)")
    return (f"bubblewrap sandbox ({bwrap()}): {limits}; read-only system, no network, "
            "no capabilities, private home and /tmp in memory with capped sizes, no access to "
            f"other submissions, source notebooks or the gradebook; {user}; {group}")


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


def _parents(paths) -> list[str]:
    """Folders the sandbox makes, world-readable, so another user id can reach the binds."""
    needed = {str(parent) for path in paths for parent in Path(path).parents
              if str(parent) not in ("/", "/usr") and not str(parent).startswith("/usr/")}
    return [arg for folder in sorted(needed, key=len) for arg in ("--perms", "0755", "--dir", folder)]


def _as_user(uid: int) -> list[str]:
    """Become ``uid`` for good: no capabilities, none to be regained, no new privileges."""
    return [shutil.which("setpriv") or "setpriv", f"--reuid={uid}", f"--regid={uid}",
            "--clear-groups", "--no-new-privs", "--bounding-set=-all", "--inh-caps=-all", "--"]


def _sandbox(own: bool, limits: Limits = Limits(), scratch: Path | None = None) -> list[str]:
    """bubblewrap up to its ``--``: what the sandbox sees and which namespaces it has.

    For a kernel of its own user id, bubblewrap runs as root without a user namespace (one
    made by root maps only root, so no other id could be taken) and keeps the three
    capabilities ``setpriv`` needs to drop to that id, after which none is left.
    """
    binds = _system_binds()
    bound = [binds[i + 2] for i, a in enumerate(binds) if a in ("--ro-bind", "--bind")]
    mine = ["--bind", str(scratch), str(scratch)] if scratch else []
    keep = (["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
             "--unshare-cgroup-try", "--cap-drop", "ALL", "--cap-add", "CAP_SETUID",
             "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SETPCAP"] if own
            else ["--unshare-all", "--cap-drop", "ALL"])
    # The private /tmp is mounted first: a bind made before it would be hidden under it,
    # which matters when the course (and so its .venv) lives under /tmp.
    return [bwrap(), "--perms", "1777", "--size", str(limits.tmp_mb * 2**20), "--tmpfs", "/tmp",
            *_parents(bound + ([str(scratch)] if scratch else [])), *binds,
            "--dev", "/dev", "--proc", "/proc", *mine,
            "--perms", "1777", "--size", str(limits.home_mb * 2**20), "--tmpfs", HOME,
            "--chdir", HOME, "--die-with-parent", *keep]


def environment(home: str) -> dict[str, str]:
    """The kernel's whole environment: nothing of the instructor's shell."""
    env = {"PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin",
                                    "/usr/bin", "/bin"]),
           "HOME": home, "USER": "student", "LANG": "C.UTF-8", "MPLCONFIGDIR": "/tmp"
           if bwrap() else home, "PYTHONDONTWRITEBYTECODE": "1"}
    env.update({k: os.environ[k] for k in KEPT_VARIABLES if k in os.environ})
    if not bwrap():  # no sandbox to end it with the grader: the kernel watches for that itself
        env["JPY_PARENT_PID"] = str(os.getpid())
    return env


def _launcher(limits: Limits, own: bool) -> list[str]:
    """The launcher's command; the process limit only for a kernel with a user id of its own
    (for any other user it would count, and starve, every process that user runs)."""
    return [sys.executable, "-m", "autograde.kernel", "--memory-mb", str(limits.memory_mb),
            "--file-mb", str(limits.file_mb), "--processes", str(limits.processes if own else 0),
            "-f", "{connection_file}"]


def kernel_command(scratch: Path, limits: Limits, uid: int | None = None) -> list[str]:
    """The command that starts one kernel for ``scratch`` (``{connection_file}`` templated).

    ``scratch`` holds the connection file and the sockets, and ``files/`` with the
    submission's files, which the kernel copies into its home before any student code runs
    (``runner.py``).
    With ``uid``, the kernel runs as that user id (see :func:`own_user`).
    """
    own = uid is not None
    if not bwrap():
        return _launcher(limits, own=False)
    env = [arg for key, value in environment(HOME).items() for arg in ("--setenv", key, value)]
    # The grader's pid is not visible in the sandbox: --die-with-parent ends the kernel with
    # the grader instead.
    return [*_sandbox(own, limits, scratch), "--clearenv", *env, "--",
            *(_as_user(uid) if own else []), *_launcher(limits, own)]


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel starts sandboxed, with the course's limits."""

    limits = Instance(Limits, args=())
    uid = Integer(-1)
    group = Any(None)   # the kernel's control group, when the machine gives one

    @property
    def scratch(self) -> Path:
        return Path(self.connection_file).parent

    def format_kernel_cmd(self, extra_arguments=None):
        if own_user():  # the kernel's own user reads its settings and makes its sockets here
            self.uid = FIRST_UID + (os.getpid() % 50_000) * 16 + next(_uids) % 16
            for path in (self.scratch, Path(self.connection_file)):
                os.chown(path, self.uid, self.uid)
        cmd = kernel_command(self.scratch, self.limits, self.uid if own_user() else None)
        cmd += list(extra_arguments or [])
        if cgroups.available():
            self.release()
            self.group = cgroups.Group()
            self.group.limit(self.limits.memory_mb, self.limits.processes)
            cmd = self.group.enter() + cmd
        return [part.replace("{connection_file}", self.connection_file) for part in cmd]

    async def start_kernel(self, **kw):
        home = HOME
        if not bwrap():  # no private home to be had: a folder of its own in the scratch folder
            home = kw["cwd"] = str(self.scratch / "home")
            Path(home).mkdir(exist_ok=True)
        kw["env"] = environment(home)
        return await super().start_kernel(**kw)

    def release(self) -> None:
        """Remove the kernel's control group (and anything still running in it)."""
        if self.group is not None:
            self.group.remove()
            self.group = None

    def seal(self) -> None:
        """Once the kernel is up, its own user may no longer write in the socket folder."""
        if self.uid >= 0:
            os.chown(self.scratch, 0, 0)
            self.scratch.chmod(0o711)


def kernel_manager(scratch: Path, limits: Limits) -> SandboxKernelManager:
    """A kernel manager for one notebook, talking over Unix sockets in ``scratch``."""
    km = SandboxKernelManager(kernel_name="python3", limits=limits, transport="ipc",
                              ip=str(scratch / "k"),
                              connection_file=str(scratch / "kernel.json"))
    # A signal from outside may not reach a kernel in its own pid namespace: ask it instead.
    km.kernel_spec.interrupt_mode = "message"
    return km
