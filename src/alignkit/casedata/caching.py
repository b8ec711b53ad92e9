"""A cache that hands every caller its own copy, so no one can change what the next caller gets.

The lessons compute some tables once (a channel table, the SLA's rates) and both show them to the
learner and check the learner's answers against them. With ``functools.lru_cache`` the learner and
the checker would hold the same object: a learner cell that writes into the table would change the
expected answer. :func:`cached` keeps the value private and returns a deep copy of it; the values
it holds are small (a few hundred rows at most), so a copy costs well under a millisecond.
"""

from __future__ import annotations

from copy import deepcopy
from functools import lru_cache, wraps
from typing import Any


def cached(maxsize: int = 4):
    """Like ``functools.lru_cache(maxsize)``, but every call returns its own deep copy of the cached value."""

    def decorate(fn):
        keep = lru_cache(maxsize=maxsize)(fn)

        def wrapper(*args, **kwargs):
            return deepcopy(keep(*args, **kwargs))

        wrapped: Any = wraps(fn)(wrapper)  # carries cache_clear and cache_info as lru_cache's wrapper does
        wrapped.cache_clear = keep.cache_clear
        wrapped.cache_info = keep.cache_info
        return wrapped

    return decorate
