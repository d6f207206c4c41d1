"""``python -m autograde <verb>``: the instructor's commands. See README, "For instructors".

release   student versions (and an LMS zip) of every or the named assignments
collect   an LMS bulk download into course/submitted/
grade     autograde every submission, in parallel, each in its own sandboxed kernel
feedback  an HTML page per student, without hidden tests
export    grades for nbgrader's CSV or an LMS gradebook import
report    class analytics as an HTML page with plots
demo      a synthetic class run through every verb
package   the whole course as an IMS Common Cartridge for an LMS to import

An input a verb cannot use (an unknown assignment, a roster with one id on two rows, a file
that is not an LMS download, feedback asked before grading ...) is one plain line naming it
and what to do, with exit status 2; ``--debug`` shows the traceback as well.
"""
import argparse
import os
import sys
import time
import traceback

from autograde import course, problems
from autograde.problems import BadInput


def cmd_release(args) -> int:
    """Student versions of every (or the named) assignment into course/release, and a zip each."""
    from autograde import package
    from autograde.course import Course

    for name in args.assignments:
        problems.assignment(Course(), name)
    for name in course.release(args.assignments or None):
        print(f"released {name} -> {course.RELEASE / name}; LMS zip {package.zip_release(name)}")
    return 0


def cmd_collect(args) -> int:
    """Ingest an LMS bulk download (Canvas or Moodle) into course/submitted/."""
    from autograde.collect import collect

    done = collect(args.assignment, args.archive, args.roster, args.due, args.zone)
    print(f"placed {len(done.placed)} file(s); {len(done.late)} late; "
          f"{len(done.unmatched)} set aside in course/unmatched/{args.assignment}/")
    for line in done.messages + done.unmatched:
        print(f"  {line}")
    return 0


def ready_to_grade(assignment: str) -> None:
    """BadInput unless ``assignment`` is known, released and has a submission."""
    from autograde.course import Course

    where = Course()
    problems.assignment(where, assignment)
    where.notebooks(assignment)  # NotReleased, a BadInput, when it has not been released
    if not where.students(assignment):
        raise BadInput(f"no submission of {assignment} in course/submitted/: run "
                       f"python -m autograde collect {assignment} DOWNLOAD.zip first")


def cmd_grade(args) -> int:
    """Autograde every submission; exit 0 when every one of them has a score."""
    from autograde import grading
    from autograde.sandbox import Limits

    ready_to_grade(args.assignment)
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

    done = export(args.format, args.output, args.roster, args.assignment,
                  lms_ids=lms_ids(args.lms_id or []), lms_gradebook=args.lms_gradebook)
    for line in done.warnings:
        print(f"  {line}")
    print(f"wrote {done.path}: {done.rows} student(s)")
    return 0


def lms_ids(pairs: list[str]) -> dict[str, str]:
    """--lms-id ASSIGNMENT=ID pairs as a dict; BadInput for one without '=' and a number."""
    found = {}
    for pair in pairs:
        name, _, number = pair.partition("=")
        if not name or not number.strip().isdigit():
            raise BadInput(f"--lms-id {pair!r}: write it as ASSIGNMENT=NUMBER, such as "
                           "m0_orientation=123456")
        found[name.strip()] = number.strip()
    return found


def cmd_report(args) -> int:
    """Class analytics (scores, item difficulty and discrimination, common wrong answers)."""
    from autograde.report import report

    print(f"wrote {report(args.assignment, args.output)}")
    return 0


def cmd_demo(args) -> int:
    """Build a synthetic class and run every verb on it."""
    from autograde import demo

    return demo.run(args.students, args.workers)


class Parser(argparse.ArgumentParser):
    """argparse, with a mistake on the command line said in one line (exit status 2)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def positive(text: str) -> int:
    """A whole number of at least 1, for --workers and the limits."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def cmd_package(args) -> int:
    """The whole course as an IMS Common Cartridge 1.1 (.imscc) from the student release."""
    from autograde import cartridge, cc_schema

    if not args.cc:
        raise BadInput("say which package to write: --cc (IMS Common Cartridge 1.1)")
    if bool(args.hub) != bool(args.hub_repo):
        raise BadInput("--hub and --hub-repo go together: the hub pulls the release from that "
                       "git repository")
    hub = cartridge.Hub(args.hub, args.hub_repo, args.hub_branch) if args.hub else None
    out = cartridge.build(args.output, hub=hub)
    found = cc_schema.problems(out)
    for problem in found:
        print(f"  {problem}", file=sys.stderr)
    print(f"wrote {out}" + (f" but it is not valid CC 1.1 ({len(found)} problems)"
                            if found else " (valid IMS Common Cartridge 1.1)"))
    return 1 if found else 0


def _parser() -> argparse.ArgumentParser:
    from autograde.export import FORMATS

    parser = Parser(prog="python -m autograde", description=__doc__,
                    formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--debug", action="store_true",
                        help="show the full traceback when a command fails")
    debug = Parser(add_help=False)   # --debug after the verb too; SUPPRESS keeps the top one's
    debug.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help="show the full traceback when the command fails")
    verbs = parser.add_subparsers(dest="verb", required=True)
    verb = verbs.add_parser("release", help=cmd_release.__doc__, parents=[debug])
    verb.add_argument("assignments", nargs="*", help="assignment folders (default: all)")
    verb.set_defaults(run=cmd_release)
    verb = verbs.add_parser("collect", help=cmd_collect.__doc__, parents=[debug])
    verb.add_argument("assignment")
    verb.add_argument("archive", help="the LMS's bulk-download zip")
    verb.add_argument("--roster", help="CSV with student_id and lms_id columns (see roster.py)")
    verb.add_argument("--due", help="the due date, saved in the gradebook, e.g. "
                                    "'2026-03-01 23:59 America/Chicago' (default UTC)")
    verb.add_argument("--zone", help="time zone of the LMS server's clock, for Moodle's file "
                                     "times, e.g. Europe/Berlin (default UTC)")
    verb.set_defaults(run=cmd_collect)
    verb = verbs.add_parser("grade", help=cmd_grade.__doc__, parents=[debug])
    verb.add_argument("assignment")
    verb.add_argument("--workers", type=positive, help="worker processes (default: one per core)")
    verb.add_argument("--cell-timeout", type=positive, default=60, help="seconds per cell (60)")
    verb.add_argument("--notebook-timeout", type=positive, default=300,
                      help="seconds per notebook (300)")
    verb.add_argument("--memory-mb", type=positive, default=2048, help="memory per kernel (2048)")
    verb.set_defaults(run=cmd_grade)
    verb = verbs.add_parser("feedback", help=cmd_feedback.__doc__, parents=[debug])
    verb.add_argument("assignment")
    verb.set_defaults(run=cmd_feedback)
    verb = verbs.add_parser("export", help=cmd_export.__doc__, parents=[debug])
    verb.add_argument("--format", choices=FORMATS, default="csv")
    verb.add_argument("--roster", help="CSV of students and their LMS ids")
    verb.add_argument("--assignment", action="append",
                      help="export this assignment (repeat for more; default: every assignment "
                           "with a submission)")
    verb.add_argument("--lms-id", action="append", metavar="ASSIGNMENT=ID",
                      help="the LMS's id of an assignment (Canvas: the number in its address), "
                           "so the Canvas column is 'ASSIGNMENT (ID)' (repeat for more)")
    verb.add_argument("--lms-gradebook", metavar="FILE",
                      help="a gradebook CSV exported from Canvas: its 'Name (id)' columns "
                           "give the ids of the assignments of the same name")
    verb.add_argument("-o", "--output", required=True)
    verb.set_defaults(run=cmd_export)
    verb = verbs.add_parser("report", help=cmd_report.__doc__, parents=[debug])
    verb.add_argument("assignment")
    verb.add_argument("-o", "--output", help="HTML file (default course/reports/<assignment>.html)")
    verb.set_defaults(run=cmd_report)
    verb = verbs.add_parser("demo", help=cmd_demo.__doc__, parents=[debug])
    verb.add_argument("--students", type=positive, default=12)
    verb.add_argument("--workers", type=positive)
    verb.set_defaults(run=cmd_demo)
    verb = verbs.add_parser("package", help=cmd_package.__doc__, parents=[debug])
    verb.add_argument("--cc", action="store_true", help="an IMS Common Cartridge 1.1 (.imscc)")
    verb.add_argument("-o", "--output", required=True, help="the .imscc file to write")
    verb.add_argument("--hub", help="JupyterHub address: each notebook gets an nbgitpuller link")
    verb.add_argument("--hub-repo", help="git repository holding the student release")
    verb.add_argument("--hub-branch", default="main", help="its branch (main)")
    verb.set_defaults(run=cmd_package)
    return parser


def main(argv=None) -> int:
    """Run one verb: 0 when it did its work, 2 for an input it cannot use, 1 for a failure."""
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except BadInput as bad:
        if args.debug:
            traceback.print_exc()
        print(f"python -m autograde {args.verb}: {bad}", file=sys.stderr)
        return 2
    except Exception as failure:  # anything else: one line, the details on --debug
        if args.debug:
            traceback.print_exc()
        first = str(failure).strip().splitlines()[:1] or [type(failure).__name__]
        print(f"python -m autograde {args.verb} failed: {first[0]} (run it again with --debug "
              "to see the details)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
