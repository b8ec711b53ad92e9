"""A real JupyterLab (the pinned one, with the course's extensions) on 127.0.0.1, driven by chromium.

One JupyterLab serves a copy of the lessons (so nothing a test runs is saved into the repository) to
one browser page; the app is exposed to the page (``expose_app_in_browser``) so that a test opens
lessons and runs their cells with JupyterLab's own commands, as the menu does.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from alignkit.build import labsetup
from alignkit.build.hub import free_port

from ..conftest import RenewableTab

REPO = Path(__file__).resolve().parents[2]
TOKEN = "alignkit-lab-test"
# JupyterLab asks, on first start, whether to fetch news from its website: never here, nor with
# make lab, the hub or the kit (alignkit.labsetup; test_lessons_in_lab.py checks no such prompt shows)
SETTINGS: dict[str, dict] = {}


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    course = root / "notebooks"  # beside the data, as in the repository: lessons read ../data/...
    course.mkdir()
    for nb in sorted((REPO / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        shutil.copy(nb, course / nb.name)
    for folder in ("data", "book"):
        (root / folder).symlink_to(REPO / folder, target_is_directory=True)
    settings = root / "settings"
    for name, value in SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    labsetup.set_up()  # as make lab does
    port = free_port()
    env = {**os.environ, "JUPYTER_PLATFORM_DIRS": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    cmd = [
        str(Path(sys.executable).parent / "jupyter-lab"),
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={course}",
        "--LabApp.expose_app_in_browser=True",
        f"--LabApp.user_settings_dir={settings}",
        f"--LabApp.workspaces_dir={root / 'workspaces'}",
        "--ServerApp.allow_root=True",
        "--ServerApp.disable_check_xsrf=False",
        "--LabApp.news_url=",
    ]
    log = open(root / "lab.log", "w")
    proc = subprocess.Popen(cmd, cwd=course, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{url}/api/status", headers={"Authorization": f"token {TOKEN}"}, timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("JupyterLab did not start:\n" + (root / "lab.log").read_text()[-3000:])
            time.sleep(0.3)
        yield {"url": url, "course": course, "log": root / "lab.log"}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


class LabTab(RenewableTab):
    """The JupyterLab page in chromium (the process's one browser, see tests/conftest.py); every request
    to another host fails and is recorded. ``renew()`` replaces a page that stopped answering."""

    what = "the JupyterLab page"
    open_within = 150.0

    def __init__(self, lab, browser):
        self.lab, self.browser = lab, browser
        self._open()

    def _open(self):
        host = self.lab["url"].split("//", 1)[1]
        self.context = self.browser.new_context(viewport={"width": 1366, "height": 860})
        page = self.page = self.context.new_page()
        page.outside, page.console, page.course = [], [], self.lab["course"]

        def request(r):  # chromium cannot reach other hosts (OFFLINE in tests/conftest.py): record the asking
            if r.url.startswith(("http://", "https://", "ws://", "wss://")) and r.url.split("/")[2] != host:
                page.outside.append(r.url)

        page.on("request", request)
        page.on("websocket", request)
        page.on("console", lambda m: page.console.append((m.type, m.text)))
        page.on("pageerror", lambda e: page.console.append(("pageerror", str(e))))
        page.goto(f"{self.lab['url']}/lab?reset&token={TOKEN}")
        page.wait_for_function("window.jupyterapp && window.jupyterapp.shell", timeout=60000)
        page.wait_for_function("document.querySelector('.jp-LabShell') !== null", timeout=60000)

    def _after_close(self):
        """The kernels the page started are shut down through JupyterLab's REST API."""
        auth = {"Authorization": f"token {TOKEN}"}
        for session in requests.get(f"{self.lab['url']}/api/sessions", headers=auth, timeout=10).json():
            requests.delete(f"{self.lab['url']}/api/sessions/{session['id']}", headers=auth, timeout=30)


@pytest.fixture(scope="session")
def lab_tab(lab, browser):
    """The JupyterLab page, for this process's tests (see :class:`LabTab`)."""
    tab = LabTab(lab, browser)
    yield tab
    tab.close()


@pytest.fixture
def lab_page(lab_tab):
    """The JupyterLab page as it is now."""
    return lab_tab.page
