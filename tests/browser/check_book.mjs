// Reads the built book in headless Chromium as a reader would, and reports what it met.
//
// node check_book.mjs SETTINGS.json  ->  a JSON report on stdout, one entry per page and width.
// SETTINGS: {"base": "http://127.0.0.1:PORT/", "pages": ["book/welcome.html", ...],
//            "widths": [390, 1280], "screenshots": "/abs/folder", "chromium": "/usr/bin/chromium"}
//
// The report holds findings, not verdicts: tests/test_browser.py decides what fails, so a
// reader of a failed test sees every finding of the page at once.
import { readFileSync, mkdirSync, mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];
// The theme hides its sidebar behind a dialog below this width (pydata-sphinx-theme).
const WIDE = 992;

const settings = JSON.parse(readFileSync(process.argv[2], "utf8"));
const base = new URL(settings.base);

/** Chromium's own flags for a closed network: no background calls home, no sandbox as root. */
function launch() {
  return puppeteer.launch({
    executablePath: settings.chromium,
    headless: true,
    userDataDir: mkdtempSync(join(tmpdir(), "book-chromium-")),
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--hide-scrollbars"],
  });
}

/** Console errors, uncaught exceptions and failed requests, as a reader's DevTools shows them. */
function watchProblems(page) {
  const problems = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console: ${msg.text()} (${msg.location()?.url || ""})`);
  });
  page.on("pageerror", (err) => problems.push(`exception: ${err.message}`));
  page.on("requestfailed", (req) =>
    problems.push(`request failed: ${req.url()} ${req.failure()?.errorText || ""}`));
  page.on("response", (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return problems;
}

async function runAxe(page) {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags },
      resultTypes: ["violations"] }), AXE_TAGS);
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
  }));
}

/** Elements that stick out past the right edge of the screen, outside any scrolling box. */
function overflow(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const pageWidth = document.documentElement.scrollWidth;
    if (pageWidth <= width) return { pageWidth, screenWidth: width, culprits: [] };
    const scrolls = (el) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const style = getComputedStyle(p);
        if (["auto", "scroll", "hidden", "clip"].includes(style.overflowX)) return true;
      }
      return false;
    };
    const culprits = [];
    for (const el of document.body.querySelectorAll("*")) {
      const box = el.getBoundingClientRect();
      if (box.width && box.right > width + 1 && culprits.length < 5 && !scrolls(el) &&
          el.checkVisibility({ visibilityProperty: true })) {
        culprits.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}` +
          `${el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : ""}` +
          ` (right edge ${Math.round(box.right)} px)`);
      }
    }
    return { pageWidth, screenWidth: width, culprits };
  });
}

/** Images and their alt text; an alt that is empty, a file name or a path says nothing. */
function images(page) {
  return page.evaluate(() => [...document.images]
    .filter((img) => img.getAttribute("aria-hidden") !== "true" && img.getAttribute("role") !== "presentation")
    .map((img) => ({ src: img.getAttribute("src"), alt: img.getAttribute("alt") })));
}

function visibleLinks(page, selector) {
  return page.evaluate((sel) => {
    const root = document.querySelector(sel);
    if (!root) return 0;
    return [...root.querySelectorAll("a[href]")].filter((a) => {
      const box = a.getBoundingClientRect();
      return a.checkVisibility({ visibilityProperty: true, opacityProperty: true }) &&
        box.width > 0 && box.height > 0 && box.right > 0 && box.left < window.innerWidth;
    }).length;
  }, selector);
}

async function clickVisible(page, selector) {
  const buttons = await page.$$(selector);
  for (const button of buttons) {
    const box = await button.boundingBox();
    if (box && box.width > 0 && box.height > 0) {
      await button.click();
      await new Promise((r) => setTimeout(r, 300));
      return true;
    }
  }
  return false;
}

/** Does the visible ☰ open the table of contents (a dialog on a narrow screen), and, on a wide
 *  one, fold the sidebar away and bring it back? */
async function navigation(page, width, shots) {
  const found = { toggle: false, opened: false, closed: null, reopened: null, tocLinks: 0, contents: null };
  if (width < WIDE) {
    found.toggle = await clickVisible(page, ".primary-toggle");
    found.opened = await page.evaluate(() => !!document.querySelector("#pst-primary-sidebar-modal")?.open);
    found.tocLinks = await visibleLinks(page, "#pst-primary-sidebar-modal");
    await page.screenshot({ path: `${shots}-toc.png` });
    await page.keyboard.press("Escape");
    await new Promise((r) => setTimeout(r, 200));
    found.closed = await page.evaluate(() => !document.querySelector("#pst-primary-sidebar-modal")?.open);
    // the page-contents button, where the page has one
    if (await clickVisible(page, ".secondary-toggle")) {
      found.contents = await page.evaluate(() => !!document.querySelector("#pst-secondary-sidebar-modal")?.open);
      await page.keyboard.press("Escape");
    }
  } else {
    found.tocLinks = await visibleLinks(page, "#pst-primary-sidebar");
    found.opened = found.tocLinks > 0;
    found.toggle = await clickVisible(page, ".primary-toggle");
    await new Promise((r) => setTimeout(r, 400));   // the theme slides the sidebar away
    found.closed = (await visibleLinks(page, "#pst-primary-sidebar")) === 0;
    await page.screenshot({ path: `${shots}-toc-folded.png` });
    await clickVisible(page, ".primary-toggle");
    await new Promise((r) => setTimeout(r, 400));
    found.reopened = (await visibleLinks(page, "#pst-primary-sidebar")) > 0;
  }
  return found;
}

/** Every same-site link on the page, as absolute URLs without the query. */
function links(page) {
  return page.evaluate(() => [...document.querySelectorAll("a[href]")]
    .map((a) => a.href).filter((href) => href.startsWith(location.origin)));
}

const fetched = new Map();
/** The ids a target page holds, or null when it cannot be fetched. */
async function targetIds(url) {
  if (!fetched.has(url)) {
    fetched.set(url, (async () => {
      const res = await fetch(url);
      if (!res.ok) return null;
      const type = res.headers.get("content-type") || "";
      if (!type.includes("html")) return new Set();
      const html = await res.text();
      return new Set([...html.matchAll(/\s(?:id|name)="([^"]+)"/g)].map((m) => m[1]));
    })());
  }
  return fetched.get(url);
}

async function brokenLinks(hrefs) {
  const broken = [];
  for (const href of new Set(hrefs)) {
    const url = new URL(href);
    const fragment = decodeURIComponent(url.hash.slice(1));
    url.hash = "";
    url.search = "";
    const ids = await targetIds(url.href);
    if (ids === null) broken.push(`${href}: page not found`);
    else if (fragment && url.pathname.endsWith(".html") && !ids.has(fragment)) broken.push(`${href}: no such anchor`);
  }
  return broken;
}

async function checkPage(browser, path, width) {
  // a context of its own: every page is met as on a first visit (no stored settings)
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width, height: width < WIDE ? 844 : 900 });
  const problems = watchProblems(page);
  const url = new URL(path, base).href;
  await page.goto(url, { waitUntil: "load", timeout: 60000 });
  await new Promise((r) => setTimeout(r, 500));
  const shots = join(settings.screenshots, `${path.replace(/[\/.]/g, "_")}-${width}`);
  await page.screenshot({ path: `${shots}.png` });
  const report = {
    page: path, width,
    axe: await runAxe(page),
    overflow: await overflow(page),
    images: await images(page),
    brokenLinks: await brokenLinks(await links(page)),
  };
  report.navigation = await navigation(page, width, shots);
  report.problems = problems;
  await context.close();
  return report;
}

mkdirSync(settings.screenshots, { recursive: true });
const browser = await launch();
const reports = [];
try {
  for (const path of settings.pages) {
    for (const width of settings.widths) reports.push(await checkPage(browser, path, width));
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(reports, null, 1));
