"""Pages and figures kept in the cache, worked out once however many people ask at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

CACHE_SECONDS = 600
"""Entries are keyed by what they rest on, so this only bounds what an unrecorded change (an
organisation renamed, say) can leave on screen."""
T = TypeVar("T")

_working: dict[str, threading.Lock] = {}
_working_guard = threading.Lock()


def cached(key: str, compute: Callable[[], T]) -> T:
    """The cached value for `key`, computed once if missing.

    When many people open the same page at once, one thread per process works it out and the
    others wait for it rather than all doing the same work.
    """
    found: T | None = cache.get(key)
    if found is not None:
        return found
    with _working_guard:
        working = _working.setdefault(key, threading.Lock())
    try:
        with working:
            found = cache.get(key)
            if found is None:
                found = compute()
                cache.set(key, found, CACHE_SECONDS)
    finally:
        with _working_guard:
            _working.pop(key, None)
    return found
