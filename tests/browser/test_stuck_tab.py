"""A tab that stops answering is given up within the time allowed and replaced (tests/conftest.py's
``within``, tests/browser/conftest.py's ``Tab.renew``): the page-by-page test then visits its page again
in the new tab instead of waiting for pytest-timeout, once per page, for the rest of the run.

A page whose script never yields stands in for a tab that stopped answering: Playwright's ``evaluate``
has no timeout of its own, and waits on it for ever."""

from __future__ import annotations

import time

import pytest

from ..conftest import Stuck, within
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
