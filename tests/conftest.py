"""What the browser tests over the site (tests/browser) and the JupyterLab test (tests/lab) share:
one chromium per test process.

Playwright's synchronous API runs one driver per thread, so when both kinds of test land in the same
pytest worker they must share it: a second ``sync_playwright()`` in the same process fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"  # Debian's chromium (.ci/run installs it); never `playwright install`
CHROMIUM_ARGS = [
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
