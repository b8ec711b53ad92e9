"""JupyterHub for a room on one machine (``python -m alignkit.build.workshop hub``): starts it on
127.0.0.1 with ``workshop/jupyterhub/jupyterhub_config.py``, for a trial run or a small room.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path

from .. import paths

HUB_CONFIG = paths.workshop_dir() / "jupyterhub" / "jupyterhub_config.py"


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def hub_environment(
    port: int, password: str, state: Path, course: Path | None = None, api_token: str | None = None
) -> dict[str, str]:
    """The environment ``jupyterhub_config.py`` reads: ports, password, where state and homes go."""
    env = dict(os.environ)
    bins = [str(Path(sys.executable).parent), str(paths.root() / "node_modules" / ".bin")]
    env["PATH"] = os.pathsep.join([*bins, env.get("PATH", "")])
    env.update(
        {
            "WORKSHOP_HUB_PORT": str(port),
            "WORKSHOP_HUB_API_PORT": str(free_port()),
            "WORKSHOP_PROXY_API_PORT": str(free_port()),
            "WORKSHOP_PASSWORD": password,
            "WORKSHOP_HUB_DIR": str(state),
            "WORKSHOP_COURSE_DIR": str(course if course is not None else paths.notebooks_dir()),
            "JUPYTER_PLATFORM_DIRS": "1",
        }
    )
    if api_token:
        env["WORKSHOP_API_TOKEN"] = api_token
    return env


def hub_command() -> list[str]:
    """The command that starts JupyterHub with the workshop's configuration."""
    return [str(Path(sys.executable).parent / "jupyterhub"), "-f", str(HUB_CONFIG)]


def run_hub(port: int, password: str | None, state: Path) -> int:
    """Start JupyterHub for a room on 127.0.0.1 and wait until it stops (Ctrl+C)."""
    password = password or os.environ.get("WORKSHOP_PASSWORD") or f"brightline-{secrets.token_hex(3)}"
    state.mkdir(parents=True, exist_ok=True)
    print(
        f"JupyterHub for the workshop: http://127.0.0.1:{port}/\n"
        f"  log in with any user name and the password: {password}\n"
        f"  each person's copy of the lessons goes to {state / 'users'}/<name>/course\n"
        f"  stop it with Ctrl+C (it stops everyone's server too)",
        flush=True,
    )
    try:
        return subprocess.call(hub_command(), env=hub_environment(port, password, state), cwd=state)
    except KeyboardInterrupt:
        return 0
