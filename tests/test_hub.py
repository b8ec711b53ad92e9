"""The workshop's JupyterHub: two people log in with the shared password, each gets a server with
their own copy of the lessons, and a lesson runs in each server (workshop/jupyterhub/)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
import uuid

import nbformat
import pytest
import requests
import websocket

from alignkit.build.hub import free_port, hub_command, hub_environment
from alignkit.build.labsetup import ANNOUNCEMENTS
from alignkit.paths import root

REPO = root()

PASSWORD = "brightline-trial"
USERS = ("ana", "ben")
LESSON = "00-start-here.ipynb"
pytestmark = pytest.mark.skipif(
    shutil.which("node") is None and not (REPO / "node_modules/.bin/configurable-http-proxy").exists(),
    reason="configurable-http-proxy needs Node.js",
)


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    state = tmp_path_factory.mktemp("hub")
    port, token = free_port(), uuid.uuid4().hex
    log = open(state / "hub.log", "w")
    proc = subprocess.Popen(
        hub_command(),
        env=hub_environment(port, PASSWORD, state, api_token=token),
        cwd=state,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 40
        while True:
            try:
                if requests.get(f"{url}/hub/api/", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the hub did not start:\n" + (state / "hub.log").read_text()[-3000:])
            time.sleep(0.3)
        yield {"url": url, "token": token, "state": state, "proc": proc}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the hub stops the users' servers (cleanup_servers)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def login(url: str, name: str, password: str) -> requests.Session:
    s = requests.Session()
    s.get(f"{url}/hub/login", timeout=10)
    r = s.post(
        f"{url}/hub/login",
        data={"username": name, "password": password, "_xsrf": s.cookies.get("_xsrf")},
        allow_redirects=False,
        timeout=20,
    )
    s.login_status = r.status_code
    return s


def api(session: requests.Session, method: str, url: str, **kw) -> requests.Response:
    """A hub API call with the login cookie (the hub asks for its XSRF token on those)."""
    return session.request(method, url, headers={"X-XSRFToken": session.cookies.get("_xsrf", "")}, timeout=30, **kw)


def run_lesson(base: str, token: str, path: str) -> dict:
    """Execute every code cell of a notebook in a new kernel of a user's server, over the Jupyter
    server's REST API and kernel websocket. Returns {cell index: (status, text output)}."""
    auth = {"Authorization": f"token {token}"}
    nb = nbformat.from_dict(requests.get(f"{base}/api/contents/{path}", headers=auth, timeout=30).json()["content"])
    kernel = requests.post(
        f"{base}/api/kernels", json={"name": "python3", "path": path}, headers=auth, timeout=60
    ).json()
    ws = websocket.create_connection(
        base.replace("http", "ws", 1) + f"/api/kernels/{kernel['id']}/channels",
        header=[f"Authorization: token {token}"],
        timeout=120,
    )
    results = {}
    try:
        session = uuid.uuid4().hex
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            msg_id = uuid.uuid4().hex
            ws.send(
                json.dumps(
                    {
                        "header": {
                            "msg_id": msg_id,
                            "msg_type": "execute_request",
                            "session": session,
                            "username": "test",
                            "version": "5.3",
                            "date": "",
                        },
                        "parent_header": {},
                        "metadata": {},
                        "channel": "shell",
                        "buffers": [],
                        "content": {
                            "code": cell.source,
                            "silent": False,
                            "store_history": True,
                            "user_expressions": {},
                            "allow_stdin": False,
                            "stop_on_error": True,
                        },
                    }
                )
            )
            text, status, idle = [], None, False
            while status is None or not idle:
                msg = json.loads(ws.recv())
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind, content = msg["header"]["msg_type"], msg["content"]
                if kind == "execute_reply":
                    status = content["status"]
                    if status == "error":
                        text.append(f"{content['ename']}: {content['evalue']}")
                elif kind == "stream":
                    text.append(content["text"])
                elif kind in ("execute_result", "display_data"):
                    text.append(content["data"].get("text/plain", ""))
                elif kind == "status" and content["execution_state"] == "idle":
                    idle = True
            results[i] = (status, "".join(text))
    finally:
        ws.close()
        requests.delete(f"{base}/api/kernels/{kernel['id']}", headers=auth, timeout=30)
    return results


def test_wrong_password_is_refused(hub):
    s = login(hub["url"], "mallory", "not-the-password")
    assert s.login_status == 403
    assert "jupyterhub-hub-login" not in s.cookies


def test_two_people_each_run_a_lesson_in_their_own_server(hub):
    url, started = hub["url"], time.monotonic()
    sessions, tokens = {}, {}
    for name in USERS:
        s = login(url, name, PASSWORD)
        assert s.login_status == 302, f"{name} could not log in with the workshop password"
        assert api(s, "GET", f"{url}/hub/api/user").json()["name"] == name
        r = api(s, "POST", f"{url}/hub/api/users/{name}/server")
        assert r.status_code in (201, 202), r.text
        sessions[name] = s
    for name, s in sessions.items():
        deadline = time.monotonic() + 60
        while not api(s, "GET", f"{url}/hub/api/users/{name}").json()["servers"].get("", {}).get("ready"):
            assert time.monotonic() < deadline, (hub["state"] / "hub.log").read_text()[-3000:]
            time.sleep(0.5)
        tokens[name] = api(
            s, "POST", f"{url}/hub/api/users/{name}/tokens", json={"note": "test", "expires_in": 600}
        ).json()["token"]

    # each server starts in the user's own copy of the lessons, without solutions
    for name in USERS:
        listing = requests.get(
            f"{url}/user/{name}/api/contents/", headers={"Authorization": f"token {tokens[name]}"}, timeout=30
        ).json()
        names = {item["name"] for item in listing["content"]}
        assert {p.name for p in (REPO / "notebooks").glob("[0-9][0-9]-*.ipynb")} <= names
        assert (hub["state"] / "users" / name / "course" / LESSON).exists()
    # their JupyterLab does not ask whether to fetch news from the internet (alignkit.labsetup, called
    # by the hub's configuration): the announcements plugin is in the page's disabled extensions
    page = requests.get(
        f"{url}/user/{USERS[0]}/lab", headers={"Authorization": f"token {tokens[USERS[0]]}"}, timeout=30
    ).text
    config = json.loads(re.search(r'<script id="jupyter-config-data"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert ANNOUNCEMENTS in config["disabledExtensions"], config["disabledExtensions"]
    # and one person cannot reach another's server
    r = requests.get(
        f"{url}/user/{USERS[1]}/api/contents/",
        headers={"Authorization": f"token {tokens[USERS[0]]}"},
        timeout=30,
        allow_redirects=False,
    )
    assert r.status_code in (403, 404), r.status_code

    results = {}
    threads = [
        threading.Thread(target=lambda n=n: results.__setitem__(n, run_lesson(f"{url}/user/{n}", tokens[n], LESSON)))
        for n in USERS
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for name in USERS:
        assert name in results, f"the lesson did not finish in {name}'s server"
        failed = {i: out for i, (status, out) in results[name].items() if status != "ok"}
        assert not failed, f"cells failed in {name}'s server: {failed}"
        outputs = "".join(out for _, out in results[name].values())
        assert "leads" in outputs.lower() and "rows" in outputs.lower()  # the set-up check printed the tables
        assert "No answer yet" in outputs  # the exercise's checker ran
    assert time.monotonic() - started < 90


def test_a_person_can_stop_their_own_server(hub):
    s = login(hub["url"], USERS[0], PASSWORD)
    r = api(s, "DELETE", f"{hub['url']}/hub/api/users/{USERS[0]}/server")
    assert r.status_code in (202, 204)
    deadline = time.monotonic() + 30
    while api(s, "GET", f"{hub['url']}/hub/api/users/{USERS[0]}").json()["servers"]:
        assert time.monotonic() < deadline
        time.sleep(0.5)
