"""Learner and facilitator editions from one source (src/alignkit/build/editions.py, workshop/solutions/)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
import yaml

from alignkit.build import activities, editions, kit
from alignkit.build.editions import NOTE_TITLE, SOLUTION_HEADER

REPO = Path(__file__).resolve().parents[1]
SOLUTION_FILES = sorted((REPO / "workshop" / "solutions").glob("*.yml"))
LESSONS_WITH_SOLUTIONS = [p.stem for p in SOLUTION_FILES]
# Both editions are built by `make test` before the tests run (at the same time, one per core):
# the learner site in _build/html, the facilitator edition in _build/facilitator/_build/html.
SITES = {"learner": REPO / "_build" / "html", "facilitator": REPO / "_build" / "facilitator" / "_build" / "html"}


def build_site(edition: str) -> Path:
    """The html folder of the built site in one edition (``make test`` builds both first)."""
    html_dir = SITES[edition]
    if not (html_dir / "index.html").exists():
        pytest.fail(f"{html_dir} has no built site: run 'make book EDITION={edition}' first ('make test' does).")
    return html_dir


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _plain(text: str, name: str) -> str:
    """What a reader sees in a file: an HTML page without tags, or a notebook's sources and outputs."""
    if name.endswith((".ipynb", ".ipynb.txt")):
        nb = json.loads(text)
        parts = []
        for cell in nb["cells"]:
            parts.append(editions._source(cell))
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                for value in (
                    out.get("text"),
                    data.get("text/plain"),
                    data.get("text/html"),
                    data.get("text/markdown"),
                ):
                    parts.append("".join(value) if isinstance(value, list) else value or "")
        return _squash(html.unescape(re.sub(r"<[^>]+>", "", "\n".join(parts))))
    if name.endswith(".html"):  # tags go without a space: code is split into many <span>s
        return _squash(html.unescape(re.sub(r"<[^>]+>", "", text)))
    return _squash(text)


def _phrases(stem: str) -> list[tuple[str, str]]:
    """(kind, phrase) for every note and solution of a lesson: a phrase of each that the learner lesson
    does not contain. For a note, its longest run of plain words on one line (no Markdown, quotes or
    dashes, which the site rewrites); for a solution, its longest line of code."""
    learner = _plain((REPO / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"), f"{stem}.ipynb")
    found = []
    for entry in editions.load_extras(f"{stem}.ipynb"):
        for kind in ("facilitator", "solution"):
            if not entry.get(kind):
                continue
            if kind == "facilitator":
                runs = [r.strip() for line in entry[kind].splitlines() for r in re.findall(r"[A-Za-z0-9 ,]+", line)]
            else:
                runs = [line.strip() for line in entry[kind].splitlines()]
            runs = sorted((r for r in runs if _squash(r) not in learner), key=len, reverse=True)
            assert runs and len(runs[0]) >= 25, f"{stem}: no distinctive phrase in the {kind} after {entry['after']!r}"
            found.append((kind, _squash(runs[0])))
    return found


PHRASES = {stem: _phrases(stem) for stem in LESSONS_WITH_SOLUTIONS}


def _nb(*cells):
    return {"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def _cell(kind, source, tags=()):
    cell = {"cell_type": kind, "id": source[:8].replace(" ", "-"), "metadata": {"tags": list(tags)}, "source": source}
    if kind == "code":
        cell |= {"outputs": [], "execution_count": None}
    return cell


# --- the pieces -------------------------------------------------------------------------------


def test_edition_comes_from_the_config_or_the_environment(monkeypatch):
    monkeypatch.delenv(editions.EDITION_ENV, raising=False)
    assert editions.edition_from_env() == "learner"
    monkeypatch.setenv(editions.EDITION_ENV, "Facilitator")
    assert editions.edition_from_env() == "facilitator"
    assert editions.edition_from_env("learner") == "learner"  # the config value wins
    with pytest.raises(ValueError, match="unknown edition"):
        editions.edition_from_env("teacher")


def test_learner_edition_drops_tagged_cells():
    nb = _nb(
        _cell("markdown", "## Exercise"),
        _cell("code", "answer = 42", ["solution"]),
        _cell("markdown", "Psst", ["facilitator"]),
        _cell("code", "check(answer)", ["remove-input"]),
    )
    sources = [c["source"] for c in editions.learner_notebook(nb)["cells"]]
    assert sources == ["## Exercise", "check(answer)"]
    assert len(nb["cells"]) == 4  # the original is untouched


def test_facilitator_edition_puts_note_and_solution_after_the_anchor(tmp_path):
    (tmp_path / "01-x.yml").write_text(
        yaml.safe_dump(
            {
                "notebook": "01-x.ipynb",
                "cells": [
                    {"after": "check(answer)", "facilitator": "Look for X.", "solution": "answer = 42\ncheck(answer)"}
                ],
            }
        )
    )
    nb = _nb(
        _cell("markdown", "## Exercise"), _cell("code", "answer = None\ncheck(answer)"), _cell("markdown", "## Quiz")
    )
    out = json.loads(editions.notebook_for_edition(json.dumps(nb), "01-x.ipynb", "facilitator", tmp_path))
    kinds = [(c["cell_type"], c["metadata"].get("tags")) for c in out["cells"]]
    assert kinds == [
        ("markdown", []),
        ("code", []),
        ("markdown", ["facilitator"]),
        ("code", ["solution"]),
        ("markdown", []),
    ]
    assert NOTE_TITLE in out["cells"][2]["source"] and out["cells"][3]["source"].startswith(SOLUTION_HEADER)
    learner = json.loads(editions.notebook_for_edition(json.dumps(nb), "01-x.ipynb", "learner", tmp_path))
    assert learner["cells"] == nb["cells"]


def test_an_anchor_that_matches_no_cell_or_two_stops_the_build(tmp_path):
    (tmp_path / "01-x.yml").write_text(
        yaml.safe_dump({"notebook": "01-x.ipynb", "cells": [{"after": "check(", "solution": "pass"}]})
    )
    two = _nb(_cell("code", "check(1)"), _cell("code", "check(2)"))
    with pytest.raises(ValueError, match="matches 2 cells"):
        editions.notebook_for_edition(json.dumps(two), "01-x.ipynb", "facilitator", tmp_path)


def test_only_facilitator_blocks_are_stripped_from_markdown_copies():
    page = "# Guide\n\n:::{only} facilitator\nSecret answer.\n:::\n\nText.\n\n```{only} facilitator\nMore.\n```\nEnd.\n"
    out = editions.strip_facilitator_blocks(page)
    assert "Secret" not in out and "More." not in out
    assert "Text." in out and "End." in out and "# Guide" in out


@pytest.mark.parametrize("path", SOLUTION_FILES, ids=lambda p: p.stem)
def test_every_solution_file_fits_its_lesson(path):
    lesson = REPO / "notebooks" / f"{path.stem}.ipynb"
    assert lesson.exists(), f"{path.name} has no lesson {lesson.name}"
    nb = json.loads(lesson.read_text())
    assert not any(editions.cell_tags(c) & editions.HIDDEN_TAGS for c in nb["cells"]), (
        "solutions belong in workshop/solutions/, not in the learner notebook"
    )
    out = editions.facilitator_notebook(nb, editions.load_extras(lesson.name), lesson.name)
    added = [c for c in out["cells"] if editions.cell_tags(c) & editions.HIDDEN_TAGS]
    assert len(added) == sum(
        bool(e.get("solution")) + bool(e.get("facilitator")) for e in editions.load_extras(lesson.name)
    )


@pytest.mark.parametrize("stem", LESSONS_WITH_SOLUTIONS)
def test_the_activity_note_is_in_the_solutions_file_not_the_lesson(stem):
    """A lesson's "What good looks like" paragraph is a facilitator note: never in the learner lesson."""
    number = int(stem[:2])
    found = activities.lesson_activity(number)
    if found is None:
        pytest.skip(f"lesson {number} has no workshop activity")
    assert not activities.GOOD_ANSWERS.search(found[2]), (
        f"move the 'What good looks like' paragraph of {stem} to workshop/solutions/{stem}.yml"
    )
    notes = activities.activity_notes(number)
    good = [n for n in notes if activities.GOOD_ANSWERS.search(n)]
    if good:
        assert activities.GOOD_ANSWERS.search(activities.activity_markdown(number, facilitator=True))
        assert not activities.GOOD_ANSWERS.search(activities.activity_markdown(number, facilitator=False))


@pytest.mark.parametrize("stem", LESSONS_WITH_SOLUTIONS)
def test_solutions_pass_their_checkers(stem):
    """In the facilitator edition of the site (which runs every lesson with its solutions), every
    solution cell shows its checker's verdict, and the verdict is right."""
    page = (build_site("facilitator") / "notebooks" / f"{stem}.html").read_text(encoding="utf-8")
    expected = sum(bool(e.get("solution")) for e in editions.load_extras(f"{stem}.ipynb"))
    # each cell is a <div class="cell tag_solution ..."> up to the next cell or the end of the article
    cells = re.split(r'<div class="cell(?=[ "])', page)[1:]
    solutions = [c for c in cells if re.match(r"[^>]*\btag_solution\b", c)]
    assert len(solutions) == expected, f"{stem}: {len(solutions)} solution cells on the page, {expected} in the YAML"
    for cell in solutions:
        verdicts = re.findall(r'class="alignkit-feedback (\w+)"', cell)  # the checker's Feedback, as HTML
        assert verdicts and set(verdicts) == {"ok"}, (
            f"{stem}: a solution's checker does not say it is right:\n{_plain(cell, '.html')[:1500]}"
        )


# --- the built site ---------------------------------------------------------------------------


def _texts(folder: Path, pattern: str) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text(encoding="utf-8") for p in folder.rglob(pattern)}


def test_learner_site_has_no_solutions_or_facilitator_notes():
    html = build_site("learner")
    pages = {**_texts(html, "*.html"), **_texts(html / "_sources", "*.ipynb*")}
    for name, text in pages.items():
        assert SOLUTION_HEADER not in text and NOTE_TITLE not in text, name
    plain = {name: _plain(text, name) for name, text in pages.items()}
    for stem, phrases in PHRASES.items():
        assert (html / "notebooks" / f"{stem}.html").exists() and (
            html / "_sources/notebooks" / f"{stem}.ipynb"
        ).exists()
        for kind, phrase in phrases:
            leaks = [name for name, text in plain.items() if phrase in text]
            assert not leaks, f"{stem}: {kind} text {phrase!r} is in the learner site: {leaks}"
    for name, text in _texts(html / "_sources", "*.md").items():
        assert not re.search(r"^(:::|```)\{only\} facilitator", text, re.MULTILINE), name
    guide_page = (html / "book/facilitator/activities.html").read_text()
    assert "What good answers look like" not in guide_page and "What good looks like" not in guide_page
    for p in (html / "_sources" / "notebooks").glob("*.ipynb"):
        assert not any(editions.cell_tags(c) & editions.HIDDEN_TAGS for c in json.loads(p.read_text())["cells"])


def test_facilitator_site_has_solutions_run_and_notes():
    html = build_site("facilitator")
    page = (html / "notebooks/03-one-journey-shared-metrics.html").read_text()
    assert page.count(NOTE_TITLE) == 4  # exercises 3.1-3.3, analyst extensions 3.A and 3.B, the activity
    assert "after_referrals" in page and "tag_solution" in page
    assert "Right: the referral inquiry→won rate after the programme" in page  # the solution ran
    source = json.loads((html / "_sources/notebooks/03-one-journey-shared-metrics.ipynb").read_text())
    assert sum("solution" in editions.cell_tags(c) for c in source["cells"]) == 2
    guide_page = (html / "book/facilitator/activities.html").read_text()
    assert "What good answers look like" in guide_page and "What good looks like" in guide_page
    assert re.search(
        r"^:::\{only\} facilitator", (html / "_sources/book/facilitator/activities.md").read_text(), re.MULTILINE
    )
    assert "print" in (html / "_static/alignkit-print.css").read_text()
    # every note and solution of every lesson is on its page, and each activity's "What good looks
    # like" note is in the guide (so the phrases the learner site is checked for are the real ones)
    guide = _plain(guide_page, ".html")
    for stem, phrases in PHRASES.items():
        lesson = _plain((html / "notebooks" / f"{stem}.html").read_text(encoding="utf-8"), ".html")
        for kind, phrase in phrases:
            assert phrase in lesson, f"{stem}: {kind} text {phrase!r} is not on the facilitator page"
        for note in activities.activity_notes(int(stem[:2])):
            for good in activities.GOOD_ANSWERS.finditer(note):
                words = max(re.findall(r"[A-Za-z0-9 ,]+", good.group(0)), key=len).strip()
                assert _squash(words) in guide, f"{stem}: the activity's note is not in the guide"


def test_kit_has_no_solutions_or_facilitator_notes():
    files = kit.kit_files()
    texts = {
        name: _plain(content.decode("utf-8", "replace"), name)
        for name, content in files.items()
        if not name.startswith("data/")
    }
    assert not any(name.startswith("workshop/") for name in files)
    for stem, phrases in PHRASES.items():
        assert f"notebooks/{stem}.ipynb" in files
        for kind, phrase in phrases:
            where = texts if kind == "facilitator" else {n: t for n, t in texts.items() if n.startswith("notebooks/")}
            leaks = [name for name, text in where.items() if phrase in text]
            assert not leaks, f"{stem}: {kind} text {phrase!r} is in the workshop kit: {leaks}"


def test_the_published_site_if_built_has_no_solutions():
    html = REPO / "_build" / "html"
    if not (html / "index.html").exists():
        pytest.skip("the site is not built (make book builds it before make test runs this)")
    for name, text in {**_texts(html, "*.html"), **_texts(html / "_sources", "*.ipynb")}.items():
        assert SOLUTION_HEADER not in text and NOTE_TITLE not in text, name
