"""One configured root (alignkit.paths): the course's folders are found through it, never relative to a
module's own file, so an installed wheel works as well as the editable checkout."""

from __future__ import annotations

import re
from pathlib import Path

import alignkit
from alignkit import paths

REPO = Path(__file__).resolve().parents[1]
PACKAGE = Path(alignkit.__file__).resolve().parent


def test_the_environment_variable_names_the_root(monkeypatch, tmp_path):
    monkeypatch.setenv(paths.ROOT_ENV, str(tmp_path))
    assert paths.root() == tmp_path.resolve()
    assert paths.data_dir() == tmp_path.resolve() / "data"
    assert paths.notebooks_dir() == tmp_path.resolve() / "notebooks"


def test_the_default_root_is_this_checkout(monkeypatch):
    monkeypatch.delenv(paths.ROOT_ENV, raising=False)
    assert paths.root() == REPO


def test_outside_a_checkout_the_nearest_folder_with_data_is_the_root(monkeypatch, tmp_path):
    monkeypatch.delenv(paths.ROOT_ENV, raising=False)
    monkeypatch.setattr(paths, "_checkout", lambda: None)  # as from an installed wheel
    course = tmp_path / "course"
    (course / "data").mkdir(parents=True)
    (course / "notebooks").mkdir()
    monkeypatch.chdir(course / "notebooks")
    assert paths.root() == course.resolve()
    bare = tmp_path / "elsewhere"
    bare.mkdir()
    monkeypatch.chdir(bare)
    assert paths.root() == bare  # no data folder here or above: the current folder


def test_package_files_come_from_the_package():
    assert paths.package_path("alignkit.build", "site_static").is_dir()
    assert (paths.package_path("alignkit.teamtools.crm", "presets") / "hubspot.toml").is_file()


def test_no_module_finds_files_relative_to_its_own_location():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "paths.py" and path.parent == PACKAGE:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"Path\(__file__\)|\.parents\[\d\]|os\.path\.dirname\(__file__\)", line):
                offenders.append(f"{path.relative_to(PACKAGE)}:{n}: {line.strip()}")
    assert not offenders, "find the course's folders through alignkit.paths:\n" + "\n".join(offenders)
