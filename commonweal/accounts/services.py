"""Writes for organisations, people, memberships, invitations and sign-in."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.models import Invitation, Membership, Organisation, SignInAttempt, User
from commonweal.accounts.roles import ADMIN_ROLES, Role
from commonweal.core.audit import acting_as, save_audited
from commonweal.core.tokens import token_digest


def organisation_create(*, by: User | None, **fields: Any) -> Organisation:
    organisation = Organisation(**fields)
    return save_audited(organisation, by=by)


def organisation_update(*, organisation: Organisation, by: User, **fields: Any) -> Organisation:
    for name, value in fields.items():
        setattr(organisation, name, value)
    return save_audited(organisation, by=by)


def membership_create(
    *, user: User, organisation: Organisation, role: str, by: User | None
) -> Membership:
    membership = Membership(user=user, organisation=organisation, role=role)
    return save_audited(membership, by=by)


def _ensure_an_admin_remains(membership: Membership, new_role: str | None) -> None:
    if membership.role not in ADMIN_ROLES or new_role in ADMIN_ROLES:
        return
    others = (
        Membership.objects.filter(organisation=membership.organisation, role__in=ADMIN_ROLES)
        .exclude(pk=membership.pk)
        .exists()
    )
    if not others:
        raise ValidationError(
            "This is the organisation's only admin. Make someone else an admin first."
        )


def membership_change_role(*, membership: Membership, role: str, by: User) -> Membership:
    _ensure_an_admin_remains(membership, role)
    membership.role = role
    return save_audited(membership, by=by)


def membership_remove(*, membership: Membership, by: User) -> None:
    _ensure_an_admin_remains(membership, None)
    with transaction.atomic(), acting_as(by):
        membership.delete()


def invitation_create(
    *, organisation: Organisation, email: str, role: str, by: User | None, send: bool = True
) -> tuple[Invitation, str]:
    """Invite someone by email. Returns the invitation and the one-time link to accept it."""
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email=email).exists():
        raise ValidationError({"email": f"{email} is already a member of {organisation.name}"})
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=token_digest(token),
        invited_by=by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    Membership(organisation=organisation, role=role).clean()  # the role must suit the kind
    invitation.full_clean()
    link = settings.SITE_URL + reverse("accounts:invitation-accept", args=[token])
    with transaction.atomic(), acting_as(by):
        invitation.save()
        if send:
            inviter = by.full_name if by else "The Commonweal administrator"

            def _send() -> None:
                send_mail(
                    subject=f"You have been invited to join {organisation.name} on Commonweal",
                    message=(
                        f"{inviter} has invited you to join {organisation.name} on Commonweal "
                        f"as {Role(role).label.lower()}.\n\n"
                        f"Accept the invitation: {link}\n\n"
                        f"The link works once and expires in {settings.INVITATION_VALID_DAYS} days."
                    ),
                    from_email=None,
                    recipient_list=[email],
                )

            transaction.on_commit(_send)
    return invitation, link


def invitation_revoke(*, invitation: Invitation, by: User) -> None:
    if not invitation.is_usable:
        raise ValidationError("This invitation can no longer be withdrawn")
    invitation.revoked_at = timezone.now()
    with transaction.atomic(), acting_as(by):
        invitation.save()


def invitation_by_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=token_digest(token))
        .first()
    )


def invitation_accept(
    *, invitation: Invitation, user: User | None, full_name: str = "", password: str = ""
) -> User:
    """Accept as the signed-in person, or create the invited person's account."""
    if not invitation.is_usable:
        raise ValidationError(f"This invitation is {invitation.status.lower()}")
    with transaction.atomic():
        if user is None:
            if User.objects.filter(email=invitation.email).exists():
                raise PermissionDenied("Sign in to accept this invitation")
            user = User(email=invitation.email, full_name=full_name)
            user.set_password(password)
            user.full_clean()
            with acting_as(None):
                user.save()
        elif user.email != invitation.email:
            raise ValidationError(
                f"This invitation is for {invitation.email}. Sign out and sign in as that person."
            )
        with acting_as(user):
            Membership.objects.get_or_create(
                user=user,
                organisation=invitation.organisation,
                defaults={"role": invitation.role},
            )
            invitation.accepted_at = timezone.now()
            invitation.accepted_by = user
            invitation.save()
    return user


EMAIL_CONFIRMATION_SALT = "commonweal.accounts.email-confirmation"
EMAIL_CONFIRMATION_VALID_DAYS = 7


class EmailConfirmationInvalid(ValidationError):
    """The confirmation link was altered, has expired, or is for an address since changed."""


def email_confirmation_send(*, user: User) -> str:
    """Email the person a link that proves they hold their address; returns the link. Sent once
    the current transaction commits."""
    token = signing.dumps({"user": user.pk, "email": user.email}, salt=EMAIL_CONFIRMATION_SALT)
    link = settings.SITE_URL + reverse("accounts:email-confirm", args=[token])

    def _send() -> None:
        send_mail(
            subject="Confirm your email address for Commonweal",
            message=(
                f"Someone, we hope you, registered {user.email} on Commonweal.\n\n"
                f"Confirm it is your address: {link}\n\n"
                "You can draft an offer before you do, but not submit it. The link works for "
                f"{EMAIL_CONFIRMATION_VALID_DAYS} days. If it was not you, ignore this email."
            ),
            from_email=None,
            recipient_list=[user.email],
        )

    transaction.on_commit(_send)
    return link


def email_confirm(*, token: str) -> User:
    """Mark the address the link was sent to as confirmed. Raises EmailConfirmationInvalid."""
    try:
        data = signing.loads(
            token,
            salt=EMAIL_CONFIRMATION_SALT,
            max_age=timedelta(days=EMAIL_CONFIRMATION_VALID_DAYS),
        )
    except signing.BadSignature:
        raise EmailConfirmationInvalid("This link is not valid or has expired") from None
    user = User.objects.filter(pk=data.get("user"), email=data.get("email")).first()
    if user is None:
        raise EmailConfirmationInvalid("This link is not valid or has expired")
    if user.email_confirmation_pending:
        with transaction.atomic(), acting_as(user):
            user.email_confirmation_pending = False
            user.save(update_fields=["email_confirmation_pending"])
    return user


def sign_in_attempt_record(*, email: str, ip_address: str | None, succeeded: bool) -> None:
    SignInAttempt.objects.create(
        email=email.strip().lower(), ip_address=ip_address, succeeded=succeeded
    )
