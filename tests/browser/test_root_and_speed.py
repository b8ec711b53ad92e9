"""Issue 10, item 5: the start page at the site root without a redirect; render-blocking CSS cut
to what pages need; Lighthouse's score taken as the median of its runs."""

from __future__ import annotations

import re

import pytest

from alignkit.build.site import LATE_CSS, root_page

from .conftest import SITE, site_pages

PAGES = site_pages()


def test_root_page_rewrites_relative_addresses():
    page = (
        '<html data-content_root="../"><head><link href="../_static/a.css"></head><body>'
        '<a href="#main">skip</a><a href="glossary.html#x">g</a><a href="../notebooks/00.html">l</a>'
        '<a href="https://example.org/">e</a><img src="../_static/i.svg"><form action="../search.html">'
    )
    out = root_page(page, "book")
    assert 'data-content_root="./"' in out and 'href="_static/a.css"' in out
    assert 'href="#main"' in out and 'href="book/glossary.html#x"' in out and 'href="notebooks/00.html"' in out
    assert 'href="https://example.org/"' in out and 'src="_static/i.svg"' in out and 'action="search.html"' in out


def test_root_is_the_start_page_not_a_redirect(visit):
    text = (SITE / "index.html").read_text()
    assert 'http-equiv="Refresh"' not in text and "alignkit-progress" in text
    v = visit("")
    assert v.page.url.rstrip("/").count("/") == 2, f"the root redirected to {v.page.url}"
    v.scroll_through()
    assert v.failed == [] and v.errors == [] and v.outside == []
    assert v.page.locator(".alignkit-progress li[data-lesson]").count() >= 2
    v.page.locator(".alignkit-progress li[data-lesson] a").first.click()
    v.page.wait_for_load_state("load")
    assert "/notebooks/00-" in v.page.url


def test_bench_takes_the_median_of_the_lighthouse_runs():
    from alignkit.build.sitecheck import median_run

    runs = [
        {"performance": 0.91, "lcp_ms": 3000},
        {"performance": 0.99, "lcp_ms": 900},
        {"performance": 0.96, "lcp_ms": 1500},
    ]
    m = median_run(runs)
    assert m["performance"] == 0.96 and m["lcp_ms"] == 1500 and m["performance_runs"] == [0.91, 0.99, 0.96]
    assert median_run(runs[:2])["performance"] == 0.91  # even count: the lower middle, never flattering


@pytest.mark.parametrize("path", PAGES)
def test_pages_block_the_first_paint_only_with_css_they_need(path):
    text = (SITE / path).read_text()
    head = text[: text.find("</head>")]
    links = re.findall(r"<link [^>]*>", head)
    sheets = [s for s in links if 'rel="stylesheet"' in s or "stylesheet" in s and "media=" in s]
    assert not [s for s in sheets if "sphinx-thebe.css" in s], "thebe is not used on this site"
    uses_design = re.search(r'class="[^"]*\bsd-', text) is not None
    assert any("sphinx-design" in s for s in sheets) == uses_design, "sphinx-design's CSS only where it is used"
    for name in LATE_CSS:
        for link in [link for link in links if name in link]:
            assert 'media="print"' in link and "onload=" in link, f"{name} blocks the first paint: {link}"


@pytest.mark.parametrize("path", PAGES)
def test_only_the_search_page_loads_the_search_index(path):
    """Search-as-you-type is off: the search box opens search.html, which alone needs Sphinx's search
    code and the index (the theme would load them on every page)."""
    text = (SITE / path).read_text()
    assert "search_as_you_type = true" not in text
    found = re.findall(r'<script[^>]* src="[^"]*(searchindex\.js|searchtools\.js|language_data\.js)', text)
    if path == "search.html":
        assert {"searchindex.js", "searchtools.js"} <= set(found)
    else:
        assert found == [], f"{path} loads {found} for a search it does not run"


FULL_CSS = "pydata-sphinx-theme.full.css"
LOOKS = [
    "book/index.html",
    "notebooks/00-start-here.html",
    "book/glossary.html",
    "search.html",
    *[p for p in PAGES if p.startswith("notebooks/") and re.search(r'class="[^"]*\bsd-', (SITE / p).read_text())][:1],
]


def _steady_shot(page) -> bytes:
    """The screen once it has stopped changing: two screenshots in a row alike (on a busy machine a
    page may still be settling, a font or a late script, when the first is taken)."""
    last = page.screenshot(animations="disabled")
    for _ in range(8):
        page.wait_for_timeout(150)
        shot = page.screenshot(animations="disabled")
        if shot == last:
            return shot
        last = shot
    raise AssertionError("the page did not stop changing")


# Switches the page's colour mode as the theme's own button does: the mode on <html> and in storage
SET_MODE = """(mode) => { localStorage.setItem('mode', mode); localStorage.setItem('theme', mode);
  document.documentElement.dataset.mode = mode; document.documentElement.dataset.theme = mode; }"""


@pytest.mark.parametrize("path", [p for p in LOOKS if p in PAGES])
def test_the_trimmed_theme_css_draws_the_same_pages(browser, server, path, tmp_path):
    """The theme's stylesheet without its unused rules draws the first screen pixel for pixel like the
    full one: phone and desktop widths, light and dark mode, and with the phone's menu open. The page is
    loaded once per width and stylesheet, in light mode, then switched to dark (and back, menu open)."""
    assert (SITE / "_static" / "styles" / FULL_CSS).exists()

    def shots(full: bool) -> list[tuple[str, bytes]]:
        out = []
        for width, height in ((412, 900), (1280, 900)):
            context = browser.new_context(viewport={"width": width, "height": height}, reduced_motion="reduce")
            page = context.new_page()
            page.add_init_script("localStorage.setItem('mode', 'light'); localStorage.setItem('theme', 'light')")
            if full:
                page.route(
                    "**/styles/pydata-sphinx-theme.css*",
                    lambda r: r.fulfill(path=str(SITE / "_static" / "styles" / FULL_CSS), content_type="text/css"),
                )
            page.goto(f"{server}/{path}", wait_until="networkidle")
            out.append((f"{width} px, light", _steady_shot(page)))
            page.evaluate(SET_MODE, "dark")
            out.append((f"{width} px, dark", _steady_shot(page)))
            if width < 800:  # the menu a phone opens, in dark mode, then in light mode
                page.locator("button.primary-toggle:visible").first.click()
                page.mouse.move(width - 5, height - 5)  # no hover tooltip: it fades in at its own pace
                page.wait_for_timeout(800)
                out.append((f"{width} px, dark, menu open", _steady_shot(page)))
                page.evaluate(SET_MODE, "light")
                out.append((f"{width} px, light, menu open", _steady_shot(page)))
            context.close()
        return out

    def compare() -> dict[str, tuple[bytes, bytes]]:
        pairs = zip(shots(full=False), shots(full=True), strict=True)
        return {name: (a, b) for (name, a), (_, b) in pairs if a != b}

    different = compare()
    if different:  # once more, from fresh loads: a page caught mid-change on a busy machine (a late font, say)
        # differs once; a rule the trimming dropped differs every time (a clean-clone run saw search.html's
        # phone shot differ once; nine runs of that test since, alone and under load, did not)
        again = compare()
        different = {name: again[name] for name in different if name in again}
    for name, (trimmed, full) in different.items():  # for a person to compare
        stem = re.sub(r"\W+", "-", f"{path} {name}")
        (tmp_path / f"{stem}-trimmed.png").write_bytes(trimmed)
        (tmp_path / f"{stem}-full.png").write_bytes(full)
    if different:
        pytest.fail(f"{path} looks different with the trimmed theme CSS: {list(different)} (shots in {tmp_path})")
