"""Browser tests over the built site: Debian's chromium driven by Playwright, served on 127.0.0.1.

The site must have been built (`make book`; `make test` does it first); ALIGNKIT_SITE names another
built site (default: this checkout's _build/html). Every request to a host other than the test
server fails in chromium and is recorded, so a page that needs the network fails. Vega and the widget manager
load only when a chart or widget comes near the screen: `PageVisit.scroll_through()` loads them all.
"""

from __future__ import annotations

import functools
import http.server
import os
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from ..conftest import RenewableTab

SITE = Path(os.environ.get("ALIGNKIT_SITE", Path(__file__).resolve().parents[2] / "_build" / "html"))
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def site_pages() -> list[str]:
    if not (SITE / "index.html").exists():
        return []
    skip = {"genindex.html", "index.html"}  # the root index.html only redirects to book/index.html
    pages = (p.relative_to(SITE) for p in SITE.rglob("*.html"))
    # _static holds the theme's template fragments, not pages
    return sorted(str(p) for p in pages if p.parts[0] != "_static" and not (len(p.parts) == 1 and p.name in skip))


@pytest.fixture(scope="session")
def server():
    if not (SITE / "index.html").exists():
        pytest.fail(f"{SITE} has no built site: run 'make book' first ('make test' does).")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            # a page closed while a script was still downloading: the browser hung up, nothing broke
            if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
                super().handle_error(request, client_address)

    httpd = Server(("127.0.0.1", 0), functools.partial(Quiet, directory=str(SITE)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


# one screen at a time to the end (the page may grow as it goes), each stop drawn: a requestAnimationFrame
# callback runs just before a frame is drawn, so after two of them one frame has been drawn here. A
# browser may draw no frame at all for a while (a headless one can stop drawing): each stop waits at
# most 2 s for its frame, and the scroll stops after 300 screens, so this always returns; it returns
# how many stops had no frame drawn.
SCROLL_THROUGH = """async () => {
  const drawn = () => Promise.race([
    new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))),
    new Promise(r => setTimeout(() => r(false), 2000)),
  ]);
  const step = Math.max(window.innerHeight, 200);
  let undrawn = 0;
  for (let i = 0, y = 0; i < 300 && y <= document.documentElement.scrollHeight; i++, y += step) {
    window.scrollTo(0, y);
    if (!(await drawn())) undrawn++;
  }
  return undrawn;
}"""


class PageVisit:
    """A page opened with everything it does recorded: console errors, failures, outside requests.

    With ``tab`` (a :class:`Tab`) the page is opened in that tab, which keeps its browser's cache between
    pages (the site's scripts are then read and compiled once); the site's stored data (answers,
    progress) is cleared first, so the page starts as on a first visit."""

    def __init__(self, browser, server: str, path: str, tab: Tab | None = None):
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.failed: list[str] = []
        self.undrawn_stops = 0  # stops of scroll_through() where the browser drew no frame
        if tab is None:
            self.context = browser.new_context(viewport={"width": 1280, "height": 900})
            self.page = self.context.new_page()
            _record(self.page, server, lambda: self)
        else:
            self.context = None
            self.page = tab.page
            if self.page.url.startswith(server):
                self.page.evaluate("localStorage.clear(); sessionStorage.clear()")
            tab.current = self
        self.page.goto(f"{server}/{path}", wait_until="load")
        self.page.wait_for_load_state("networkidle")

    def scroll_through(self):
        """Scroll to the end of the page a screen at a time, so that everything that loads when it
        comes near the screen (charts, widgets, the quiz) loads, then wait until the network is quiet.

        The page draws a frame at each stop before it scrolls on: the site's loaders notice what comes
        near the screen only when a frame is drawn, and a busy machine may draw none for a while (when
        this scrolled on a timer instead, a widget was once scrolled past unseen and never loaded)."""
        self.undrawn_stops = self.page.evaluate(SCROLL_THROUGH)
        self.page.wait_for_load_state("networkidle")
        self.page.wait_for_timeout(300)

    def close(self):
        if self.context is not None:
            self.context.close()


def _record(page, server: str, visit) -> None:
    """Record requests to other hosts (chromium cannot reach them: see ``OFFLINE`` in tests/conftest.py),
    console errors and failed requests, into the visit that ``visit()`` returns."""
    host = urlparse(server).netloc

    def request(r):
        url = urlparse(r.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.netloc != host:
            visit().outside.append(r.url)

    page.on("request", request)
    page.on("websocket", request)
    page.on("console", lambda m: visit().errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: visit().errors.append(f"uncaught: {e}"))
    page.on("response", lambda r: visit().failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)


class Tab(RenewableTab):
    """One browser tab that pages are opened in one after another (see :class:`PageVisit`)."""

    what = "the shared tab"

    def __init__(self, browser, server: str):
        self.browser, self.server = browser, server
        self.current: PageVisit | None = None
        self._open()

    def _open(self):
        self.context = self.browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        _record(self.page, self.server, lambda: self.current)

    def stopped_drawing(self) -> bool:
        """Whether the tab draws no frame now, or drew none at some stop of the page's scroll-through."""
        return bool(self.current is not None and self.current.undrawn_stops) or super().stopped_drawing()


@pytest.fixture
def visit(browser, server):
    """Opens pages, each in a browser context of its own."""
    opened = []

    def _open(path: str) -> PageVisit:
        v = PageVisit(browser, server, path)
        opened.append(v)
        return v

    yield _open
    for v in opened:
        v.close()


@pytest.fixture(scope="session")
def tab(browser, server):
    """One tab for the page-by-page tests of this process (tests/browser/test_pages.py)."""
    t = Tab(browser, server)
    yield t
    t.close()
