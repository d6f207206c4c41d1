"""The student's JupyterLab (`make lab`, autograde/lab.py) shows the release only, with no
instructor tool, no exchange error and no news pop-up, and its Validate dialog shows each
failed check in full. A real server is started on 127.0.0.1 and stopped by its PID; the
dialog is looked at in headless Chromium, whose screenshot is the one in book/how-to-use.md
(`make screenshots` refreshes it)."""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

import nbformat
import pytest

from autograde import cells, course, lab
from tests import chromium

TOKEN = "student-lab-test"
SCREENSHOT = course.ROOT / "book" / "images" / "validate-dialog.png"
WORKED = "m0_orientation/01_working_in_a_notebook.ipynb"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, url: str, root):
        self.url, self.root = url, root

    def get(self, path: str):
        """(status, body) of an authenticated GET."""
        request = urllib.request.Request(self.url + path,
                                         headers={"Authorization": f"token {TOKEN}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, ""
        except (urllib.error.URLError, ConnectionError):
            return 0, ""


@pytest.fixture(scope="module")
def student_lab(released, tmp_path_factory):
    folder = tmp_path_factory.mktemp("student-lab")
    root = folder / "release"
    shutil.copytree(released("m0_orientation"), root / "m0_orientation")
    _work_as_a_student(root / WORKED)
    port = _free_port()
    args, env = lab.command("student", root=root, folder=folder, exchange=False)
    args += [f"--port={port}", "--ServerApp.port_retries=0", "--ServerApp.ip=127.0.0.1",
             "--no-browser", f"--IdentityProvider.token={TOKEN}", "--allow-root"]
    with open(folder / "server.log", "w") as log:
        process = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", root)
    try:
        deadline = time.monotonic() + 60
        while server.get("/api/status")[0] != 200:
            assert process.poll() is None, (folder / "server.log").read_text()
            assert time.monotonic() < deadline, "the lab did not start in 60 s"
            time.sleep(0.3)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _work_as_a_student(path):
    """The first answer typed with curly quotes; the second left blank."""
    nb = nbformat.read(path, as_version=4)
    answer = next(c for c in nb.cells if cells.grade_id(c) == "ready_answer")
    answer.source = "my_first_answer = \u201cready\u201d"
    nbformat.write(nb, path)


def _page_config(server) -> dict:
    status, page = server.get("/lab")
    assert status == 200
    found = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                      page, re.S)
    return json.loads(found.group(1))


def test_the_file_browser_lists_the_student_release_only(student_lab):
    status, body = student_lab.get("/api/contents")
    assert status == 200
    listed = {item["name"] for item in json.loads(body)["content"]}
    assert listed == {p.name for p in student_lab.root.iterdir() if not p.name.startswith(".")}
    assert "m0_orientation" in listed
    assert not listed & {"notebooks", "answer_keys", "autograde", "medcode", "course"}
    assert student_lab.get("/api/contents/notebooks")[0] == 404


def test_no_instructor_tool_or_exchange_list_is_enabled(student_lab):
    config = _page_config(student_lab)
    disabled = set(config["disabledExtensions"])
    assert {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
            "@jupyter/nbgrader:assignment-list", "@jupyter/nbgrader:course-list",
            "@jupyter/nbgrader:menu"} <= disabled
    assert "@jupyter/nbgrader:validate-assignment" not in disabled
    assert "@jupyter/nbgrader" in {e["name"] for e in config["federated_extensions"]}, \
        "nbgrader's lab extension is installed, so Validate is there"
    for instructor_or_exchange in ("/formgrader", "/assignments", "/courses"):
        assert student_lab.get(instructor_or_exchange)[0] == 404, instructor_or_exchange


def test_jupyter_news_is_off(student_lab):
    assert "@jupyterlab/apputils-extension:announcements" in _page_config(
        student_lab)["disabledExtensions"]


def test_its_kernels_run_the_preamble_first(student_lab):
    status, body = student_lab.get("/api/kernelspecs")
    spec = json.loads(body)["kernelspecs"]["python3"]["spec"]
    assert "--ext=medcode.preamble" in spec["argv"]


def test_with_an_exchange_the_student_keeps_the_assignment_list(tmp_path):
    _, env = lab.command("student", root=tmp_path, folder=tmp_path, exchange=True)
    page = json.loads((tmp_path / "config" / "labconfig" / "page_config.json").read_text())
    assert "@jupyter/nbgrader:assignment-list" not in page["disabledExtensions"]
    assert "@jupyter/nbgrader:formgrader" in page["disabledExtensions"]
    assert env["JUPYTER_CONFIG_DIR"] == str(tmp_path / "config")


def test_the_instructor_lab_opens_the_repository_with_every_tool():
    args, env = lab.command("instructor")
    assert f"--ServerApp.root_dir={course.ROOT}" in args
    assert env.get("JUPYTER_CONFIG_DIR") == os.environ.get("JUPYTER_CONFIG_DIR")


def _png_size(path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


@pytest.mark.skipif(chromium.BINARY is None, reason="chromium is not installed (.ci/run installs it)")
def test_validate_shows_every_failed_check_in_full_and_no_news(student_lab, tmp_path):
    browser = chromium.Chromium(f"{student_lab.url}/lab/tree/{WORKED}?token={TOKEN}",
                                tmp_path / "profile", _free_port())
    try:
        browser.wait_for("!!document.querySelector('.validate-button')", timeout=120)
        browser.evaluate("(b => (b.querySelector('button') || b).click())"
                         "(document.querySelector('.validate-button'))")
        message = browser.wait_for("document.querySelector('#validation-message')?.innerText",
                                   timeout=120)
        title = browser.evaluate("document.querySelector('.jp-Dialog-header')?.innerText")
        cut = browser.evaluate("[...document.querySelectorAll('#validation-message pre')]"
                               ".filter(p => p.scrollWidth > p.clientWidth + 1).length")
        page = browser.evaluate("document.body.innerText")
        time.sleep(0.5)
        shot = browser.screenshot(tmp_path / "validate-dialog.png")
    finally:
        browser.close()
    assert title.strip() == "Validation Results"
    assert message.count("The following cell failed:") == 3, "two checks and the written answer"
    assert "You did not provide a response." in message
    assert "curly \u201csmart\u201d quote" in message and "does not know the name" not in message
    assert "specialist_copay is still blank" in message
    assert cut == 0, "a failed check's message is cut at the dialog's right edge"
    assert "news" not in page.lower() and "Create Assignment" not in page
    assert _png_size(shot) == (1280, 900)
    if os.environ.get("UPDATE_SCREENSHOTS"):
        shutil.copyfile(shot, SCREENSHOT)


def test_the_how_to_page_shows_the_real_validate_dialog():
    assert _png_size(SCREENSHOT) == (1280, 900)
    page = (course.ROOT / "book" / "how-to-use.md").read_text()
    assert "images/validate-dialog.png" in page and "Validation Results" in page
