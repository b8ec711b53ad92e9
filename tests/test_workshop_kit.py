"""The workshop kit: agendas that add up, a guide entry for every activity, and the participants'
bundle with its preflight check (src/alignkit/build/agendas.py, activities.py, kit.py; workshop/preflight.py)."""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from alignkit.build import activities, agendas, editions, labsetup
from alignkit.build.kit import KIT_NAME, build_kit
from alignkit.ui.course import MODULES

REPO = Path(__file__).resolve().parents[1]
ACTIVITIES_PAGE = REPO / "book" / "facilitator" / "activities.md"
LESSONS = sorted(REPO.glob("notebooks/[0-9][0-9]-*.ipynb"))
WITH_ACTIVITY = [m.number for m in MODULES if activities.lesson_activity(m.number) is not None]


# --- agendas ----------------------------------------------------------------------------------


@pytest.mark.parametrize("key", agendas.AGENDAS)
def test_agenda_adds_up_to_its_length(key):
    agenda = agendas.AGENDAS[key]
    assert sum(slot.minutes for slot in agenda.slots) == agenda.minutes
    rows = agenda.rows()
    assert rows[0][0] == agenda.start and rows[-1][1] == agenda.end
    assert all(a[1] == b[0] for a, b in itertools.pairwise(rows)), "slots must follow each other"
    assert all(slot.minutes > 0 and slot.kind in agendas.KINDS for slot in agenda.slots)
    text = agendas.agenda_markdown(key)
    assert f"**Total: {agenda.minutes} minutes**" in text and agenda.end in text


def test_agenda_lengths_are_the_three_formats():
    assert {a.minutes for a in agendas.AGENDAS.values()} == {90, 240, 450}


@pytest.mark.parametrize("key", agendas.AGENDAS)
def test_activity_slots_take_the_minutes_their_lesson_says(key):
    for slot in agendas.AGENDAS[key].slots:
        if slot.kind != "activity":
            continue
        found = activities.lesson_activity(slot.lesson)
        assert found is not None, f"{key}: lesson {slot.lesson} has no workshop activity"
        title, minutes, _ = found
        assert slot.minutes == minutes, f"{key}: '{title}' takes {minutes} minutes in lesson {slot.lesson}"
        assert title.lower() in slot.what.lower()


@pytest.mark.parametrize("number", WITH_ACTIVITY)
def test_guide_covers_every_lesson_activity(number):
    page = ACTIVITIES_PAGE.read_text()
    section = re.search(rf"^## Lesson {number} · .*?(?=^## |\Z)", page, re.MULTILINE | re.DOTALL)
    assert section, f"book/facilitator/activities.md has no section for lesson {number}'s activity"
    text = section.group(0)
    assert "**Goal:**" in text and f"```{{activity}} {number}\n```" in text
    rendered = activities.activity_markdown(number, facilitator=True)
    for part in ("Group size", "Materials"):
        assert part in rendered or f"**{part}:**" in text, f"lesson {number}: no {part.lower()}"
    assert "Debrief" in rendered or "**Debrief questions:**" in text
    assert re.search(r"\(\d+ min\)", rendered), f"lesson {number}: steps without timings"
    good = activities.GOOD_ANSWERS.search(rendered)
    assert good or "What good answers look like" in text, f"lesson {number}: no good answers for facilitators"


def test_what_good_looks_like_is_only_for_facilitators():
    assert "What good looks like" in activities.activity_markdown(3, facilitator=True)
    assert "What good looks like" not in activities.activity_markdown(3, facilitator=False)


# --- the kit ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    out = tmp_path_factory.mktemp("kit")
    path = build_kit(out / "workshop-kit.zip")
    with zipfile.ZipFile(path) as z:
        z.extractall(out)
    return path, out / KIT_NAME


def preflight(root: Path, *args: str) -> subprocess.CompletedProcess:
    # PYTHONPATH stands in for `pip install --no-deps -e .` in the kit's folder
    env = {**os.environ, "PYTHONPATH": str(root / "src"), "JUPYTER_PLATFORM_DIRS": "1"}
    return subprocess.run(
        [sys.executable, str(root / "preflight.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        cwd=root,
    )


def test_kit_holds_what_a_participant_needs(kit):
    path, root = kit
    names = set(zipfile.ZipFile(path).namelist())
    prefix = KIT_NAME + "/"
    for needed in (
        "preflight.py",
        "requirements.txt",
        "pyproject.toml",
        "README.md",
        "kit-manifest.json",
        "src/alignkit/__init__.py",
        "src/alignkit/casedata/dataset.py",
        "data/README.md",
    ):
        assert prefix + needed in names
    assert {prefix + f"notebooks/{p.name}" for p in LESSONS} <= names
    assert {prefix + p.relative_to(REPO).as_posix() for p in REPO.glob("data/*/*.csv")} <= names
    assert not any("__pycache__" in n or "workshop/solutions" in n for n in names)
    assert (root / "requirements.txt").read_bytes() == (REPO / "requirements.txt").read_bytes()


def test_kit_is_the_same_when_built_twice(tmp_path):
    first = build_kit(tmp_path / "first.zip").read_bytes()
    assert build_kit(tmp_path / "again.zip").read_bytes() == first


def test_kit_notebooks_are_the_learner_edition(kit):
    _, root = kit
    for nb in sorted((root / "notebooks").glob("*.ipynb")):
        data = json.loads(nb.read_text())
        assert not any(editions.cell_tags(c) & editions.HIDDEN_TAGS for c in data["cells"]), nb.name
        text = nb.read_text()
        assert editions.SOLUTION_HEADER not in text and editions.NOTE_TITLE not in text
    # and the solutions, present in the repository, did not get in: every line of a solution that the
    # lesson itself does not have (an import it shares is no leak) is absent from every kit notebook
    kit_text = "\n".join(p.read_text() for p in (root / "notebooks").glob("*.ipynb"))
    lessons = "\n".join(p.read_text() for p in (REPO / "notebooks").glob("*.ipynb"))
    for extras in (REPO / "workshop" / "solutions").glob("*.yml"):
        for entry in editions.load_extras(extras.stem + ".ipynb"):
            if entry.get("solution"):
                own = [
                    line.strip()
                    for line in entry["solution"].splitlines()
                    if line.strip() and json.dumps(line.strip())[1:-1] not in lessons
                ]
                assert own, f"a solution in {extras.name} only repeats lines of the lessons"
                leaked = [line for line in own if json.dumps(line)[1:-1] in kit_text]
                assert not leaked, f"{extras.name}: solution lines in the kit: {leaked}"


def test_preflight_passes_in_a_complete_kit(kit):
    run = preflight(kit[1])
    assert run.returncode == 0, run.stdout + run.stderr
    assert "All set" in run.stdout
    assert "a notebook kernel starts" in run.stdout and "brightline:" in run.stdout
    assert "[ok]  JupyterLab starts without asking to fetch news, and draws each lesson whole" in run.stdout
    assert labsetup.news_prompt_off() and labsetup.lessons_drawn_whole()  # in the environment preflight ran with


def test_preflight_names_a_missing_data_file_and_the_fix(kit, tmp_path):
    import shutil

    root = tmp_path / "kit"
    shutil.copytree(kit[1], root)
    (root / "data" / "brightline" / "leads.csv").unlink()
    with open(root / "data" / "northfield" / "people.csv", "a") as f:
        f.write("garbage\n")
    run = preflight(root, "--no-kernel")
    assert run.returncode == 1
    assert "[FIX] data/brightline/leads.csv is missing." in run.stdout
    assert "Fix: unzip the workshop kit again" in run.stdout
    assert "[FIX] data/northfield/people.csv is not the file the kit came with" in run.stdout
    assert "2 things to fix" in run.stdout


def test_preflight_says_when_the_package_is_not_installed_from_the_kit(kit):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = subprocess.run(
        [sys.executable, str(kit[1] / "preflight.py"), "--no-kernel"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1
    assert "not from this kit" in run.stdout and "pip install --no-deps -e ." in run.stdout


def test_preflight_names_packages_at_the_wrong_version(kit, tmp_path):
    import shutil

    root = tmp_path / "kit"
    shutil.copytree(kit[1], root)
    req = root / "requirements.txt"
    req.write_text(req.read_text().replace("pandas==", "pandas==0.0.1.post") + "no-such-package-xyz==1.0\n")
    run = preflight(root, "--no-kernel")
    assert run.returncode == 1
    assert "1 missing: no-such-package-xyz" in run.stdout
    assert "pandas (need 0.0.1.post" in run.stdout
    assert "pip install -r requirements.txt" in run.stdout


# --- JupyterLab's "fetch news?" prompt (alignkit.build.labsetup): make lab, the hub, the kit ------------


def test_news_prompt_is_turned_off_as_jupyterlab_reads_it(tmp_path, monkeypatch):
    """The announcements plugin is disabled where `jupyter labextension disable --level=sys_prefix`
    writes, read back by JupyterLab's own page-config reader; other settings are kept; twice = once."""
    import jupyter_core.paths
    from jupyterlab_server.config import get_static_page_config

    monkeypatch.setattr(jupyter_core.paths, "ENV_CONFIG_PATH", [str(tmp_path / "etc" / "jupyter")])
    path = labsetup.page_config_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"disabledExtensions": {"some-extension": True}, "lockedExtensions": {"x": True}}))
    assert not labsetup.news_prompt_off(tmp_path)
    assert "some-extension" in get_static_page_config(level="sys_prefix")["disabledExtensions"]
    assert labsetup.ANNOUNCEMENTS not in get_static_page_config(level="sys_prefix")["disabledExtensions"]

    assert labsetup.turn_off_news_prompt(tmp_path) is True
    seen = get_static_page_config(level="sys_prefix")
    assert seen["disabledExtensions"] == {"some-extension": True, labsetup.ANNOUNCEMENTS: True}
    assert seen["lockedExtensions"] == {"x": True}
    before = path.read_bytes()
    assert labsetup.turn_off_news_prompt(tmp_path) is False and path.read_bytes() == before
    assert labsetup.news_prompt_off(tmp_path)


def test_news_prompt_in_a_fresh_environment_and_a_broken_config_is_named(tmp_path):
    assert labsetup.turn_off_news_prompt(tmp_path / "fresh") is True
    assert json.loads(labsetup.page_config_path(tmp_path / "fresh").read_text()) == {
        "disabledExtensions": {labsetup.ANNOUNCEMENTS: True}
    }
    broken = labsetup.page_config_path(tmp_path / "broken")
    broken.parent.mkdir(parents=True)
    broken.write_text("{not json")
    with pytest.raises(ValueError, match=r"page_config\.json is not valid JSON.*fix or delete it"):
        labsetup.turn_off_news_prompt(tmp_path / "broken")


def test_lessons_are_drawn_whole_by_default_as_jupyterlab_reads_it(tmp_path):
    """The notebook's windowing default is written where JupyterLab reads its settings defaults
    (read back by jupyterlab_server's own reader); other defaults are kept; twice = once; a broken file
    is named."""
    from jupyterlab_server.settings_utils import _get_overrides

    path = labsetup.overrides_path(tmp_path)
    path.parent.mkdir(parents=True)
    other = {"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"}}
    path.write_text(json.dumps({**other, labsetup.NOTEBOOK: {"autoStartDefaultKernel": True}}))
    assert not labsetup.lessons_drawn_whole(tmp_path)
    assert labsetup.set_up(tmp_path) is True
    overrides, error = _get_overrides(str(path.parent))
    assert error == ""
    assert overrides[labsetup.NOTEBOOK] == {"autoStartDefaultKernel": True, "windowingMode": "none"}
    assert overrides["@jupyterlab/apputils-extension:themes"] == other["@jupyterlab/apputils-extension:themes"]
    before = path.read_bytes()
    assert labsetup.set_up(tmp_path) is False and path.read_bytes() == before
    path.write_text("[1, 2")
    with pytest.raises(ValueError, match=r"overrides\.json is not valid JSON.*fix or delete it"):
        labsetup.draw_lessons_whole(tmp_path)


def test_make_lab_and_the_hub_turn_the_news_prompt_off():
    """`make lab` runs alignkit.build.labsetup before it starts JupyterLab; the hub's configuration, which
    every user's JupyterLab comes from, calls it (tests/test_hub.py checks a user's page)."""
    run = subprocess.run(["make", "-n", "lab"], cwd=REPO, capture_output=True, text=True, timeout=60)
    lines = run.stdout.splitlines()
    quiet = next(i for i, line in enumerate(lines) if "-m alignkit.build.labsetup" in line)
    start = next(i for i, line in enumerate(lines) if line.startswith("jupyter lab"))
    assert quiet < start
    hub_config = (REPO / "workshop" / "jupyterhub" / "jupyterhub_config.py").read_text()
    assert re.search(r"^set_up\(\)$", hub_config, re.M)
