"""Command line: ``python -m medcode.claims VERB FILE``.

Verbs: ``to-837p CLAIM.json`` prints the 837P interchange; ``scrub CLAIM.json`` lists
findings; ``render CLAIM.json`` prints the filled CMS-1500 as HTML; ``read-835 FILE.835``
prints the payments and adjustments. A bad claim prints a message naming the CMS-1500 item
and exits with status 1, never a traceback.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .model import ClaimError, load


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise ClaimError("file", f"cannot read {path}: {err.strerror}") from None


def _to_837p(path: str) -> str:
    from .x837p import to_837p
    return to_837p(load(path))


def _scrub(path: str) -> str:
    from .scrub import report, scrub_json
    return report(scrub_json(_read(path)))


def _render(path: str) -> str:
    from .render import to_html
    return to_html(load(path))


def _read_835(path: str) -> str:
    from .remit import parse_835
    return parse_835(_read(path)).summary()


VERBS = {"to-837p": _to_837p, "scrub": _scrub, "render": _render, "read-835": _read_835}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m medcode.claims", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("verb", choices=sorted(VERBS))
    parser.add_argument("file")
    args = parser.parse_args(argv)
    try:
        sys.stdout.write(VERBS[args.verb](args.file).rstrip("\n") + "\n")
    except (ClaimError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
