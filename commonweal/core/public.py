"""The mark of a page anyone may read, signed in or not."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

View = TypeVar("View", bound=Callable[..., object])


def public(view: View) -> View:
    """Mark ``view`` as public by design: it answers anyone, signed in or not, and shows only
    what its owner chose to publish (anything else is a 404). Every other page that names a
    record answers only the people it belongs to; tests/test_every_route.py holds every page to
    that, and reads this mark to know which pages are meant for everyone."""
    view.public = True  # type: ignore[attr-defined]
    return view


def is_public(view: Callable[..., object]) -> bool:
    return bool(getattr(view, "public", False))
