"""The package's two shared message-and-file helpers: one atomic write (``outputs.write_atomically``)
and one "did you mean" (``outputs.did_you_mean``), used by the CRM reader, the mapping, the playbook,
the data generator, the workshop kit and the chart bundle cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from alignkit import outputs
from alignkit.teamtools.crm.read import header_hint


def test_write_atomically_writes_text_and_bytes_and_replaces(tmp_path):
    text, data = tmp_path / "a.csv", tmp_path / "b.zip"
    outputs.write_atomically(text, "x,y\nÄ,1\n")
    outputs.write_atomically(data, b"PK\x03\x04\x00")
    assert text.read_bytes() == "x,y\nÄ,1\n".encode()  # UTF-8, LF kept as written
    assert data.read_bytes() == b"PK\x03\x04\x00"
    outputs.write_atomically(text, "new\n")
    assert text.read_text(encoding="utf-8") == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.zip"]  # no temporary file left


def test_write_atomically_keeps_the_old_file_when_the_rename_fails(tmp_path, monkeypatch):
    target = tmp_path / "kit.zip"
    target.write_bytes(b"old")

    def full_disk(src, dst):
        raise OSError(28, "No space left on device", str(dst))

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError):
        outputs.write_atomically(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["kit.zip"]


def test_the_package_has_one_atomic_write_and_one_did_you_mean():
    """Every rename-over-the-target and every difflib suggestion lives in outputs.py."""
    src = Path(outputs.__file__).parent
    found = {}
    for path in src.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for needle in ("os.replace(", "get_close_matches", ".replace(out)", ".replace(path)", "mkstemp("):
            if needle in text:
                found.setdefault(needle, set()).add(path.relative_to(src).as_posix())
    assert {k: v for k, v in found.items() if v != {"outputs.py"}} == {}


@pytest.mark.parametrize(
    "name, choices, known, expected",
    [
        ("Create Dat", ["Email", "Create Date", "Lifecycle Stage"], "The file has", " Did you mean 'Create Date'?"),
        ("HUBSPT", ["hubspot", "salesforce", "pipedrive"], None, " Did you mean 'hubspot'?"),  # case does not matter
        ("zzz", ["what", "why"], "The known keys are", " The known keys are: 'what', 'why'."),
        ("zzz", ["what", "why"], None, ""),
        ("zzz", [], "The file has", ""),
    ],
)
def test_did_you_mean(name, choices, known, expected):
    assert outputs.did_you_mean(name, choices, known=known) == expected


def test_did_you_mean_lists_at_most_twelve_short_names():
    choices = [f"column {i:02d} " + "x" * 80 for i in range(20)]
    hint = outputs.did_you_mean("nothing like it", choices)
    assert hint.count("'column") == 12 and hint.endswith(" ....")
    assert "x" * 61 not in hint  # each name is cut to 60 characters
    assert outputs.did_you_mean("stage", ["stage_a", "stage_b", "stage_c", "stage_d"], n=1).count("'") == 2


def test_a_header_is_never_listed():
    """A header comes from the learner's file: the hint names close columns, or counts them."""
    assert header_hint("Create Dat", ["Create Date", "Email"]) == " Did you mean 'Create Date'?"
    assert header_hint("Owner", ["secret A", "secret B"]) == " None of the 2 column(s) in the header is close."
    assert header_hint("Owner", []) == ""
