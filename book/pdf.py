"""The whole book as one PDF: Jupyter Book's single-page build, printed by Debian's chromium.

    python book/pdf.py [--out _build/pdf/book.pdf]      (make pdf)

Why not LaTeX: Jupyter Book's ``pdflatex`` builder needs a TeX Live of about a gigabyte
(texlive-latex-extra, texlive-xetex, fonts, latexmk) for one build, and the pages use what
LaTeX's default fonts lack (the checks' ✓ and ✗, ✎, ▶, ☰) and wide pandas tables that
overflow its pages. The browser the tests already install prints the same single page the
reader sees on screen, with the theme's print styles (no sidebars or buttons), into a real,
paginated PDF whose links work. Jupyter Book's own ``pdfhtml`` builder would do the same but
downloads a Chromium of its own, which this project never does.

Jupyter Book writes the single page as ``book/welcome.html`` with every asset address relative
to the site's root, so it is printed from a copy at the root. It is served from 127.0.0.1 (the
theme's files carry ``?digest=`` queries that a ``file://`` address cannot load) by a server
this script starts and stops by its PID.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SINGLE = ROOT / "_build" / "singlehtml"
PAGE = "print.html"


def build_single_page() -> None:
    """The book as one HTML page (notebook outputs come from the execution cache)."""
    jb = Path(sys.executable).parent / "jupyter-book"
    subprocess.run([str(jb), "build", str(ROOT), "--builder", "singlehtml", "-W", "--keep-going"],
                   check=True)
    shutil.copy(SINGLE / "book" / "welcome.html", SINGLE / PAGE)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def print_pdf(folder: Path, page: str, out: Path, chromium: str) -> None:
    """Serve ``folder`` on 127.0.0.1 and let chromium print its ``page`` to ``out``."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind",
                               "127.0.0.1", "--directory", str(folder)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        out.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run(
                [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", f"--user-data-dir={profile}", "--no-pdf-header-footer",
                 "--virtual-time-budget=20000", f"--print-to-pdf={out}",
                 f"http://127.0.0.1:{port}/{page}"],
                check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
    finally:
        os.kill(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "pdf" / "book.pdf")
    args = parser.parse_args(argv)
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not chromium:
        print("make pdf needs Debian's chromium: apt-get install chromium (make browser-deps)")
        return 1
    build_single_page()
    print_pdf(SINGLE, PAGE, args.out, chromium)
    print(f"{args.out}: {args.out.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
