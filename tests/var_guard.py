"""A guard against tests writing into the checkout's ``var/`` folder (where a running demo keeps
its database and files): every write this process attempts under a guarded folder is recorded,
and the test that made it fails (see ``tests/conftest.py``).

Python's audit hooks see every file opened for writing and every folder made, renamed or removed
by Python code, including Django's file storage and the code that makes folders for DuckDB to
write into; they cost a prefix comparison per event. A hook cannot be removed once added, so
there is one, and the folders it guards are a list that tests may extend.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

#: The checkout's ``var/`` (and the one under the folder the tests run from, which the settings
#: would use by default).
CHECKOUT = Path(__file__).resolve().parents[1]
GUARDED: list[Path] = list(dict.fromkeys([CHECKOUT / "var", Path.cwd().resolve() / "var"]))
#: Writes seen under a guarded folder since the last ``take_violations()``.
_violations: list[str] = []

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
# Events whose arguments name paths that are changed (shutil's copies name the destination
# second; only it is written).
_CHANGES_EVERY_PATH = {
    "os.mkdir",
    "os.rename",
    "os.remove",
    "os.rmdir",
    "os.truncate",
    "os.chmod",
    "os.chown",
    "os.utime",
    "os.symlink",
    "os.link",
    "shutil.rmtree",
    "sqlite3.connect",
}
_CHANGES_SECOND_PATH = {"shutil.copyfile", "shutil.copytree", "shutil.move"}


def _is_guarded(path: Any) -> bool:
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not isinstance(path, (str, os.PathLike)):
        return False  # a file descriptor
    text = os.fspath(path)
    if text.startswith(("file:", ":memory:")) or not text:
        return False
    resolved = os.path.abspath(text)
    return any(resolved == str(root) or resolved.startswith(str(root) + os.sep) for root in GUARDED)


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event == "open":
        path, mode, flags = args
        writing = (mode is not None and any(c in mode for c in "wax+")) or (
            mode is None and isinstance(flags, int) and flags & _WRITE_FLAGS
        )
        paths = [path] if writing else []
    elif event in _CHANGES_EVERY_PATH:
        paths = [a for a in args if isinstance(a, (str, bytes, os.PathLike))]
    elif event in _CHANGES_SECOND_PATH:
        paths = list(args[1:2])
    else:
        return
    for path in paths:
        if _is_guarded(path):
            _violations.append(f"{event} {os.fsdecode(os.fspath(path))}")


_installed = False


def install() -> None:
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True


def fail_if_written() -> None:
    """Fail the running test if anything was written under a guarded folder since the last
    check (by the test, or by what ran before it outside any test)."""
    written = take_violations()
    if written:
        pytest.fail(
            "Tests must not write under the checkout's var/ folder (a demo may be running "
            "there); give the code a path in the test's own folder. Written: "
            + "; ".join(written[:10]),
            pytrace=False,
        )


def take_violations() -> list[str]:
    """The writes seen since the last call, forgotten once returned."""
    seen = list(_violations)
    _violations.clear()
    return seen
