"""The built book in a real browser, at a phone's width and a desktop's, as a reader meets it.

Debian's chromium, driven by puppeteer-core with axe-core (npm, tests/browser/package.json;
`make test` installs them), reads each page of PAGES at 390 and 1280 px from a server bound to
127.0.0.1 that this module starts and stops by its PID. tests/browser/check_book.mjs reports
what it found; each test here judges one kind of finding over every page, so a failure lists
every page and width where it occurs. Screenshots of the checked pages (and of the table of
contents opened) are written to _build/browser/ for a person to look at.
"""
import json
import re
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograde import course
from tests import harness

HERE = Path(__file__).parent / "browser"
SHOTS = course.ROOT / "_build" / "browser"
WIDTHS = (390, 1280)
PAGES = [
    "book/welcome.html",
    "book/how-to-use.html",
    "book/syllabus.html",
    "book/glossary.html",
    "book/instructors.html",
    "book/publishers.html",
    "book/references.html",
    "course/release/m0_orientation/01_working_in_a_notebook.html",
    "course/release/m1_profession/01_the_profession.html",
    "course/release/m1_profession/03_reimbursement.html",
    "course/release/m3_icd10cm/02_chapter_guidelines.html",
    "course/release/m4_procedures/03_hcpcs_and_modifiers.html",
    "course/release/m5_claims/03_remittance_denials_appeals.html",
    "course/release/m6_compliance/03_compliance_audit.html",
    "course/release/m7_ehr/01_navigating_a_chart.html",
]
# Alt text that names a file says nothing to a reader who cannot see the image.
FILE_LIKE = (".png", ".jpg", ".jpeg", ".svg", ".gif", "_images/")



def chromium() -> str:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not found or not (HERE / "node_modules" / "puppeteer-core").is_dir() or not shutil.which("node"):
        pytest.fail("The browser tests need Debian's chromium, node and the npm packages of "
                    "tests/browser: run `make browser-deps` as root (make test does) or "
                    "`apt-get install chromium nodejs npm` and `npm ci` in tests/browser.")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(folder: Path):
    """A static server for ``folder`` on 127.0.0.1: (process, base URL), up and answering."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server, f"http://127.0.0.1:{port}/"
        except OSError:
            time.sleep(0.1)
    stop(server)
    pytest.fail("the book's web server did not start")


def stop(server: subprocess.Popen) -> None:
    """Stop the server this module started, by its PID."""
    os.kill(server.pid, signal.SIGTERM)
    server.wait(timeout=10)


def check(folder: Path, pages, widths, shots: Path) -> list[dict]:
    """Serve ``folder`` and run the browser over ``pages``: one report per page and width."""
    browser = chromium()
    server, base = serve(folder)
    try:
        settings = shots / "settings.json"
        shots.mkdir(parents=True, exist_ok=True)
        settings.write_text(json.dumps({"base": base, "pages": list(pages), "widths": list(widths),
                                        "screenshots": str(shots), "chromium": browser}))
        run = subprocess.run(["node", str(HERE / "check_book.mjs"), str(settings)],
                             capture_output=True, text=True, timeout=900)
    finally:
        stop(server)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def reports(built_book, run_dir):
    """The browser's reports on PAGES, made once per test run (the workers share them)."""
    build, html = built_book
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    return harness.once(run_dir / "browser-reports.json", lambda: check(html, PAGES, WIDTHS, SHOTS))


def failures(reports, finding) -> list[str]:
    """``page @ width: problem`` for every problem ``finding(report)`` lists."""
    return [f"{r['page']} @ {r['width']}px: {problem}" for r in reports for problem in finding(r)]


def test_browser_checked_every_page_at_both_widths(reports):
    assert {(r["page"], r["width"]) for r in reports} == {(p, w) for p in PAGES for w in WIDTHS}
    assert len(list(SHOTS.glob("*.png"))) >= 2 * len(PAGES)


def test_browser_axe_finds_no_critical_or_serious_violation(reports):
    def serious(r):
        return [f"{v['impact']} {v['id']} ({v['help']}) at {v['nodes']}" for v in r["axe"]
                if v["impact"] in ("critical", "serious")]
    assert failures(reports, serious) == []


def test_browser_menu_button_opens_the_table_of_contents(reports):
    """☰ opens the contents as a dialog on a phone; on a desktop it folds the sidebar and back.
    On a phone the page-contents button opens the page's headings."""
    def broken(r):
        nav = r["navigation"]
        wanted = {"toggle": True, "opened": True, "closed": True}
        if r["width"] >= 992:
            wanted["reopened"] = True
        wrong = [f"{key} is {nav[key]}" for key, value in wanted.items() if nav[key] != value]
        if nav["contents"] is False:
            wrong.append("the page-contents button does not open the page's contents")
        if nav["tocLinks"] < 20:
            wrong.append(f"only {nav['tocLinks']} contents links visible")
        return wrong
    assert failures(reports, broken) == []


def test_browser_menu_and_width_at_a_tablet_800px(built_book):
    """At 800 px the theme is in its narrow layout too: the same checks on three pages."""
    _, html = built_book
    tablet = check(html, PAGES[:1] + PAGES[-2:], [800], SHOTS)
    test_browser_menu_button_opens_the_table_of_contents(tablet)
    test_browser_nothing_is_wider_than_the_screen(tablet)
    test_browser_no_console_error_failed_request_or_exception(tablet)


def test_browser_nothing_is_wider_than_the_screen(reports):
    def wider(r):
        o = r["overflow"]
        return [f"page {o['pageWidth']}px wide on a {o['screenWidth']}px screen: {o['culprits']}"] \
            if o["pageWidth"] > o["screenWidth"] else []
    assert failures(reports, wider) == []


def test_browser_no_console_error_failed_request_or_exception(reports):
    assert failures(reports, lambda r: r["problems"]) == []


def test_browser_every_image_has_meaningful_alt_text(reports):
    def unnamed(r):
        return [f"{img['src']} has alt {img['alt']!r}" for img in r["images"]
                if not (img["alt"] or "").strip() or len(img["alt"].strip()) < 10
                or any(part in img["alt"].lower() for part in FILE_LIKE)]
    assert failures(reports, unnamed) == []


def test_browser_every_internal_link_and_anchor_resolves(reports):
    assert failures(reports, lambda r: r["brokenLinks"]) == []


def test_browser_check_finds_planted_faults(tmp_path):
    """The checker is not blind: a page with each fault gets each finding."""
    (tmp_path / "bad.html").write_text("""<!doctype html><html lang="en"><head><title>Bad</title>
        <script>console.error("planted error")</script></head><body><main>
        <h1>Bad page</h1><img src="chart.png" alt="../_images/chart.png">
        <div style="width: 2000px">too wide</div><button></button>
        <a href="missing.html">gone</a> <a href="bad.html#nowhere">no anchor</a>
        </main></body></html>""")
    (report,) = check(tmp_path, ["bad.html"], [390], tmp_path / "shots")
    assert {"button-name"} <= {v["id"] for v in report["axe"] if v["impact"] == "critical"}
    assert report["overflow"]["pageWidth"] > 390
    assert any("planted error" in p for p in report["problems"])
    assert "../_images/chart.png" in [img["alt"] for img in report["images"]]
    assert any(b.endswith("missing.html: page not found") for b in report["brokenLinks"])
    assert any(b.endswith("bad.html#nowhere: no such anchor") for b in report["brokenLinks"])
    assert report["navigation"]["toggle"] is False


def test_browser_prints_a_page_to_a_real_pdf(tmp_path):
    """`make pdf` prints the single-page book with chromium (book/pdf.py); here a small page."""
    sys.path.insert(0, str(course.ROOT / "book"))
    import pdf

    site = tmp_path / "site"
    site.mkdir()
    (site / "print.html").write_text("<!doctype html><html lang='en'><title>t</title><body>"
                                     + "<p>Claims and coding.</p>" * 400 + "</body></html>")
    out = tmp_path / "book.pdf"
    pdf.print_pdf(site, "print.html", out, chromium())
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) >= 2
