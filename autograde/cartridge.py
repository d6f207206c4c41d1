"""The whole course as an IMS Common Cartridge 1.1 (``.imscc``) for any major LMS to import.

Common Cartridge 1.1 is the one package format Canvas, Moodle, Blackboard Learn and
Brightspace all import (Moodle imports CC 1.0 and 1.1 only), so the cartridge keeps to the
CC 1.1 schemas (``autograde/schemas/cc1p1``, checked by ``autograde.cc_schema``):

- the organisation follows the syllabus (the book's ``_toc.yml``): a "Start here" unit of book
  pages (the syllabus marked ``intendeduse="syllabus"``, which Canvas makes the course
  syllabus), then one unit per module with an overview page (the module's objectives from the
  syllabus and its download), then per lesson its page, its hub link and its written tasks;
- a lesson page is the student notebook as HTML (with the outputs of the book's run of it,
  when the book is built), its learning objectives and the links that open the notebook, with
  the ``.ipynb`` attached to the page as a file;
- where a course hub is given, each notebook also gets a web link (``imswl_xmlv1p1``) that
  opens it there through nbgitpuller; otherwise the download is the way in;
- each written task (a manually graded answer) becomes a page with the student-facing task
  and rubric (the markdown above the answer in the student version) and a "Hand in" item: a
  one-question QTI essay assessment worth the task's points (``autograde.qti``). CC 1.1 has
  no assignment resource (CC 1.3's ``assignment_xmlv1p0`` is not in the 1.1 schemas, and
  Moodle reads only 1.0/1.1); an essay is gradable in every LMS and carries no key.

Everything comes from the student release (``course/release``) and the book's prose pages,
never from ``notebooks/`` or ``answer_keys/``; before anything is written, the staged files
are scanned for every solution line, hidden test and written model answer of the source
notebooks (``autograde.leaks``), and a leak stops the build.
"""
from __future__ import annotations

import html
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode
from xml.etree import ElementTree as ET

import nbformat
import yaml

from autograde import cells, course, leaks, outline, pages, qti
from autograde.package import write_zip

CP = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
LOMM = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"
WL = "http://www.imsglobal.org/xsd/imsccv1p1/imswl_v1p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
LOCATIONS = {
    CP: "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imscp_v1p2_v1p0.xsd",
    LOMM: "http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lommanifest_v1p0.xsd",
    WL: "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imswl_v1p1.xsd",
}
# Pages of the book for staff, not students: left out of the LMS course.
STAFF_PAGES = {"instructors", "publishers"}
# Jupyter Book's executed copies of the released notebooks (``make book``).
EXECUTED = course.ROOT / "_build" / "jupyter_execute" / "course" / "release"
SCANNED = (".html", ".ipynb", ".xml", ".md", ".py", ".txt", ".csv", ".json", ".yaml")


class LeakFound(ValueError):
    """The release or a page about to be packaged shows a secret of a source notebook."""


@dataclass(frozen=True)
class Hub:
    """A JupyterHub with nbgitpuller, and the git repository of the student release it pulls."""
    url: str
    repo: str
    branch: str = "main"

    def link(self, assignment: str, notebook: str) -> str:
        """The nbgitpuller link that clones or updates the release and opens one notebook in
        JupyterLab (https://nbgitpuller.readthedocs.io/en/latest/link.html)."""
        folder = re.sub(r"\.git$", "", self.repo.rstrip("/").rsplit("/", 1)[-1])
        query = urlencode({"repo": self.repo, "branch": self.branch,
                           "urlpath": f"lab/tree/{folder}/{assignment}/{notebook}.ipynb"},
                          quote_via=quote, safe="/")
        return f"{self.url.rstrip('/')}/hub/user-redirect/git-pull?{query}"


@dataclass
class Resource:
    """One manifest resource: its files (the first is the page) and the organisation's title."""
    ident: str
    title: str
    kind: str
    files: list[str]
    use: str = ""


def ident(*parts: str) -> str:
    """A manifest identifier (an XML NCName) from readable parts."""
    return "i_" + re.sub(r"[^A-Za-z0-9_.-]", "_", "_".join(parts))


def course_title() -> str:
    config = yaml.safe_load((course.ROOT / "_config.yml").read_text(encoding="utf-8"))
    return config.get("title") or "Course"


class Builder:
    """Writes the pages and files of the cartridge into a staging folder and remembers the
    organisation: a list of (unit title, [resource, ...])."""

    def __init__(self, stage: Path, release: Path, hub: Hub | None):
        self.stage, self.release, self.hub = stage, release, hub
        self.organisation: list[tuple[str, list[Resource]]] = []
        self.images: dict[str, list[str]] = {}

    def image(self, lesson: outline.Lesson, png: bytes) -> str:
        """Store a lesson's plot beside its page; its address relative to the page."""
        base = f"{lesson.assignment}/{lesson.name}"
        name = f"{lesson.name}.plot{len(self.images.setdefault(base, [])) + 1}.png"
        (self.stage / lesson.assignment / name).write_bytes(png)
        self.images[base].append(f"{lesson.assignment}/{name}")
        return name

    def write(self, href: str, text: str) -> str:
        path = self.stage / href
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return href

    def page(self, href: str, title: str, body: str, key: str, use: str = "",
             heading: bool = True) -> Resource:
        """A web page of the cartridge (headed by its title unless its body has one)."""
        top = f"<h1>{_escape(title)}</h1>\n" if heading else ""
        self.write(href, pages.document(title, top + body))
        return Resource(ident("page", key), title, "webcontent", [href], use)

    def unit(self, unit: outline.Unit) -> None:
        if unit.lessons:
            items = [self.overview(unit)]
            for lesson in unit.lessons:
                items += self.lesson(unit, lesson)
        else:
            items = [self.book_page(path) for path in unit.pages if path.stem not in STAFF_PAGES]
        if items:
            self.organisation.append((unit.caption, items))

    def book_page(self, path: Path) -> Resource:
        text = pages.myst_to_markdown(path.read_text(encoding="utf-8"), self.book_link)
        title = outline.page_title(path)
        body = pages.markdown(re.sub(r"^# .*\n", "", text, count=1, flags=re.M))
        use = "syllabus" if path.stem == "syllabus" else ""
        return self.page(f"book/{path.stem}.html", title, body, f"book_{path.stem}", use)

    @staticmethod
    def book_link(target: str) -> tuple[str, str]:
        """(href, title) of a book page another page names; no href for a staff page, which
        is not in the cartridge."""
        name = target.split("/")[-1]
        title = outline.page_title(course.ROOT / "book" / f"{name}.md")
        return ("", f"{title} (in the online book)") if name in STAFF_PAGES else \
            (f"{name}.html", title)

    def overview(self, unit: outline.Unit) -> Resource:
        name = unit.assignment
        bundle = f"{name}/{name}.zip"
        write_zip(self.release / name, name, self.stage / bundle)
        lessons = "".join(f"<li>{_escape(outline.title(lesson.notebook) or lesson.name)}</li>"
                          for lesson in unit.lessons)
        body = (_objectives(unit.objectives, "Learning objectives of this module") +
                f"<h2>Lessons</h2>\n<ol>{lessons}</ol>\n"
                f'<p>Download every notebook of this module at once: <a href="{name}.zip">'
                f"{name}.zip</a>. Open it in JupyterLab (see the course page \"How to use this "
                "course\"), fill in each blank and run its check.</p>")
        resource = self.page(f"{name}/index.html", "Overview and objectives", body,
                             f"{name}_overview")
        resource.files.append(bundle)
        return resource

    def lesson(self, unit: outline.Unit, lesson: outline.Lesson) -> list[Resource]:
        nb = lesson.notebook
        title = outline.title(nb) or lesson.name
        base = f"{lesson.assignment}/{lesson.name}"
        notebook = f"{base}.ipynb"
        (self.stage / notebook).parent.mkdir(parents=True, exist_ok=True)
        (self.stage / notebook).write_bytes(lesson.path.read_bytes())
        # A lesson that states its objectives shows them in its opening cell; one that does
        # not gets its module's, under that cell.
        header = "" if outline.lesson_objectives(nb) else _objectives(
            unit.objectives, "Learning objectives of this module")
        shown = executed(lesson, nb)
        body = pages.notebook_body(shown, header + self.open_links(lesson),
                                   lambda png: self.image(lesson, png))
        page = self.page(f"{base}.html", title, body, f"{lesson.assignment}_{lesson.name}",
                         heading=False)
        page.files.append(notebook)
        page.files += sorted(self.images.pop(base, []))
        found = [page]
        if self.hub:
            found.append(self.hub_link(lesson, title))
        for index, cell in enumerate(nb.cells):
            if cells.is_written(cell):
                found += self.written_task(lesson, nb, index)
        return found

    def open_links(self, lesson: outline.Lesson) -> str:
        download = f'<a href="{lesson.name}.ipynb">download the notebook ({lesson.name}.ipynb)</a>'
        if not self.hub:
            return f"<p>Work in the notebook: {download} and open it in JupyterLab.</p>\n"
        hub = f'<a href="{_escape(self.hub.link(lesson.assignment, lesson.name))}">open it on the course hub</a>'
        return f"<p>Work in the notebook: {hub}, or {download}.</p>\n"

    def hub_link(self, lesson: outline.Lesson, title: str) -> Resource:
        link_title = f"Open on the course hub: {title}"
        href = self.write(f"{lesson.assignment}/{lesson.name}.hub.xml",
                          weblink_xml(link_title, self.hub.link(lesson.assignment, lesson.name)))
        return Resource(ident("hub", lesson.assignment, lesson.name), link_title,
                        "imswl_xmlv1p1", [href])

    def written_task(self, lesson: outline.Lesson, nb, index: int) -> list[Resource]:
        """The task and rubric shown to students (the markdown above the answer cell), as a
        page and as a one-question essay assessment the LMS can collect and grade."""
        answer = nb.cells[index]
        prompt = _task_prompt(nb.cells[:index])
        heading = _task_title(prompt, outline.title(nb) or lesson.name)
        points = cells.points(answer)
        task = pages.markdown(re.sub(r"^#+ .*\n", "", prompt, count=1))
        notebook = f'<a href="{lesson.name}.ipynb">{lesson.name}.ipynb</a>'
        key = f"{lesson.assignment}_{lesson.name}_{cells.grade_id(answer)}"
        base = f"{lesson.assignment}/{lesson.name}.{cells.grade_id(answer)}"
        page = self.page(f"{base}.html", heading, task + (
            f"<p>Worth {points:g} points, graded by your instructor. Write your answer in the "
            f"notebook {notebook}, in the cell below this task, or in the course's \"Hand in\" "
            "item for this task, as your instructor asks.</p>"), key)
        essay = qti.essay_assessment(ident("essay", key), f"Hand in: {heading}", task + (
            f"<p>Worth {points:g} points, graded by your instructor. Write your answer here if "
            f"your instructor collects written tasks in this course site; otherwise write it in "
            f"the notebook {lesson.name}.ipynb.</p>"), points)
        href = self.write(f"{base}.qti.xml", essay)
        return [page, Resource(ident("hand_in", key), f"Hand in: {heading}",
                               qti.RESOURCE_TYPE, [href])]


def executed(lesson: outline.Lesson, nb):
    """The book's executed copy of a lesson when there is one and its code is the lesson's
    (so its outputs belong to this very release), else the lesson as released."""
    path = EXECUTED / lesson.assignment / f"{lesson.name}.ipynb"
    if not path.is_file():
        return nb
    ran = nbformat.read(path, as_version=4)
    code = [[c.source for c in book.cells if c.cell_type == "code"] for book in (nb, ran)]
    return ran if code[0] == code[1] else nb


def _task_prompt(cells_above) -> str:
    """The markdown cells right above a written answer, up to the one that opens the task (a
    heading or a bold "Question" lead): the task, its case and its rubric."""
    found = []
    for cell in reversed(cells_above[-3:]):
        if cell.cell_type != "markdown":
            break
        found.insert(0, cell.source)
        if cell.source.startswith(("#", "**Question")):
            break
    return "\n\n".join(found)


def _task_title(prompt: str, lesson_title: str) -> str:
    """A written task's title: its heading, else its first line, without markdown marks; a
    heading that says only "Written task (...)" is named after its lesson."""
    lines = [line for line in prompt.splitlines() if line.strip()]
    line = next((line for line in lines if line.startswith("#")), lines[0] if lines else "")
    line = re.sub(r"^\d+\.\s*", "", re.sub(r"[#*_]", "", line).strip())
    line = line.split(". ")[0].rstrip(".")[:90]
    if re.sub(r"\s*\(.*?\)", "", line).strip().lower() in ("", "written", "written task"):
        return f"Written task: {lesson_title}"
    return line if "written" in line.lower() else f"Written task: {line}"


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def _objectives(items: list[str], heading: str) -> str:
    return f"<h2>{heading}</h2>\n{pages.bullet_list(items)}\n" if items else ""


def weblink_xml(title: str, url: str) -> str:
    """A CC 1.1 web link resource file."""
    ET.register_namespace("", WL)
    root = ET.Element(f"{{{WL}}}webLink", {
        f"{{{XSI}}}schemaLocation": f"{WL} {LOCATIONS[WL]}"})
    ET.SubElement(root, f"{{{WL}}}title").text = title
    ET.SubElement(root, f"{{{WL}}}url", {"href": url, "target": "_blank"})
    return _xml(root)


def manifest_xml(title: str, organisation: list[tuple[str, list[Resource]]]) -> str:
    """imsmanifest.xml: the cartridge's metadata, organisation (units, then their items) and
    resources."""
    ET.register_namespace("", CP)
    ET.register_namespace("lomimscc", LOMM)
    ET.register_namespace("xsi", XSI)
    root = ET.Element(f"{{{CP}}}manifest", {
        "identifier": ident("manifest"),
        f"{{{XSI}}}schemaLocation": " ".join(f"{ns} {LOCATIONS[ns]}" for ns in (CP, LOMM))})
    metadata = ET.SubElement(root, f"{{{CP}}}metadata")
    ET.SubElement(metadata, f"{{{CP}}}schema").text = "IMS Common Cartridge"
    ET.SubElement(metadata, f"{{{CP}}}schemaversion").text = "1.1.0"
    lom_title = ET.SubElement(ET.SubElement(ET.SubElement(metadata, f"{{{LOMM}}}lom"),
                                            f"{{{LOMM}}}general"), f"{{{LOMM}}}title")
    ET.SubElement(lom_title, f"{{{LOMM}}}string", {"language": "en"}).text = title
    organisations = ET.SubElement(root, f"{{{CP}}}organizations")
    top = ET.SubElement(ET.SubElement(organisations, f"{{{CP}}}organization", {
        "identifier": ident("organisation"), "structure": "rooted-hierarchy"}),
        f"{{{CP}}}item", {"identifier": ident("root")})
    resources = ET.SubElement(root, f"{{{CP}}}resources")
    for number, (caption, items) in enumerate(organisation):
        unit = ET.SubElement(top, f"{{{CP}}}item", {"identifier": ident("unit", str(number))})
        ET.SubElement(unit, f"{{{CP}}}title").text = caption
        for resource in items:
            item = ET.SubElement(unit, f"{{{CP}}}item", {
                "identifier": ident("item", resource.ident[2:]), "identifierref": resource.ident})
            ET.SubElement(item, f"{{{CP}}}title").text = resource.title
            _resource(resources, resource)
    return _xml(root)


def _resource(parent, resource: Resource) -> None:
    attributes = {"identifier": resource.ident, "type": resource.kind}
    if resource.kind == "webcontent":
        attributes["href"] = resource.files[0]
    if resource.use:
        attributes["intendeduse"] = resource.use
    element = ET.SubElement(parent, f"{{{CP}}}resource", attributes)
    for href in resource.files:
        ET.SubElement(element, f"{{{CP}}}file", {"href": href})


def _xml(root) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def check_no_leak(folders, sources=None) -> None:
    """Raise LeakFound when a file under ``folders`` shows a source notebook's secret."""
    secret_lines = leaks.course_secrets(sources or course.source_notebooks())
    found = [leak for folder in folders
             for leak in leaks.find_leaks(secret_lines, folder, suffixes=SCANNED)]
    if found:
        raise LeakFound("not packaged: instructor-only text would reach the LMS:\n  " +
                        "\n  ".join(found[:20]))


def build(out: Path, release: Path | None = None, hub: Hub | None = None) -> Path:
    """Write the course cartridge to ``out`` from the student release (default course/release).

    Raises course.NotReleased when a notebook of the syllabus is not released, LeakFound when
    a page or file would carry a solution, hidden test or model answer."""
    release = Path(release or course.RELEASE)
    units = outline.units(release)
    with tempfile.TemporaryDirectory() as tmp:
        builder = Builder(Path(tmp), release, hub)
        for unit in units:
            builder.unit(unit)
        builder.write("imsmanifest.xml", manifest_xml(course_title(), builder.organisation))
        check_no_leak([release, builder.stage])
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
            bundle.write(builder.stage / "imsmanifest.xml", "imsmanifest.xml")
            for path in sorted(builder.stage.rglob("*")):
                name = path.relative_to(builder.stage).as_posix()
                if path.is_file() and name != "imsmanifest.xml":
                    bundle.write(path, name)
    return out
