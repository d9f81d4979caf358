"""How a signed-in person is read back on each request."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from commonweal.accounts.access import keep_memberships, memberships_in_order
from commonweal.accounts.models import User
from commonweal.core.composed import ComposedOnce

_memberships_with_person = ComposedOnce(
    lambda user_id: memberships_in_order().select_related("user").filter(user_id=user_id)
)


class MemberBackend(ModelBackend):
    """Django's own password backend, except that reading the signed-in person back reads
    their memberships (with organisations) in the same query, composed once: every page needs
    both, for the header's organisation switcher and for access checks (see
    ``memberships_of``)."""

    def get_user(self, user_id: Any) -> User | None:
        memberships = _memberships_with_person(user_id)
        if not memberships:  # someone in no organisation (a site administrator, say)
            return super().get_user(user_id)
        user = memberships[0].user
        for membership in memberships:
            membership.user = user
        keep_memberships(user, memberships)
        return user if self.user_can_authenticate(user) else None
