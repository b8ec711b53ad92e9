"""What the browser tests over the site (tests/browser) and the JupyterLab test (tests/lab) share:
one chromium per test process.

Playwright's synchronous API runs one driver per thread, so when both kinds of test land in the same
pytest worker they must share it: a second ``sync_playwright()`` in the same process fails.
"""

from __future__ import annotations

import os
import signal
import threading
import warnings
from collections.abc import Callable
from contextlib import contextmanager
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


class Stuck(BaseException):
    """The browser did not answer in the time :func:`within` gave it.

    A BaseException, like pytest's own outcomes: a check that catches every Exception to report it
    with the others does not swallow it."""


_waiting: dict[str, object] = {}  # what within() is waiting for, while it waits


def _give_up(signum, frame):
    if _waiting:
        what = _waiting.pop("what")
        _waiting.clear()
        raise Stuck(what)


@contextmanager
def within(seconds: float, what: str):
    """Stop the block with :class:`Stuck` if it takes longer than ``seconds``.

    For Playwright calls with no timeout of their own (``evaluate``): a headless chromium tab can stop
    answering altogether, with its renderer idle; a clean-clone run once had a page's scroll, then the
    next page's first call on the same tab, wait until pytest-timeout ended each at 300 s. A timer
    thread sends this process SIGUSR1; its handler raises in the main thread, where Playwright waits
    (as pytest-timeout's own signal does). Main thread only, and one at a time: a block inside
    another would leave the outer one unwatched, so it is refused."""
    if _waiting:
        raise RuntimeError(f"within({seconds}, {what!r}) inside within(…, {_waiting['what']!r})")
    signal.signal(signal.SIGUSR1, _give_up)
    token = object()
    _waiting.update(what=what, token=token)

    def ring():
        if _waiting.get("token") is token:  # not after the block has ended
            os.kill(os.getpid(), signal.SIGUSR1)

    timer = threading.Timer(seconds, ring)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        _waiting.clear()


# Whether a page draws a frame within 3 s: a requestAnimationFrame callback runs just before a frame
# is drawn, so after two of them one frame has been drawn
DRAWS_A_FRAME = """() => Promise.race([
  new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))),
  new Promise(r => setTimeout(() => r(false), 3000)),
])"""


class RenewableTab:
    """A browser context with one page, used test after test, and replaced by ``renew()`` when it stops
    answering (see :func:`within`) or drawing (see :meth:`stopped_drawing`). A subclass opens it
    (``_open``, which sets ``context`` and ``page``) and says what it is (``what``) and how long opening
    may take (``open_within``)."""

    what = "a tab"
    open_within = 30.0
    renewed = 0

    def _open(self) -> None:
        raise NotImplementedError

    def _after_close(self) -> None:
        """What else goes with a tab that stopped answering (nothing, unless a subclass says)."""

    def renew(self) -> None:
        """A new one in place of one that stopped answering (closed, or left if it does not close in 20 s)."""
        try:
            with within(20, f"closing {self.what} that stopped answering"):
                self.context.close()
        except Stuck:
            pass
        self._after_close()
        self.renewed += 1
        with within(self.open_within, f"opening {self.what} anew"):
            self._open()

    def close(self) -> None:
        with within(20, f"closing {self.what}"):
            self.context.close()

    def stopped_drawing(self) -> bool:
        """Whether the page draws no frame now. A headless chromium tab can stop drawing while its
        scripts go on, its page still saying it is visible (a clean-clone run once had a lesson page
        draw no frame for 30 s): whatever waits for a frame then waits in vain, and whatever loads when
        it comes near the screen never loads. A tab that stops answering altogether fails this too."""
        try:
            with within(10, f"a frame from {self.what}"):
                return not self.page.evaluate(DRAWS_A_FRAME)
        except Stuck:
            return True


def once_more_in_a_new_tab(tab: RenewableTab, seconds: float, what: str, run: Callable[[], None]) -> None:
    """Run ``run()`` (one test's work in ``tab``) within ``seconds``. If the tab stops answering, or
    ``run()`` fails and the tab has stopped drawing (see :meth:`RenewableTab.stopped_drawing`), the
    fault is the browser's, not the page's: the tab is renewed, a warning says so, and ``run()`` runs
    once more in the new tab, where a failure is a failure. A failure in a tab that still draws is
    raised at once."""
    try:
        with within(seconds, what):
            run()
        return
    except Stuck as stuck:
        why = f"stopped answering ({stuck})"
    except Exception as failure:
        if not tab.stopped_drawing():
            raise
        first = (str(failure).splitlines() or [""])[0][:200]
        why = f"stopped drawing, and the run failed ({type(failure).__name__}: {first})"
    tab.renew()
    warnings.warn(f"{what}: {tab.what} {why}; run again in a new one", stacklevel=2)
    with within(seconds, f"{what}, again, in a new tab"):
        run()


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
    "tests/browser/test_charts_on_a_phone.py",
}


def _heavier_first(item) -> int:
    """How early a shared page test is handed out: the longest first (the trimmed-stylesheet look of a
    page, 12-17 s on a busy machine; then a lesson page, 15-20 s), so that the run ends on short ones
    (a reference page's visit, the static checks of a page's HTML) and the workers finish together."""
    if item.originalname == "test_the_trimmed_theme_css_draws_the_same_pages":
        return 0
    if item.originalname == "test_page_in_the_browser":
        return 1 if "notebooks/" in item.nodeid else 2
    return 3


# The longest file by far (3-4 minutes on a busy machine): run first, so that a worker starts it at once
# and the run does not wait for it at the end
FIRST = "tests/lab/"


def pytest_collection_modifyitems(config, items):
    """The order make test's scheduler hands the work out in: the JupyterLab test (``FIRST``) first,
    then the rest as collected, except that the tests of ``SPLIT_BY_TEST`` take the places they held
    in the order :func:`_heavier_first` gives."""
    places = [i for i, item in enumerate(items) if item.nodeid.split("::", 1)[0] in SPLIT_BY_TEST]
    ordered = sorted((items[i] for i in places), key=_heavier_first)  # stable: ties keep their order
    for i, item in zip(places, ordered, strict=True):
        items[i] = item
    items.sort(key=lambda item: not item.nodeid.startswith(FIRST))  # stable: the rest keep their order


def pytest_xdist_make_scheduler(config, log):
    """make test's workers (pytest-xdist) take whole files, as ``--dist loadfile`` does (a notebook's
    nbval cells share one kernel, the JupyterLab test one JupyterLab, and module-scoped fixtures such
    as a JupyterHub or the printed handouts are made once), except the page-by-page browser tests of
    ``SPLIT_BY_TEST``, which they share one test at a time.

    The work is handed out in the order collected (see :func:`pytest_collection_modifyitems`), not by
    each file's number of tests (xdist's default)."""
    from xdist.scheduler import LoadScopeScheduling

    config.option.loadscopereorder = False

    class FilesAndPages(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return nodeid if path in SPLIT_BY_TEST else path

    return FilesAndPages(config, log)
