"""What the browser tests over the site (tests/browser) and the JupyterLab test (tests/lab) share:
one chromium per test process.

Playwright's synchronous API runs one driver per thread, so when both kinds of test land in the same
pytest worker they must share it: a second ``sync_playwright()`` in the same process fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"  # Debian's chromium (.ci/run installs it); never `playwright install`
# Every host name but the test servers' resolves to nothing: a page that asks another host for
# something fails at once, in chromium itself. (Intercepting requests in Playwright would also block
# them, but it turns the browser's cache off, so every page would fetch and compile the site's scripts
# again.) The tests record each such request (``request`` events) and fail on it.
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"
CHROMIUM_ARGS = [
    OFFLINE,
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Headless chromium, started once per test process and closed at its end."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does).")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


# Browser tests over the site's pages, shared among the workers test by test: each page is tested on
# its own, and these are most of make test's time. Every other file stays on one worker (its
# module-scoped fixtures, such as a JupyterHub or the printed handouts, are made once).
SPLIT_BY_TEST = {
    "tests/browser/test_pages.py",
    "tests/browser/test_root_and_speed.py",
}


def pytest_xdist_make_scheduler(config, log):
    """make test's workers (pytest-xdist) take whole files, as ``--dist loadfile`` does (a notebook's
    nbval cells share one kernel, the JupyterLab test one JupyterLab, and module-scoped fixtures such
    as a JupyterHub or the printed handouts are made once), except the page-by-page browser tests of
    ``SPLIT_BY_TEST``, which they share one test at a time."""
    from xdist.scheduler import LoadScopeScheduling

    class FilesAndPages(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return nodeid if path in SPLIT_BY_TEST else path

    return FilesAndPages(config, log)
