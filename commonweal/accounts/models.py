from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from commonweal.accounts.roles import OrganisationKind, Role, roles_for_kind

GSS_CODE = re.compile(r"^[EWSN]\d{8}$")
COMPANY_NUMBER = re.compile(r"^(\d{8}|[A-Z]{2}\d{6})$")
CHARITY_NUMBER = re.compile(r"^\d{6,8}$")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("Enter an email address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. What they may do depends on their memberships of organisations."""

    email = models.EmailField("Email address", unique=True)
    full_name = models.CharField("Full name", max_length=200)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    email_confirmation_pending = models.BooleanField(
        default=False,
        help_text=(
            "Registered itself (through a tender's share link) and has not yet followed the "
            "link emailed to it; people invited by email have shown they hold the address"
        ),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()


class Organisation(models.Model):
    """A council, combined authority, anchor partner or supplier: the unit of tenancy."""

    kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    name = models.CharField(max_length=200)
    gss_code = models.CharField(
        "ONS GSS code",
        max_length=9,
        blank=True,
        help_text="For councils and combined authorities, for example E08000018",
    )
    company_number = models.CharField("Companies House number", max_length=8, blank=True)
    charity_number = models.CharField("Charity number", max_length=8, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    is_sme = models.BooleanField("Small or medium-sized enterprise", null=True, blank=True)
    is_vcse = models.BooleanField("Voluntary, community or social enterprise", default=False)
    combined_authority = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="constituent_councils",
        limit_choices_to={"kind": OrganisationKind.COMBINED_AUTHORITY},
    )
    require_two_factor = models.BooleanField(
        "Require a security code for staff",
        default=False,
        help_text="Staff must set up an authenticator app and enter a code when they sign in",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["gss_code"], condition=~Q(gss_code=""), name="organisation_unique_gss"
            ),
            models.UniqueConstraint(
                fields=["company_number"],
                condition=~Q(company_number=""),
                name="organisation_unique_company_number",
            ),
            models.UniqueConstraint(
                fields=["charity_number"],
                condition=~Q(charity_number=""),
                name="organisation_unique_charity_number",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in OrganisationKind]),
                name="organisation_kind_known",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_council(self) -> bool:
        return self.kind in (OrganisationKind.COUNCIL, OrganisationKind.COMBINED_AUTHORITY)

    @property
    def is_supplier(self) -> bool:
        return self.kind == OrganisationKind.SUPPLIER

    @property
    def is_partner(self) -> bool:
        return self.kind == OrganisationKind.ANCHOR_PARTNER

    def clean(self) -> None:
        errors: dict[str, str] = {}
        self.gss_code = self.gss_code.strip().upper()
        self.company_number = self.company_number.strip().upper()
        self.charity_number = self.charity_number.strip()
        if self.gss_code and not GSS_CODE.match(self.gss_code):
            errors["gss_code"] = "Enter a GSS code of a letter and 8 digits, like E08000018"
        if self.is_council and not self.gss_code:
            errors["gss_code"] = "Enter the council's ONS GSS code, like E08000018"
        if self.company_number and not COMPANY_NUMBER.match(self.company_number):
            errors["company_number"] = (
                "Enter a Companies House number of 8 digits, or 2 letters and 6 digits, like SC123456"
            )
        if self.charity_number and not CHARITY_NUMBER.match(self.charity_number):
            errors["charity_number"] = "Enter a charity number of 6 to 8 digits, like 1123456"
        if self.combined_authority_id and self.kind != OrganisationKind.COUNCIL:
            errors["combined_authority"] = "Only a council can belong to a combined authority"
        if errors:
            raise ValidationError(errors)

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.pk}


class Membership(models.Model):
    """A person's role in one organisation. A person may belong to several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org"),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in Role]), name="membership_role_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organisation}"

    def clean(self) -> None:
        if self.organisation_id and self.role not in roles_for_kind(self.organisation.kind):
            allowed = ", ".join(
                sorted(Role(r).label for r in roles_for_kind(self.organisation.kind))
            )
            raise ValidationError(
                {
                    "role": f"A {self.organisation.get_kind_display().lower()} has these roles: {allowed}"
                }
            )

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.organisation_id}


class Invitation(models.Model):
    """An email invitation to join an organisation in a role. The token is stored hashed."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=32, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.organisation}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "Accepted"
        if self.revoked_at:
            return "Withdrawn"
        if self.expires_at <= timezone.now():
            return "Expired"
        return "Waiting"

    @property
    def is_usable(self) -> bool:
        return self.status == "Waiting"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.organisation_id}


class SignInAttempt(models.Model):
    """One try at signing in, kept to enforce the lockout rule and for security review."""

    email = models.CharField(max_length=254, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    succeeded = models.BooleanField()
    attempted_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-attempted_at"]

    def __str__(self) -> str:
        outcome = "succeeded" if self.succeeded else "failed"
        return f"Sign-in by {self.email} {outcome} at {self.attempted_at:%Y-%m-%d %H:%M}"


class AccreditationBasis(models.TextChoices):
    SELF_DECLARED = "self_declared", "Self-declared"
    VERIFIED = "verified", "Verified"


class LivingWageAccreditation(models.Model):
    """An organisation's accreditation as a Real Living Wage employer (Living Wage Foundation).

    The Foundation publishes no list that can be read by machine, so accreditation is recorded
    with its evidence: by the organisation itself (self-declared; ``council`` empty), or by a
    council about a supplier, either as the supplier declared it or verified against evidence on
    a date. A council's record is its own; it sees the employer's own declaration too. Kept on
    this floor so every page that shows a supplier can show it; the fair work app writes it.
    """

    employer = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="living_wage_accreditations"
    )
    council = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The council whose record this is; empty for the employer's own declaration",
    )
    basis = models.CharField(max_length=16, choices=AccreditationBasis.choices)
    accredited_since = models.DateField("Accredited since")
    evidence_url = models.URLField(
        "Link to the evidence",
        blank=True,
        help_text="For example the employer's entry in the Living Wage Foundation's directory",
    )
    evidence_note = models.CharField("What the evidence shows", max_length=500, blank=True)
    checked_on = models.DateField(
        "Date the evidence was checked", null=True, blank=True, help_text="For verified records"
    )
    ended_on = models.DateField(
        "No longer accredited from", null=True, blank=True, help_text="Empty while accredited"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["employer__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["employer"],
                condition=Q(council__isnull=True),
                name="one_own_living_wage_declaration",
            ),
            models.UniqueConstraint(
                fields=["employer", "council"],
                condition=Q(council__isnull=False),
                name="one_living_wage_record_per_council",
            ),
            models.CheckConstraint(
                condition=Q(basis__in=[b.value for b in AccreditationBasis]),
                name="living_wage_basis_known",
            ),
            models.CheckConstraint(
                condition=Q(council__isnull=False) | Q(basis=AccreditationBasis.SELF_DECLARED),
                name="only_a_council_verifies_living_wage",
                violation_error_message="Only a council can verify an accreditation",
            ),
            models.CheckConstraint(
                condition=~Q(basis=AccreditationBasis.VERIFIED)
                | (Q(checked_on__isnull=False) & (~Q(evidence_url="") | ~Q(evidence_note=""))),
                name="verified_living_wage_has_evidence",
                violation_error_message="A verified accreditation needs its evidence and the "
                "date it was checked",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("accredited_since")),
                name="living_wage_ends_after_it_starts",
                violation_error_message="The end date must be on or after the date accredited",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer}: Real Living Wage employer ({self.get_basis_display().lower()})"

    @property
    def is_verified(self) -> bool:
        return self.basis == AccreditationBasis.VERIFIED

    def current_on(self, day: date) -> bool:
        """Accredited on `day`: on or after the date accredited and before any end date."""
        return self.accredited_since <= day and (self.ended_on is None or day < self.ended_on)

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.council_id or self.employer_id}
