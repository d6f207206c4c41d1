"""``python -m autograde <verb>``: the instructor's commands. See README, "For instructors".

release   student versions (and an LMS zip) of every or the named assignments
collect   an LMS bulk download into course/submitted/
grade     autograde every submission, in parallel, each in its own sandboxed kernel
feedback  an HTML page per student, without hidden tests
export    grades for nbgrader's CSV or an LMS gradebook import
report    class analytics as an HTML page with plots
demo      a synthetic class run through every verb
package   the whole course as an IMS Common Cartridge for an LMS to import
"""
import argparse
import os
import sys
import time

from autograde import course


def cmd_release(args) -> int:
    """Student versions of every (or the named) assignment into course/release, and a zip each."""
    from autograde import package

    for name in course.release(args.assignments or None):
        print(f"released {name} -> {course.RELEASE / name}; LMS zip {package.zip_release(name)}")
    return 0


def cmd_collect(args) -> int:
    """Ingest an LMS bulk download (Canvas or Moodle) into course/submitted/."""
    from autograde.collect import collect

    done = collect(args.assignment, args.archive, args.roster)
    print(f"placed {len(done.placed)} file(s)")
    for line in done.messages + done.unmatched:
        print(f"  {line}")
    return 0


def cmd_grade(args) -> int:
    """Autograde every submission; exit 0 when every one of them has a score."""
    from autograde import grading
    from autograde.sandbox import Limits

    limits = Limits(cell_seconds=args.cell_timeout, notebook_seconds=args.notebook_timeout,
                    memory_mb=args.memory_mb)
    workers = args.workers or os.cpu_count() or 1
    started = time.monotonic()
    results = grading.grade(args.assignment, workers, limits)
    print(grading.summary(args.assignment, results, time.monotonic() - started, workers))
    return 1 if any(r.failed for r in results) else 0


def cmd_feedback(args) -> int:
    """An HTML feedback page per student, without hidden tests or expected answers."""
    from autograde.feedback import feedback

    pages = feedback(args.assignment)
    print(f"{len(pages)} feedback page(s) under {course.GENERATED / 'feedback'}")
    return 0


def cmd_export(args) -> int:
    """Grades as nbgrader's CSV or an LMS gradebook import file."""
    from autograde.export import export

    print(f"wrote {export(args.format, args.output, args.roster, args.assignment)}")
    return 0


def cmd_report(args) -> int:
    """Class analytics (scores, item difficulty and discrimination, common wrong answers)."""
    from autograde.report import report

    print(f"wrote {report(args.assignment, args.output)}")
    return 0


def cmd_demo(args) -> int:
    """Build a synthetic class and run every verb on it."""
    from autograde import demo

    return demo.run(args.students, args.workers)


def cmd_package(args) -> int:
    """The whole course as an IMS Common Cartridge 1.1 (.imscc) from the student release."""
    from autograde import cartridge, cc_schema

    if not args.cc:
        raise ValueError("say which package to write: --cc (IMS Common Cartridge 1.1)")
    if bool(args.hub) != bool(args.hub_repo):
        raise ValueError("--hub and --hub-repo go together: the hub pulls the release from that "
                         "git repository")
    hub = cartridge.Hub(args.hub, args.hub_repo, args.hub_branch) if args.hub else None
    out = cartridge.build(args.output, hub=hub)
    problems = cc_schema.problems(out)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    print(f"wrote {out}" + (f" but it is not valid CC 1.1 ({len(problems)} problems)"
                            if problems else " (valid IMS Common Cartridge 1.1)"))
    return 1 if problems else 0


def _parser() -> argparse.ArgumentParser:
    from autograde.export import FORMATS

    parser = argparse.ArgumentParser(prog="python -m autograde", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    verbs = parser.add_subparsers(dest="verb", required=True)
    verb = verbs.add_parser("release", help=cmd_release.__doc__)
    verb.add_argument("assignments", nargs="*", help="assignment folders (default: all)")
    verb.set_defaults(run=cmd_release)
    verb = verbs.add_parser("collect", help=cmd_collect.__doc__)
    verb.add_argument("assignment")
    verb.add_argument("archive", help="the LMS's bulk-download zip")
    verb.add_argument("--roster", help="CSV with student_id and lms_id columns (see roster.py)")
    verb.set_defaults(run=cmd_collect)
    verb = verbs.add_parser("grade", help=cmd_grade.__doc__)
    verb.add_argument("assignment")
    verb.add_argument("--workers", type=int, help="worker processes (default: one per core)")
    verb.add_argument("--cell-timeout", type=int, default=60, help="seconds per cell (60)")
    verb.add_argument("--notebook-timeout", type=int, default=300,
                      help="seconds per notebook (300)")
    verb.add_argument("--memory-mb", type=int, default=2048, help="memory per kernel (2048)")
    verb.set_defaults(run=cmd_grade)
    verb = verbs.add_parser("feedback", help=cmd_feedback.__doc__)
    verb.add_argument("assignment")
    verb.set_defaults(run=cmd_feedback)
    verb = verbs.add_parser("export", help=cmd_export.__doc__)
    verb.add_argument("--format", choices=FORMATS, default="csv")
    verb.add_argument("--roster", help="CSV of students and their LMS ids")
    verb.add_argument("--assignment", action="append",
                      help="export this assignment (repeat for more; default: every assignment "
                           "with a submission)")
    verb.add_argument("-o", "--output", required=True)
    verb.set_defaults(run=cmd_export)
    verb = verbs.add_parser("report", help=cmd_report.__doc__)
    verb.add_argument("assignment")
    verb.add_argument("-o", "--output", help="HTML file (default course/reports/<assignment>.html)")
    verb.set_defaults(run=cmd_report)
    verb = verbs.add_parser("demo", help=cmd_demo.__doc__)
    verb.add_argument("--students", type=int, default=12)
    verb.add_argument("--workers", type=int)
    verb.set_defaults(run=cmd_demo)
    verb = verbs.add_parser("package", help=cmd_package.__doc__)
    verb.add_argument("--cc", action="store_true", help="an IMS Common Cartridge 1.1 (.imscc)")
    verb.add_argument("-o", "--output", required=True, help="the .imscc file to write")
    verb.add_argument("--hub", help="JupyterHub address: each notebook gets an nbgitpuller link")
    verb.add_argument("--hub-repo", help="git repository holding the student release")
    verb.add_argument("--hub-branch", default="main", help="its branch (main)")
    verb.set_defaults(run=cmd_package)
    return parser


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except (course.NbgraderFailed, ValueError, FileNotFoundError) as failure:
        print(failure, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
