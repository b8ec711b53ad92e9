# JupyterHub for a workshop room on one machine: `python -m alignkit.build.workshop hub` (make hub).
#
# Everyone logs in with any user name and the one workshop password; each person gets their own
# JupyterLab, started in their own copy of the lessons. Users are not system accounts
# (SimpleLocalProcessSpawner), so it runs without root and without creating accounts, and it gives
# NO isolation between users: use it for a trial or a room you trust, on 127.0.0.1 or a closed room
# network, and for one session. For more, see book/facilitator/running-a-room.md.
#
# Read from the environment (python -m alignkit.build.workshop hub sets them):
#   WORKSHOP_PASSWORD       the shared password, 8 characters or more (required)
#   WORKSHOP_HUB_PORT       the port people open (default 8000)
#   WORKSHOP_HUB_IP         the address to listen on (default 127.0.0.1; a room needs the laptop's
#                           address on the room network, e.g. 0.0.0.0, and a firewall you control)
#   WORKSHOP_HUB_DIR        where the hub keeps its database, secrets and users' homes (default ./hub-state)
#   WORKSHOP_COURSE_DIR     the lessons to copy for each user (default: the repository's notebooks/)
#   WORKSHOP_HUB_API_PORT, WORKSHOP_PROXY_API_PORT   internal ports (default 8081 and port + 1)
#   WORKSHOP_API_TOKEN      optional: a token for the "workshop-admin" service, which can list
#                           users and start or stop their servers (for scripts and tests)
import json
import os
import shutil
import sys
from pathlib import Path

c = get_config()  # noqa: F821  (defined by JupyterHub when it loads this file)

REPO = Path(__file__).resolve().parents[2]
STATE = Path(os.environ.get("WORKSHOP_HUB_DIR", "hub-state")).resolve()
COURSE = Path(os.environ.get("WORKSHOP_COURSE_DIR", REPO / "notebooks")).resolve()
PORT = int(os.environ.get("WORKSHOP_HUB_PORT", "8000"))
PASSWORD = os.environ.get("WORKSHOP_PASSWORD", "")
if len(PASSWORD) < 8:
    sys.exit("Set WORKSHOP_PASSWORD to the workshop password (8 characters or more), "
             "or start the hub with: python -m alignkit.build.workshop hub")
STATE.mkdir(parents=True, exist_ok=True)

# Where people connect, and the hub's own internal ports
c.JupyterHub.ip = os.environ.get("WORKSHOP_HUB_IP", "127.0.0.1")
c.JupyterHub.port = PORT
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("WORKSHOP_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('WORKSHOP_PROXY_API_PORT', PORT + 1)}"
proxy = REPO / "node_modules" / ".bin" / "configurable-http-proxy"
if proxy.exists():  # the copy from npm (package.json); otherwise the one on PATH
    c.ConfigurableHTTPProxy.command = [str(proxy)]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops everyone's server

# One shared password, any user name. (DummyAuthenticator's password is deprecated since
# JupyterHub 5.3; SharedPasswordAuthenticator is its replacement.)
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = PASSWORD
c.Authenticator.allow_all = True

# Each user: a JupyterLab from this Python environment, in their own folder, no system account
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "users" / "{username}")
c.Spawner.cmd = [str(Path(sys.executable).parent / "jupyterhub-singleuser")]
c.Spawner.notebook_dir = str(STATE / "users" / "{username}" / "course")
c.Spawner.default_url = "/lab/tree/00-start-here.ipynb"
c.Spawner.env_keep = ["PATH", "PYTHONPATH", "VIRTUAL_ENV", "LANG", "LC_ALL", "JUPYTER_PLATFORM_DIRS"]
c.Spawner.environment = {"JUPYTER_PLATFORM_DIRS": "1"}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90
if os.geteuid() == 0:  # Jupyter Server refuses to run as root unless told to
    c.Spawner.args = ["--ServerApp.allow_root=True"]

# Their JupyterLab does not ask, at its first start, whether to fetch news from the internet (the
# announcements plugin is off in this environment's page config) and draws each lesson whole when it
# opens (alignkit.build.labsetup)
from alignkit.build.labsetup import set_up  # noqa: E402

set_up()


def copy_course(spawner):
    """Give a user their own copy of the lessons (learner edition) the first time they start."""
    target = Path(spawner.home_dir) / "course"
    if target.exists():
        return  # keep their work when they log in again
    target.mkdir(parents=True)
    for nb in sorted(COURSE.glob("[0-9][0-9]-*.ipynb")):
        data = json.loads(nb.read_text(encoding="utf-8"))
        data["cells"] = [cell for cell in data["cells"]
                         if not {"solution", "facilitator"} & set(cell.get("metadata", {}).get("tags", []))]
        (target / nb.name).write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    readme = COURSE.parent / "data" / "README.md"
    if readme.exists():
        shutil.copy(readme, target / "data-dictionary.md")


c.Spawner.pre_spawn_hook = copy_course

# Optional: a service token for scripts (start every server before the session; tests)
if os.environ.get("WORKSHOP_API_TOKEN"):
    c.JupyterHub.services = [{"name": "workshop-admin", "api_token": os.environ["WORKSHOP_API_TOKEN"]}]
    c.JupyterHub.load_roles = [{
        "name": "workshop-admin",
        "scopes": ["admin:users", "admin:servers", "access:servers", "tokens"],
        "services": ["workshop-admin"],
    }]
