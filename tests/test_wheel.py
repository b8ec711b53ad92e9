"""A wheel built from the project works without this checkout's editable install: it carries its data
files (the site's static files, the CRM presets, the scorecard's JSON schema, the example answers),
its `alignkit` command runs, and a lesson's data loads through the configured root (alignkit.paths).

The wheel is built offline with the pinned setuptools (``--no-build-isolation``) from a copy of the
sources, and installed into a new environment that sees this project's dependencies through a ``.pth``
line (not a site folder, so the editable install's hook there is not loaded)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data" / "crm-samples" / "hubspot"


def run(*cmd, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=300, **kw)


@pytest.fixture(scope="module")
def wheel_env(tmp_path_factory):
    """(the wheel, the python of a new environment where it is installed)."""
    tmp = tmp_path_factory.mktemp("wheel")
    project = tmp / "project"
    project.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, project / name)
    shutil.copytree(REPO / "src", project / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    built = run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "-q",
        "-w",
        tmp / "dist",
        project,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = (tmp / "dist").glob("alignkit-*.whl")

    env_dir = tmp / "venv"
    made = run(sys.executable, "-m", "venv", "--without-pip", env_dir)
    assert made.returncode == 0, made.stderr
    python = env_dir / "bin" / "python"
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    (site / "course-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    installed = run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "-q", wheel)
    assert installed.returncode == 0, installed.stderr[-3000:]
    return wheel, python


def test_the_wheel_carries_the_package_data(wheel_env):
    wheel, _ = wheel_env
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "alignkit/build/site_static/alignkit.css",
        "alignkit/build/site_static/templates/layout.html",
        "alignkit/teamtools/crm/presets/hubspot.toml",
        "alignkit/teamtools/crm/scorecard.schema.json",
        "alignkit/teamtools/playbook_example.toml",
        "alignkit/lessons/m03_one_journey.py",
    ):
        assert needed in names, needed


def test_the_command_runs_from_the_wheel(wheel_env, tmp_path):
    _, python = wheel_env
    where = run(python, "-c", "import alignkit; print(alignkit.__file__)", cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(python.parents[1]), "alignkit must come from the wheel"
    helped = run(python.parent / "alignkit", "scorecard", "--help", cwd=tmp_path)
    assert helped.returncode == 0, helped.stderr
    assert "--preset" in helped.stdout
    # the presets and the JSON schema are read from the installed package
    scored = run(
        python.parent / "alignkit",
        "scorecard",
        "--leads",
        SAMPLES / "contacts.csv",
        "--deals",
        SAMPLES / "deals.csv",
        "--preset",
        "hubspot",
        "--format",
        "json",
        cwd=tmp_path,
    )
    assert scored.returncode == 0, scored.stderr
    assert json.loads(scored.stdout)["schema"] == "alignkit.scorecard/1"


LOAD = (
    "from alignkit.casedata.dataset import load_company; from alignkit import paths; "
    "d = load_company('brightline'); print(paths.root(), len(d.leads))"
)


def test_a_lesson_loads_its_data_through_the_configured_root(wheel_env, tmp_path):
    _, python = wheel_env
    expected = len((REPO / "data" / "brightline" / "leads.csv").read_text(encoding="utf-8").splitlines()) - 1
    env = {"ALIGNKIT_ROOT": str(REPO), "PATH": "/usr/bin:/bin"}
    loaded = run(python, "-c", LOAD, cwd=tmp_path, env=env)
    assert loaded.returncode == 0, loaded.stderr[-3000:]
    assert loaded.stdout.split() == [str(REPO), str(expected)]
    # without ALIGNKIT_ROOT, from a lesson's folder: the nearest folder above with data/
    found = run(python, "-c", LOAD, cwd=REPO / "notebooks", env={"PATH": "/usr/bin:/bin"})
    assert found.returncode == 0, found.stderr[-3000:]
    assert found.stdout.split() == [str(REPO), str(expected)]
