"""Pages and figures kept in the cache, worked out once however many people ask at once."""

from __future__ import annotations

import functools
import hashlib
import itertools
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache

CACHE_SECONDS = 600
"""Entries are keyed by what they rest on, so this only bounds what an unrecorded change (an
organisation renamed, say) can leave on screen."""
SHARED = "shared"
"""The cache all the server's processes share (pages laid out ahead of their first visit)."""
PAGE_SECONDS = 30 * 24 * 60 * 60
"""A page is keyed by everything it rests on; this bounds only what an unrecorded change (a
person renamed, say) can leave on screen."""
T = TypeVar("T")


def code_fingerprint(package_dir: Path) -> str:
    """A digest of the installed code and templates (every .py, .html and .txt file)."""
    digest = hashlib.sha256()
    for path in sorted(package_dir.rglob("*")):
        if path.suffix in (".py", ".html", ".txt") and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(package_dir)).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@functools.cache
def _installed_code_fingerprint() -> str:
    return code_fingerprint(Path(__file__).resolve().parents[1])


def code_versioned_key(key: str, key_prefix: str, version: int) -> str:
    """The shared cache's key for `key`, under a digest of the code that laid the entry out.

    The digest reads every file of the package, so it is worked out at the cache's first use in
    a process (a page served), not when settings load for every command.
    """
    return f"{key_prefix}{_installed_code_fingerprint()}:{version}:{key}"


_working: dict[str, threading.Lock] = {}
_working_guard = threading.Lock()


def cached(
    key: str, compute: Callable[[], T], *, store: str = "default", seconds: int = CACHE_SECONDS
) -> T:
    """The value kept in the cache `store` for `key`, computed once if missing.

    When many people open the same page at once, one thread per process works it out and the
    others wait for it rather than all doing the same work.
    """
    cache = caches[store]
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
                cache.set(key, found, seconds)
    finally:
        with _working_guard:
            _working.pop(key, None)
    return found


class FileCache(FileBasedCache):
    """Django's file cache, except that it counts its files, to make room, once every
    `CULL_CHECK_EVERY` writes of a process rather than at every write. Counting lists the
    whole folder, so laying out thousands of pages spent most of its time listing it; the cache
    may now run past its MAX_ENTRIES by that many writes per process before it makes room."""

    CULL_CHECK_EVERY = 500

    def __init__(self, dir: str, params: dict[str, Any]) -> None:
        super().__init__(dir, params)
        self._writes = itertools.count()

    def _cull(self) -> None:
        if next(self._writes) % self.CULL_CHECK_EVERY == 0:
            super()._cull()  # type: ignore[misc]  # not in django-stubs
