"""Start an IPython kernel under memory and file-size limits (used by the grader's sandbox).

``python -m autograde.kernel MEMORY_MB FILE_MB -f CONNECTION_FILE``: the limits apply to the
kernel and everything it starts, so a memory blow-up ends in a MemoryError inside the cell and
a runaway file stops growing, instead of taking the grading machine down.
"""
import resource
import runpy
import sys


def limit(memory_mb: int, file_mb: int) -> None:
    """Cap the address space and the size of any file written."""
    for kind, megabytes in ((resource.RLIMIT_AS, memory_mb), (resource.RLIMIT_FSIZE, file_mb)):
        resource.setrlimit(kind, (megabytes * 2**20, megabytes * 2**20))


if __name__ == "__main__":
    memory_mb, file_mb, *rest = sys.argv[1:]
    limit(int(memory_mb), int(file_mb))
    sys.argv = ["ipykernel_launcher", *rest]
    runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)
