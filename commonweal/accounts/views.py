from __future__ import annotations

import base64
from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from commonweal.accounts import services
from commonweal.accounts.access import (
    invitation_for_user,
    member_for_user,
    membership_in,
    organisation_for_user,
    request_user,
    require_admin,
)
from commonweal.accounts.forms import (
    InvitationForm,
    NewAccountForm,
    OrganisationSettingsForm,
    RoleForm,
    SecurityCodeForm,
    SignInForm,
    SupplierDetailsForm,
)
from commonweal.accounts.lockout import (
    RepeatedFailedSignInsFromOneAddressPauseIt,
    RepeatedFailedSignInsLockTheAccount,
)
from commonweal.accounts.middleware import (
    ACTIVE_MEMBERSHIP_KEY,
    SSO_SESSION_KEY,
    two_factor_required,
)
from commonweal.accounts.models import User
from commonweal.accounts.roles import ADMIN_ROLES
from commonweal.accounts.selectors import organisation_members, waiting_invitations
from commonweal.core.audit import acting_as, record_event
from commonweal.core.client import client_address
from commonweal.core.forms import add_validation_errors

PENDING_USER_KEY = "pending_two_factor_user_id"


def _safe_next(request: HttpRequest, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def _confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def _complete_sign_in(request: HttpRequest, user: User, device: TOTPDevice | None) -> None:
    login(request, user)  # the one backend in AUTHENTICATION_BACKENDS
    if device is not None:
        otp_login(request, device)
    for membership in user.memberships.all():
        record_event(
            instance=user,
            by=user,
            organisation_id=membership.organisation_id,
            event="Signed in",
            detail="with a security code" if device else "with a password",
        )


def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home:home")
    form = SignInForm(request.POST or None)
    lockout_message = ""
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        address = client_address(request)
        lockout = RepeatedFailedSignInsLockTheAccount().lockout_for(email)
        paused = RepeatedFailedSignInsFromOneAddressPauseIt().lockout_for(address)
        if lockout or paused:
            wait = max(x.minutes_left for x in (lockout, paused) if x is not None)
            minutes = f"{wait} minute{'s' if wait != 1 else ''}"
            lockout_message = (
                "You have entered the wrong password too many times. "
                f"Wait {minutes} and try again, or reset your password."
                if lockout
                else "There have been too many wrong passwords from your network. "
                f"Wait {minutes} and try again."
            )
            form.add_error(None, lockout_message)
        else:
            user = authenticate(request, email=email, password=form.cleaned_data["password"])
            services.sign_in_attempt_record(
                email=email, ip_address=address, succeeded=user is not None
            )
            if user is None:
                form.add_error("email", "Enter a correct email address and password")
            else:
                device = _confirmed_device(user)
                if device is not None:
                    request.session[PENDING_USER_KEY] = user.pk
                    request.session["pending_next"] = _safe_next(request, reverse("home:home"))
                    return redirect("accounts:security-code")
                _complete_sign_in(request, user, None)
                return redirect(_safe_next(request, reverse("home:home")))
    return render(
        request,
        "accounts/sign_in.html",
        {"form": form, "next": request.GET.get("next", ""), "locked": bool(lockout_message)},
    )


def security_code(request: HttpRequest) -> HttpResponse:
    user_id = request.session.get(PENDING_USER_KEY)
    user = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        return redirect("accounts:sign-in")
    device = _confirmed_device(user)
    if device is None:
        return redirect("accounts:sign-in")
    form = SecurityCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            form.add_error(
                "code", "You have entered too many wrong codes. Wait a minute and try again"
            )
        elif device.verify_token(form.cleaned_data["code"]):
            next_url = request.session.pop("pending_next", reverse("home:home"))
            request.session.pop(PENDING_USER_KEY, None)
            _complete_sign_in(request, user, device)
            return redirect(next_url)
        else:
            form.add_error(
                "code", "The security code is not right. Enter the code your app shows now"
            )
    return render(request, "accounts/security_code.html", {"form": form})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    from commonweal.accounts.oidc import end_session_url

    at_provider = end_session_url(request)  # read before the session ends
    logout(request)
    if at_provider:  # signed in through single sign-on: sign out there too
        return redirect(at_provider)
    messages.success(request, "You have signed out")
    return redirect("accounts:sign-in")


@login_required
@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    try:
        membership_id = int(request.POST.get("membership", ""))
    except ValueError:
        raise Http404("No such organisation") from None
    membership = request_user(request).memberships.filter(pk=membership_id).first()
    if membership is None:
        raise Http404("No such organisation")
    request.session[ACTIVE_MEMBERSHIP_KEY] = membership.pk
    messages.success(request, f"You are now acting for {membership.organisation.name}")
    next_url = _safe_next(request, reverse("home:home"))
    # Pages that belong to the organisation you left would now be a 404.
    if "/organisations/" in next_url:
        next_url = reverse("home:home")
    return redirect(next_url)


def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link emailed to someone who registered themselves: it confirms their address."""
    try:
        services.email_confirm(token=token)
    except services.EmailConfirmationInvalid as problem:
        return render(
            request,
            "accounts/email_confirm_invalid.html",
            {"reason": problem.messages[0]},
        )
    messages.success(request, "Your email address is confirmed")
    return redirect("accounts:home" if request.user.is_authenticated else "accounts:sign-in")


@login_required
@require_POST
def email_confirm_resend(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if user.email_confirmation_pending:
        services.email_confirmation_send(user=user)
        messages.success(request, f"We have sent the link again to {user.email}")
    return redirect(_safe_next(request, reverse("accounts:home")))


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    return render(
        request,
        "accounts/account.html",
        {
            "device": _confirmed_device(user),
            "required": two_factor_required(user),
            # Under single sign-on the organisation's account holds the password and asks for
            # the second factor; there is nothing to set here.
            "signed_in_with_sso": bool(request.session.get(SSO_SESSION_KEY)),
            "has_password": user.has_usable_password(),
            "memberships": user.memberships.select_related("organisation"),
        },
    )


def _qr_svg(config_url: str) -> str:
    image = qrcode.make(config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if _confirmed_device(user) and user.is_verified():  # type: ignore[attr-defined]
        messages.success(request, "Your authenticator app is already set up")
        return redirect("accounts:account")
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = SecurityCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic(), acting_as(user):
                TOTPDevice.objects.filter(user=user, confirmed=True).delete()
                device.confirmed = True
                device.save()
            otp_login(request, device)
            messages.success(
                request,
                "Your authenticator app is set up. You will need a code each time you sign in.",
            )
            return redirect(_safe_next(request, reverse("accounts:account")))
        form.add_error("code", "The security code is not right. Enter the code your app shows now")
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device.config_url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "required": two_factor_required(user),
            "next": request.GET.get("next", ""),
        },
    )


@login_required
@require_POST
def two_factor_remove(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if two_factor_required(user):
        raise PermissionDenied(
            "Your organisation requires a security code, so you cannot turn it off"
        )
    TOTPDevice.objects.filter(user=user).delete()
    messages.success(request, "Security codes are turned off for your account")
    return redirect("accounts:account")


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation, membership = organisation_for_user(request_user(request), pk)
    is_admin = membership.role in ADMIN_ROLES
    invitations = list(waiting_invitations(organisation)) if is_admin else []
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "membership": membership,
            "is_admin": is_admin,
            "members": organisation_members(organisation),
            "invitations": invitations,
        },
    )


@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation, membership = organisation_for_user(request_user(request), pk)
    require_admin(membership)
    form_class = SupplierDetailsForm if organisation.is_supplier else OrganisationSettingsForm
    form = form_class(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.organisation_update(
            organisation=organisation,
            by=request_user(request),
            **{name: form.cleaned_data[name] for name in form.Meta.fields},
        )
        messages.success(request, "Organisation details saved")
        return redirect("accounts:organisation", pk=organisation.pk)
    return render(
        request, "accounts/organisation_edit.html", {"form": form, "organisation": organisation}
    )


@login_required
def invitation_create(request: HttpRequest, pk: int) -> HttpResponse:
    organisation, membership = organisation_for_user(request_user(request), pk)
    require_admin(membership)
    form = InvitationForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=request_user(request),
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}")
            return redirect("accounts:organisation", pk=organisation.pk)
    return render(
        request, "accounts/invitation_create.html", {"form": form, "organisation": organisation}
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    invitation, membership = invitation_for_user(request_user(request), pk, invitation_pk)
    require_admin(membership)
    try:
        services.invitation_revoke(invitation=invitation, by=request_user(request))
    except ValidationError as problem:
        messages.error(request, problem.messages[0])
    else:
        messages.success(request, f"Invitation for {invitation.email} withdrawn")
    return redirect("accounts:organisation", pk=pk)


@login_required
def member_edit(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    member, membership = member_for_user(request_user(request), pk, member_pk)
    require_admin(membership)
    organisation = membership.organisation
    form = RoleForm(request.POST or None, organisation=organisation, initial={"role": member.role})
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("action") == "remove":
                services.membership_remove(membership=member, by=request_user(request))
                messages.success(request, f"{member.user} no longer belongs to {organisation.name}")
            else:
                services.membership_change_role(
                    membership=member,
                    role=form.cleaned_data["role"],
                    by=request_user(request),
                )
                messages.success(
                    request, f"{member.user} is now {member.get_role_display().lower()}"
                )
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            return redirect("accounts:organisation", pk=organisation.pk)
    return render(
        request,
        "accounts/member_edit.html",
        {"form": form, "member": member, "organisation": organisation},
    )


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_by_token(token)
    if invitation is None:
        raise Http404("No such invitation")
    if not invitation.is_usable:
        return render(
            request, "accounts/invitation_unusable.html", {"invitation": invitation}, status=410
        )
    user: User | None = request.user if request.user.is_authenticated else None
    existing = User.objects.filter(email=invitation.email).exists()
    if user is None and existing:
        messages.success(request, f"Sign in as {invitation.email} to accept the invitation")
        return redirect(reverse("accounts:sign-in") + "?next=" + request.path)
    form = NewAccountForm(request.POST or None, email=invitation.email) if user is None else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            user = services.invitation_accept(
                invitation=invitation,
                user=user,
                full_name=form.cleaned_data["full_name"] if form else "",
                password=form.cleaned_data["password"] if form else "",
            )
        except ValidationError as problem:
            if form is None:
                messages.error(request, problem.messages[0])
                return redirect("home:home")
            add_validation_errors(form, problem)
        else:
            if not request.user.is_authenticated:
                _complete_sign_in(request, user, None)
            request.session[ACTIVE_MEMBERSHIP_KEY] = membership_in(
                user, invitation.organisation_id
            ).pk
            messages.success(request, f"You have joined {invitation.organisation.name}")
            return redirect("home:home")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-sent")

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        form.fields["email"].error_messages = {
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        }
        return form


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form: Any) -> HttpResponse:
        messages.success(self.request, "Your password has been changed")
        return super().form_valid(form)
