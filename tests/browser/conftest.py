"""Browser tests over the built site: Debian's chromium driven by Playwright, served on 127.0.0.1.

The site must have been built (`make book`; `make test` does it first); ALIGNKIT_SITE names another
built site (default: this checkout's _build/html). Every request to a host other than the test
server is blocked and recorded, so a page that needs the network fails. Vega and the widget manager
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


class PageVisit:
    """A page opened with everything it does recorded: console errors, failures, outside requests."""

    def __init__(self, browser, server: str, path: str):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.failed: list[str] = []
        host = urlparse(server).netloc

        def route(r):
            url = urlparse(r.request.url)
            if url.scheme in ("http", "https") and url.netloc != host:
                self.outside.append(r.request.url)
                return r.abort()
            return r.continue_()

        self.page.route("**/*", route)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        self.page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        self.page.goto(f"{server}/{path}", wait_until="load")
        self.page.wait_for_load_state("networkidle")

    def scroll_through(self):
        """Scroll to the end of the page, so that everything that loads when it comes near the screen
        (charts, widgets) loads, then wait until the network is quiet."""
        height = self.page.evaluate("document.documentElement.scrollHeight")
        y = 0
        while y <= height:
            self.page.evaluate(f"window.scrollTo(0, {y})")
            self.page.wait_for_timeout(20)
            y += 700
            height = self.page.evaluate("document.documentElement.scrollHeight")
        self.page.wait_for_load_state("networkidle")
        self.page.wait_for_timeout(300)

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, server):
    opened = []

    def _open(path: str) -> PageVisit:
        v = PageVisit(browser, server, path)
        opened.append(v)
        return v

    yield _open
    for v in opened:
        v.close()
