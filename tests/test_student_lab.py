"""The student's JupyterLab (`make lab`, autograde/lab.py) shows the release only, with no
instructor tool, no exchange error and no news pop-up. A real server is started on 127.0.0.1
and stopped by its PID."""
import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from autograde import course, lab

TOKEN = "student-lab-test"


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
    root = released("m0_orientation").parent
    folder = tmp_path_factory.mktemp("student-lab")
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
