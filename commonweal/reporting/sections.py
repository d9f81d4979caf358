"""Sections of the progress report that appear only when the council has that programme: its
partnership charter and anchor network, fair work (the Real Living Wage) and equality (EFLG)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from commonweal.reporting.document import Scope


def programme_sections(scope: Scope) -> list[dict[str, Any] | None]:
    """The sections with data, in the order the report gives them."""
    return []
