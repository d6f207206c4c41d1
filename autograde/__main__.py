"""``python -m autograde <verb>``: the instructor's commands. See README, "For instructors"."""
import argparse
import sys

from autograde import course


def cmd_release(args) -> int:
    """Student versions of every (or the named) assignment into course/release."""
    for name in course.release(args.assignments or None):
        print(f"released {name} -> {course.RELEASE / name}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograde", description=__doc__)
    verbs = parser.add_subparsers(dest="verb", required=True)
    release = verbs.add_parser("release", help=cmd_release.__doc__)
    release.add_argument("assignments", nargs="*", help="assignment folders (default: all)")
    release.set_defaults(run=cmd_release)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except course.NbgraderFailed as failure:
        print(failure, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
