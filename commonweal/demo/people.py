"""Who in a demo organisation does a seeded step: the same person every run (lowest id)."""

from __future__ import annotations

from collections.abc import Iterable

from commonweal.accounts.models import Organisation, User


def first_member(
    organisation: Organisation,
    roles: Iterable[str] | None = None,
    *,
    excluding: Iterable[str] = (),
) -> User | None:
    """The organisation's first member in one of `roles` (any role if None), not in `excluding`."""
    membership: dict[str, object] = {"memberships__organisation": organisation}
    if roles is not None:
        membership["memberships__role__in"] = list(roles)
    # One filter call, so the role is that of the membership in this organisation.
    people = User.objects.filter(**membership)
    if excluding:
        people = people.exclude(memberships__role__in=list(excluding))
    return people.order_by("pk").first()
