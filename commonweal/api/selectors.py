from __future__ import annotations

from django.db.models import QuerySet

from commonweal.accounts.models import Organisation, User
from commonweal.api.models import ApiToken, TokenKind


def personal_tokens(user: User) -> QuerySet[ApiToken]:
    """A person's own tokens, newest first, revoked and expired ones included."""
    return ApiToken.objects.select_related("organisation").filter(
        kind=TokenKind.PERSONAL, user=user
    )


def service_tokens(organisation: Organisation) -> QuerySet[ApiToken]:
    """An organisation's service tokens with the membership role each acts with, newest first."""
    return ApiToken.objects.select_related("created_by", "revoked_by").filter(
        kind=TokenKind.SERVICE, organisation=organisation
    )
