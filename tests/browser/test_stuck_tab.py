"""A tab that stops answering is given up within the time allowed and replaced (tests/conftest.py's
``within``, tests/browser/conftest.py's ``Tab.renew``): the page-by-page test then visits its page again
in the new tab instead of waiting for pytest-timeout, once per page, for the rest of the run. A tab that
stops drawing while a test fails in it is replaced too, and the test's work run again
(tests/conftest.py's ``once_more_in_a_new_tab``); a failure in a tab that draws is not run again.

A page whose script never yields stands in for a tab that stopped answering: Playwright's ``evaluate``
has no timeout of its own, and waits on it for ever. A page whose requestAnimationFrame never calls back
stands in for a tab that stopped drawing: as in the clean-clone run where a lesson page drew no frame for
30 s, its scripts go on, but nothing that waits for a frame ever gets one. (A minimized window, tried
first, still draws a frame now and then.)"""

from __future__ import annotations

import time

import pytest

from ..conftest import DRAWS_A_FRAME, Stuck, once_more_in_a_new_tab, within
from .conftest import Tab


def test_a_stuck_tab_is_given_up_in_time_and_replaced(browser, server):
    tab = Tab(browser, server)
    try:
        tab.page.goto(f"{server}/book/glossary.html")
        tab.page.evaluate("setTimeout(() => { for (;;) {} }, 0)")  # from now on the tab answers nothing
        start = time.monotonic()
        with pytest.raises(Stuck, match="the page's title"), within(3, "the page's title"):
            tab.page.evaluate("document.title")
        assert time.monotonic() - start < 10
        stuck_page = tab.page
        tab.renew()
        assert tab.page is not stuck_page and tab.renewed == 1
        tab.page.goto(f"{server}/book/glossary.html")
        with within(10, "the new tab's title"):
            assert "Glossary" in tab.page.evaluate("document.title")
    finally:
        tab.close()


def test_a_block_that_ends_in_time_is_not_stopped():
    with within(0.5, "nothing"):
        pass
    time.sleep(1)  # the timer was cancelled: no signal arrives after the block
    with within(5, "a short wait"):
        time.sleep(0.2)


def test_a_run_that_fails_in_a_tab_that_stopped_drawing_is_run_again_in_a_new_tab(browser, server):
    tab = Tab(browser, server)
    pages = []

    def run():
        pages.append(tab.page)
        tab.page.goto(f"{server}/book/glossary.html")
        if len(pages) == 1:  # from now on this page never draws
            tab.page.evaluate("window.requestAnimationFrame = () => 0")
        assert tab.page.evaluate(DRAWS_A_FRAME), "no frame drawn"

    try:
        with pytest.warns(UserWarning, match=r"the glossary: the shared tab stopped drawing, .*no frame drawn"):
            once_more_in_a_new_tab(tab, 60, "the glossary", run)
        assert len(pages) == 2 and pages[0] is not pages[1] and tab.renewed == 1
    finally:
        tab.close()


def test_a_run_that_fails_in_a_tab_that_draws_fails_at_once(browser, server):
    tab = Tab(browser, server)
    runs = []

    def run():
        runs.append(1)
        tab.page.goto(f"{server}/book/glossary.html")
        assert "Nothing such" in tab.page.title(), "the page is wrong"

    try:
        with pytest.raises(AssertionError, match="the page is wrong"):
            once_more_in_a_new_tab(tab, 60, "the glossary", run)
        assert len(runs) == 1 and tab.renewed == 0
    finally:
        tab.close()


def test_a_watch_inside_another_is_refused():
    with within(5, "the outer block"), pytest.raises(RuntimeError, match="inside within"):
        with within(1, "the inner block"):
            pass
