"""The course cartridge (``python -m autograde package --cc``): valid IMS Common Cartridge 1.1,
the whole release in syllabus order, and nothing an instructor alone may see.

The cartridge is read back here by ``read_back``, a reader written from the CC 1.1 / IMS
Content Packaging text alone (the manifest at the package root; an organisation of nested
items, each pointing by ``identifierref`` at a resource; a resource's ``href`` and files), with
the standard library's ElementTree, so it shares no code with the builder.
"""
from __future__ import annotations

import base64
import html
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlparse
from xml.etree import ElementTree as ET

import nbformat
import pytest
import yaml

from autograde import cartridge, cc_schema, course, leaks

pytestmark = pytest.mark.xdist_group("cartridge")

CP = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
WL = "{http://www.imsglobal.org/xsd/imsccv1p1/imswl_v1p1}"
QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
HUB = cartridge.Hub("https://hub.example.edu", "https://github.com/example-college/mbc-release.git",
                    "spring")
TOC = yaml.safe_load((course.ROOT / "_toc.yml").read_text())


@pytest.fixture(scope="module")
def release(released) -> Path:
    for assignment in course.assignments():
        folder = released(assignment)
    return folder.parent


@pytest.fixture(scope="module")
def package(release, tmp_path_factory) -> Path:
    return cartridge.build(tmp_path_factory.mktemp("cc") / "course.imscc", release, HUB)


def read_back(path: Path) -> dict:
    """The cartridge as an LMS importer sees it: units (title, [(item title, resource)])."""
    with zipfile.ZipFile(path) as bundle:
        root = ET.fromstring(bundle.read("imsmanifest.xml"))
        files = {name: bundle.read(name) for name in bundle.namelist()}
    resources = {}
    for resource in root.iter(f"{CP}resource"):
        resources[resource.get("identifier")] = {
            "type": resource.get("type"), "href": resource.get("href"),
            "use": resource.get("intendeduse"),
            "files": [f.get("href") for f in resource.findall(f"{CP}file")]}
    top = root.find(f"{CP}organizations/{CP}organization/{CP}item")
    units = [(unit.findtext(f"{CP}title"),
              [(item.findtext(f"{CP}title"), resources[item.get("identifierref")])
               for item in unit.findall(f"{CP}item")])
             for unit in top.findall(f"{CP}item")]
    return {"units": units, "resources": resources, "files": files,
            "metadata": [e.text for e in root.find(f"{CP}metadata")]}


def first_heading(path: Path) -> str:
    notebook = json.loads(path.read_text())
    for cell in notebook["cells"]:
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "markdown":
            for line in text.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    raise AssertionError(f"{path} has no title")


def text_of(data: bytes) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", data.decode())).split())


def modules_in_toc() -> list[tuple[str, list[str]]]:
    return [(part["caption"], [c["file"] for c in part["chapters"]]) for part in TOC["parts"]
            if part["chapters"][0]["file"].startswith("course/release/")]


def test_every_xml_file_validates_against_the_ims_cc_1_1_schemas(package):
    assert cc_schema.problems(package) == []
    back = read_back(package)
    assert back["metadata"][:2] == ["IMS Common Cartridge", "1.1.0"]
    weblinks = [r for r in back["resources"].values() if r["type"] == "imswl_xmlv1p1"]
    assert len(weblinks) == sum(len(lessons) for _, lessons in modules_in_toc())


def test_the_schema_check_catches_a_broken_cartridge(package, tmp_path):
    with zipfile.ZipFile(package) as bundle:
        files = {name: bundle.read(name) for name in bundle.namelist()}
    dropped = next(name for name in files if name.endswith(".ipynb"))

    def broken(name, change):
        out = tmp_path / name
        with zipfile.ZipFile(out, "w") as bundle:
            for member, data in change(dict(files)).items():
                bundle.writestr(member, data)
        return cc_schema.problems(out)

    def wrong_type(f):
        f["imsmanifest.xml"] = f["imsmanifest.xml"].replace(b'type="webcontent"',
                                                            b'type="assignment_xmlv1p0"', 1)
        return f

    assert any("assignment_xmlv1p0" in p for p in broken("type.imscc", wrong_type))
    missing = broken("missing.imscc", lambda f: {k: v for k, v in f.items() if k != dropped})
    assert any(dropped in p and "not in the package" in p for p in missing)
    stray = broken("stray.imscc", lambda f: {**f, "notes.html": b"<p>x</p>"})
    assert stray == ["notes.html: in the package but named by no resource"]
    bad_link = broken("link.imscc", lambda f: {**f, **{
        k: v.replace(b"<url ", b"<address ") for k, v in f.items() if k.endswith(".hub.xml")}})
    assert any(".hub.xml" in p for p in bad_link)
    # IMS's Schematron rules, embedded in the XSDs, run as well
    scored = broken("scored.imscc", lambda f: {**f, **{
        k: v.replace(b"<fieldentry>No</fieldentry>", b"<fieldentry>Yes</fieldentry>")
        for k, v in f.items() if k.endswith(".qti.xml")}})
    assert scored and all("RULE 8f" in p for p in scored)
    linked = broken("href.imscc", lambda f: {**f, "imsmanifest.xml": f["imsmanifest.xml"].replace(
        b'type="imswl_xmlv1p1"', b'type="imswl_xmlv1p1" href="x.html"', 1)})
    assert any(p.startswith("imsmanifest.xml: [") for p in linked)


def test_the_organisation_follows_the_syllabus(package, release):
    units = read_back(package)["units"]
    modules = [(title, items) for title, items in units if title.startswith("Module")]
    assert [title for title, _ in modules] == [caption for caption, _ in modules_in_toc()]
    syllabus = (course.ROOT / "book" / "syllabus.md").read_text()
    numbers = re.findall(r"^### Module (\d+)", syllabus, re.M)
    assert [re.match(r"Module (\d+)", t).group(1) for t, _ in modules] == numbers
    for (title, items), (_, chapters) in zip(modules, modules_in_toc()):
        lessons = [item for item, res in items if res["type"] == "webcontent"
                   and any(f.endswith(".ipynb") for f in res["files"])]
        assert lessons == [first_heading(release / f"{c.removeprefix('course/release/')}.ipynb")
                           for c in chapters], title
        assert items[0][0] == "Overview and objectives"
    # the book's student pages come first and last, the staff pages not at all
    assert units[0][0] == "Start here" and units[-1][0] == "Reference"
    titles = [item for _, items in units for item, _ in items]
    assert "Syllabus" in titles and "For instructors" not in " ".join(titles)


def test_each_item_opens_a_page_with_its_title(package):
    back = read_back(package)
    for _, items in back["units"]:
        for title, resource in items:
            if resource["type"] == "webcontent":
                page = back["files"][resource["href"]].decode()
                assert f"<title>{html.escape(title)}</title>" in page
    syllabus = [r for r in back["resources"].values() if r["use"] == "syllabus"]
    assert [r["href"] for r in syllabus] == ["book/syllabus.html"]


def test_every_notebook_of_the_release_is_attached_unchanged(package, release):
    back = read_back(package)
    released = sorted(release.glob("*/*.ipynb"))
    assert len(released) == sum(len(lessons) for _, lessons in modules_in_toc())
    attached = {f for r in back["resources"].values() for f in r["files"] if f.endswith(".ipynb")}
    assert attached == {p.relative_to(release).as_posix() for p in released}
    for path in released:
        name = path.relative_to(release).as_posix()
        assert back["files"][name] == path.read_bytes()
        page = back["files"][name.replace(".ipynb", ".html")].decode()
        assert f'href="{path.name}"' in page
    for assignment in {p.parent.name for p in released}:
        with zipfile.ZipFile(io.BytesIO(
                back["files"][f"{assignment}/{assignment}.zip"])) as module:
            assert sorted(module.namelist()) == sorted(
                f"{assignment}/{p.name}" for p in release.glob(f"{assignment}/*.ipynb"))


def test_each_lesson_page_carries_learning_objectives(package):
    back = read_back(package)
    syllabus = (course.ROOT / "book" / "syllabus.md").read_text()
    for title, items in back["units"]:
        number = re.match(r"Module (\d+)", title)
        if not number:
            continue
        section = re.search(rf"^### Module {number.group(1)}\b.*?(?=^### |\Z)", syllabus,
                            re.M | re.S).group(0)
        objectives = [" ".join(o.split())[:50] for o in
                      re.findall(r"^- (.*(?:\n  .*)*)", section, re.M)]
        overview = text_of(back["files"][items[0][1]["href"]])
        assert objectives and all(o.replace("`", "") in overview for o in objectives), title
        for item, resource in items:
            if any(f.endswith(".ipynb") for f in resource["files"]):
                page = back["files"][resource["href"]].decode()
                states = re.search(r"(By the end of this \w+ you|In this notebook you will)"
                                   r".{0,200}?<(ul|ol)>", page, re.S)
                assert states or "Learning objectives of this module" in page, item


def test_hub_links_open_each_notebook_through_nbgitpuller(package, release, tmp_path):
    back = read_back(package)
    for resource in back["resources"].values():
        if resource["type"] != "imswl_xmlv1p1":
            continue
        link = ET.fromstring(back["files"][resource["files"][0]])
        url = urlparse(link.find(f"{WL}url").get("href"))
        query = parse_qs(url.query)
        assert (url.scheme, url.netloc, url.path) == ("https", "hub.example.edu",
                                                      "/hub/user-redirect/git-pull")
        assert query["repo"] == [HUB.repo] and query["branch"] == ["spring"]
        notebook = query["urlpath"][0].removeprefix("lab/tree/mbc-release/")
        assert (release / notebook).is_file()
    plain = read_back(cartridge.build(tmp_path / "plain.imscc", release))
    assert not [r for r in plain["resources"].values() if r["type"] == "imswl_xmlv1p1"]
    assert "course hub" not in plain["files"]["m1_profession/01_the_profession.html"].decode()


def test_written_tasks_show_the_task_and_rubric_but_no_model_answer(package, release):
    back = read_back(package)
    written = [(p, c) for p in sorted(release.glob("*/*.ipynb"))
               for c in json.loads(p.read_text())["cells"]
               if c["metadata"].get("nbgrader", {}).get("grade")
               and c["metadata"]["nbgrader"].get("solution")]
    pages = {name: data for name, data in back["files"].items()
             if re.search(r"\.[a-z0-9_]+\.html$", name) and not name.startswith("book/")}
    assert len(pages) == len(written) > 0
    essays = {r["files"][0]: r for r in back["resources"].values()
              if r["type"] == "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"}
    assert len(essays) == len(written)
    for path, cell in written:
        grade_id, points = cell["metadata"]["nbgrader"]["grade_id"], cell["metadata"]["nbgrader"]["points"]
        page = text_of(pages[f"{path.parent.name}/{path.stem}.{grade_id}.html"])
        assert "rubric" in page.lower() or "graded on" in page.lower()
        assert f"Worth {points:g} points" in page
        essay = ET.fromstring(back["files"][f"{path.parent.name}/{path.stem}.{grade_id}.qti.xml"])
        fields = {f.findtext(f"{QTI}fieldlabel"): f.findtext(f"{QTI}fieldentry")
                  for f in essay.iter(f"{QTI}qtimetadatafield")}
        assert fields["cc_profile"] == "cc.essay.v0p1" and fields["qmd_computerscored"] == "No"
        assert fields["cc_weighting"] == f"{points:g}"
        assert essay.find(f".//{QTI}resprocessing") is None   # nothing to compare with: no key
        prompt = text_of(essay.findtext(f".//{QTI}mattext").encode())
        assert page.split("Worth")[0].strip()[-150:] in prompt   # the task and its rubric


def test_no_solution_hidden_test_or_answer_key_is_in_the_cartridge(package, tmp_path):
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(package) as bundle:
        bundle.extractall(unpacked)
    for inner in unpacked.glob("*/*.zip"):
        with zipfile.ZipFile(inner) as bundle:
            bundle.extractall(unpacked / "inner" / inner.stem)
    sources = course.source_notebooks()
    secret_lines = leaks.course_secrets(sources)
    assert len(secret_lines) > 100
    assert leaks.find_leaks(secret_lines, unpacked, suffixes=(".html", ".ipynb", ".xml")) == []
    everything = "\n".join(path.read_text(errors="replace")
                           for path in unpacked.rglob("*") if path.is_file()
                           and path.suffix != ".zip")
    keys = sorted((course.ROOT / "answer_keys").rglob("*.yaml"))
    # the two worked examples' keys are public by design (medcode/data/ehr/examples.yaml) and
    # the lectures print them; every other key line must be absent
    public = (course.ROOT / "medcode" / "data" / "ehr" / "examples.yaml").read_text()
    key_lines = {line.strip() for key in keys for line in key.read_text().splitlines()
                 if len(line.strip()) >= 30 and line.strip() not in public}
    assert keys and len(key_lines) > 100
    assert not [line for line in key_lines if line in everything]
    instructor_files = {p.read_bytes() for p in sources + keys}
    assert not [p for p in unpacked.rglob("*") if p.is_file() and p.read_bytes() in instructor_files]


def test_a_solution_in_the_release_stops_the_build(release, tmp_path):
    leaky = tmp_path / "release"
    shutil.copytree(release, leaky)
    source = course.source_notebooks("m3_icd10cm")[0]
    shutil.copy(source, leaky / "m3_icd10cm" / source.name)
    with pytest.raises(cartridge.LeakFound, match="instructor-only"):
        cartridge.build(tmp_path / "leaky.imscc", leaky)
    assert not (tmp_path / "leaky.imscc").exists()


def test_an_unreleased_course_is_named_not_packaged(tmp_path):
    with pytest.raises(course.NotReleased, match="python -m autograde release"):
        cartridge.build(tmp_path / "none.imscc", tmp_path / "empty")


def test_the_package_verb_needs_a_format_and_a_repository_for_the_hub(tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "autograde", "package", *args],
                              capture_output=True, text=True, cwd=course.ROOT)

    no_format = run("-o", str(tmp_path / "x.imscc"))
    assert no_format.returncode == 2 and "--cc" in no_format.stderr
    no_repo = run("--cc", "--hub", "https://hub.example.edu", "-o", str(tmp_path / "x.imscc"))
    assert no_repo.returncode == 2 and "--hub-repo" in no_repo.stderr
    assert not (tmp_path / "x.imscc").exists()


def test_a_page_shows_outputs_as_the_book_does_but_no_traceback_or_script():
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    from autograde import pages

    png = b"\x89PNG\r\n\x1a\n fake"
    cell = new_code_cell("total = ...\nchecks.is_number(total, 'total')", outputs=[
        new_output("stream", name="stdout", text="3 visits\n"),
        new_output("stream", name="stderr", text="a warning\n"),
        new_output("error", ename="AnswerProblem", evalue="total is still blank.",
                   traceback=["Traceback (most recent call last)", "secret_frame()"]),
        new_output("display_data", data={"image/png": base64.b64encode(png).decode(),
                                         "text/plain": "<Figure>"}),
        new_output("execute_result", data={"text/html": "<table><script>x()</script></table>",
                                           "text/plain": "a table"}, execution_count=1)])
    notebook = new_notebook(cells=[new_markdown_cell("# Title"), cell])
    saved = []
    body = pages.notebook_body(notebook, "<p>HEADER</p>", lambda data: saved.append(data) or "p.png")
    assert body.index("<h1>Title</h1>") < body.index("HEADER") < body.index("total = ...")
    assert "3 visits" in body and "total is still blank." in body and "a table" in body
    assert "a warning" not in body and "secret_frame" not in body and "<script" not in body
    assert saved == [png] and '<img src="p.png"' in body
    assert "<img" not in pages.notebook_body(notebook)    # no place to store a plot: left out


def test_outputs_come_only_from_a_run_of_the_same_notebook(tmp_path, monkeypatch):
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from autograde import outline

    released = new_notebook(cells=[new_code_cell("x = ...")])
    folder = tmp_path / "m9"
    folder.mkdir()
    monkeypatch.setattr(cartridge, "EXECUTED", tmp_path)
    lesson = outline.Lesson("m9", "01", folder / "01.ipynb")
    assert cartridge.executed(lesson, released) is released          # the book is not built
    ran = new_notebook(cells=[new_code_cell("x = ...", outputs=[new_output("stream", text="hi")])])
    nbformat.write(ran, folder / "01.ipynb")
    assert cartridge.executed(lesson, released).cells[0].outputs[0].text == "hi"
    released.cells[0].source = "x = 1"                                 # an older build
    assert cartridge.executed(lesson, released) is released
