"""Start a student's IPython kernel under the grader's limits (see ``sandbox.py``).

``python -m autograde.kernel --memory-mb M --file-mb F --processes N -f CONNECTION`` caps, for
the kernel and everything it starts, the address space (a memory blow-up ends in a MemoryError
inside the cell), the size of any file written, the number of processes and threads of its
user, and core dumps, before it hands over to ipykernel, so no student code runs before the
limits hold. The grader's first request to the kernel, before any student code, is
:func:`copy_files`: a kernel may be started before the notebook it will run is known.
"""
import argparse
import resource
import runpy
import shutil
import sys
from pathlib import Path


def limit(memory_mb: int, file_mb: int, processes: int) -> None:
    """Cap memory, file size, core dumps and, when ``processes`` > 0, processes of this user."""
    caps = [(resource.RLIMIT_AS, memory_mb * 2**20), (resource.RLIMIT_FSIZE, file_mb * 2**20),
            (resource.RLIMIT_CORE, 0)]
    if processes > 0:
        caps.append((resource.RLIMIT_NPROC, processes))
    for kind, value in caps:
        resource.setrlimit(kind, (value, value))


def copy_files(source: Path) -> None:
    """The submission's files, as copies in the working folder the student's code sees."""
    if source.is_dir():
        for path in sorted(source.iterdir()):
            if path.is_file():
                shutil.copyfile(path, path.name)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="autograde.kernel")
    parser.add_argument("--memory-mb", type=int, required=True)
    parser.add_argument("--file-mb", type=int, required=True)
    parser.add_argument("--processes", type=int, required=True)
    known, rest = parser.parse_known_args(argv)
    limit(known.memory_mb, known.file_mb, known.processes)
    sys.argv = ["ipykernel_launcher", *rest]
    runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
