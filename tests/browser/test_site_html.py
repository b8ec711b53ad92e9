"""The built site's HTML as alignkit.build.site leaves it (read with an HTML parser, no browser needed):
scripts deferred, the exercise script only where there is an exercise, no thebe, every saved widget
with its notice, a "done" button on each lesson and a drawn icon for every icon class."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from alignkit.build.site import icons_used

from .conftest import SITE, site_pages

PAGES = site_pages()


def parsed(path: str) -> BeautifulSoup:
    return BeautifulSoup((SITE / path).read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("path", PAGES)
def test_page_scripts_and_body(path):
    soup = parsed(path)
    scripts = soup.find_all("script", src=True)
    if path != "search.html":  # the search page's inline script calls doctools.js at once
        blocking = [
            s["src"]
            for s in scripts
            if not s.has_attr("defer")
            and not s.has_attr("async")
            and s.get("type", "text/javascript") == "text/javascript"
        ]
        assert blocking == [], f"{path}: scripts block the first paint: {blocking}"
        # an inline script using what a deferred script defines runs after it (a module script)
        early = [
            s.get_text()
            for s in soup.find_all("script", src=False)
            if "DOCUMENTATION_OPTIONS." in s.get_text() and s.get("type") != "module"
        ]
        assert early == [], f"{path}: inline scripts run before documentation_options.js: {early}"
    assert not [s for s in scripts if "thebe" in s["src"]] and not soup.find("script", type="text/x-thebe-config")
    forms = soup.select("form.alignkit-exercise")
    stem = str(Path(path).with_suffix(""))
    assert [f.get("data-lesson") for f in forms] == [stem] * len(forms)
    exercise_js = [s for s in scripts if "alignkit-exercises.js" in s["src"]]
    assert len(exercise_js) == (1 if forms else 0), f"{path}: the exercise script only where there is an exercise"
    if path.startswith("notebooks/"):
        views = soup.find_all("script", type="application/vnd.jupyter.widget-view+json")
        if views:  # the saved widget state is on the page, pruned to what its views use (alignkit.build.labsite)
            states = soup.find_all("script", type="application/vnd.jupyter.widget-state+json")
            assert len(states) == 1, f"{path}: {len(states)} widget states for {len(views)} widget views"
            models = json.loads(states[0].get_text())["state"]
            assert {json.loads(v.get_text())["model_id"] for v in views} <= set(models)
            assert "anywidget" not in {m.get("model_module") for m in models.values()}
        boxes = soup.select("div.alignkit-saved-widget")
        assert len(boxes) == len(views)
        assert all(b.find("script", type=v["type"]) for b, v in zip(boxes, views, strict=True))
        done = soup.select("button.alignkit-done")
        assert [b["data-lesson"] for b in done] == [stem]
        assert done[0].get_text() == f"Mark “{soup.title.get_text().split(' — ')[0]}” as done"
        ids = [f.get("id") for f in soup.select("figure.alignkit-chart")]
        assert ids == [f"alignkit-chart-{i}" for i in range(1, len(ids) + 1)]
        for a in soup.select("p.alignkit-saved-notice a[href^='#']"):
            assert soup.find(id=a["href"][1:]) is not None, f"{path}: {a['href']} points nowhere"


def test_every_icon_a_page_uses_is_drawn():
    css = (SITE / "_static" / "alignkit-icons.css").read_text(encoding="utf-8")
    used = set().union(*(icons_used((SITE / p).read_text(encoding="utf-8")) for p in PAGES))
    assert ("solid", "magnifying-glass") in used  # the search button of every page
    for style, name in used:
        assert f".fa-{name}{{--ak-i:url(" in css, f"no icon drawn for {style} {name}"
