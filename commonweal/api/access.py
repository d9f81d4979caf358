"""Who may see and revoke API tokens: a person their own; a council admin the organisation's
service tokens. Anything else is a 404."""

from __future__ import annotations

from django.http import Http404

from commonweal.accounts.access import membership_in, require_admin
from commonweal.accounts.models import Membership, User
from commonweal.api.models import ApiToken, TokenKind


def personal_token_for_user(user: User, pk: int) -> ApiToken:
    token = (
        ApiToken.objects.select_related("organisation")
        .filter(pk=pk, kind=TokenKind.PERSONAL, user=user)
        .first()
    )
    if token is None:
        raise Http404("No such token")
    return token


def service_tokens_admin(user: User, organisation_pk: int) -> Membership:
    """The person's membership of the organisation, which must be a council's, as its admin."""
    membership = membership_in(user, organisation_pk)
    if not membership.organisation.is_council:
        raise Http404("Only councils have service tokens")
    require_admin(membership)
    return membership


def service_token_for_admin(user: User, organisation_pk: int, pk: int) -> ApiToken:
    membership = service_tokens_admin(user, organisation_pk)
    token = (
        ApiToken.objects.select_related("organisation", "user")
        .filter(pk=pk, kind=TokenKind.SERVICE, organisation=membership.organisation)
        .first()
    )
    if token is None:
        raise Http404("No such token")
    return token
