"""Writes for partnerships: the charter and its versions, signatories and pledges, progress
returns and their review, reminders, networks grown from the charter (sharing choices, joint
actions), what councils share with their combined authority, and region-wide measure sets.

Each function validates, saves in one transaction under ``acting_as`` (so the audit trail
names the person) and sends its own email; no signals.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from commonweal.accounts import services as accounts_services
from commonweal.accounts.models import Membership, Organisation, User
from commonweal.accounts.roles import COUNCIL_EDITOR_ROLES, OrganisationKind, Role
from commonweal.core.audit import acting_as, save_audited
from commonweal.cwb import services as cwb_services
from commonweal.cwb.models import AnchorNetwork, AnchorNetworkMember
from commonweal.fairwork import services as fair_work
from commonweal.fairwork.models import EflgAssessment, EvidenceKind
from commonweal.financial_years import financial_year_label, financial_year_of
from commonweal.frameworks import local_sets
from commonweal.frameworks.models import (
    LocalMeasureSet,
    LocalMeasureSetVersion,
    Measure,
    VersionStatus,
)
from commonweal.frameworks.vocabulary import CwbPillar
from commonweal.monitoring import evidence as evidence_checks
from commonweal.monitoring.services import ReminderRun, notification_send
from commonweal.partnership import selectors
from commonweal.partnership.models import (
    ANCHOR_SECTORS,
    CURRENT_SIGNATORY,
    ActionStatus,
    CharterStatus,
    CharterVersion,
    Coordinator,
    JointAction,
    NetworkSharing,
    Partnership,
    PartnershipNetwork,
    Pledge,
    PledgeCitation,
    PledgeKind,
    Principle,
    Progress,
    ProgressEvidence,
    ProgressReturn,
    RegionSetAdoption,
    RegionSharing,
    ReturnMessage,
    ReturnStatus,
    Sector,
    SharedTopic,
    SharingLevel,
    Signatory,
    SignatoryStatus,
)
from commonweal.partnership.rules import ReviewDecisionCheck

#: The organisation kinds a signatory of each sector can be.
KINDS_FOR_SECTOR: dict[str, frozenset[str]] = {
    Sector.COUNCIL: frozenset({OrganisationKind.COUNCIL, OrganisationKind.COMBINED_AUTHORITY}),
    Sector.NHS: frozenset({OrganisationKind.ANCHOR_PARTNER}),
    Sector.EDUCATION: frozenset({OrganisationKind.ANCHOR_PARTNER}),
    Sector.POLICE: frozenset({OrganisationKind.ANCHOR_PARTNER}),
    Sector.HOUSING: frozenset({OrganisationKind.ANCHOR_PARTNER}),
    Sector.OTHER_PUBLIC: frozenset(
        {OrganisationKind.ANCHOR_PARTNER, OrganisationKind.COMBINED_AUTHORITY}
    ),
    Sector.BUSINESS: frozenset({OrganisationKind.SUPPLIER}),
    Sector.VCSE: frozenset({OrganisationKind.SUPPLIER}),
}

#: The role the first person invited to a new signatory organisation gets: its admin where
#: the kind has one, so they can invite their colleagues.
FIRST_ROLE_FOR_KIND = {
    OrganisationKind.ANCHOR_PARTNER: Role.PARTNER_CONTRIBUTOR,
    OrganisationKind.SUPPLIER: Role.SUPPLIER_ADMIN,
}


def _link(name: str, *args: Any) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _email(*, subject: str, body: str, recipients: Iterable[str]) -> None:
    """Send once the transaction commits, so nobody hears of a change that was rolled back."""
    to = sorted(set(recipients))
    if to:
        transaction.on_commit(
            lambda: send_mail(subject=subject, message=body, from_email=None, recipient_list=to)
        )


# --- Partnerships and coordinators -----------------------------------------------------------


def _unique_slug(name: str) -> str:
    base = slugify(name)[:60] or "partnership"
    slug, n = base, 2
    while Partnership.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def partnership_create(
    *, owner: Organisation, name: str, description: str = "", by: User | None
) -> Partnership:
    """Start a partnership owned by a council; the person starting it is its first coordinator
    and its charter starts as an empty draft."""
    if not owner.is_council:
        raise ValidationError("Only a council or a combined authority can own a partnership")
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter the name of the partnership"})
    if Partnership.objects.filter(owner=owner, name__iexact=name).exists():
        raise ValidationError({"name": f"{owner.name} already has a partnership called {name}"})
    partnership = Partnership(
        owner=owner,
        name=name,
        slug=_unique_slug(name),
        description=description.strip(),
        created_by=by,
    )
    partnership.full_clean()
    with transaction.atomic(), acting_as(by):
        partnership.save()
        if by is not None:
            Coordinator.objects.create(partnership=partnership, user=by, added_by=by)
        CharterVersion.objects.create(
            partnership=partnership, number=1, title=f"{name} Social Value Charter"
        )
    return partnership


def partnership_update(*, partnership: Partnership, by: User, **fields: Any) -> Partnership:
    """Change the partnership's description, public pages or return settings."""
    allowed = {"description", "is_public", "return_due_days", "reminder_days_before"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Cannot change {', '.join(sorted(unknown))}")
    for field, value in fields.items():
        setattr(partnership, field, value)
    partnership.full_clean()
    if partnership.is_public and selectors.adopted_charter(partnership) is None:
        raise ValidationError(
            {"is_public": "Adopt the charter before publishing it: there is nothing to show yet"}
        )
    with transaction.atomic(), acting_as(by):
        partnership.save()
    return partnership


def coordinator_add(*, partnership: Partnership, user: User, by: User) -> Coordinator:
    """Name someone at the owning council (an editor, not a viewer) as a coordinator."""
    if not Membership.objects.filter(
        user=user, organisation_id=partnership.owner_id, role__in=COUNCIL_EDITOR_ROLES
    ).exists():
        raise ValidationError(
            {"user": f"Choose someone who edits at {partnership.owner.name}, not a viewer"}
        )
    if partnership.coordinators.filter(user=user).exists():
        raise ValidationError({"user": f"{user} is already a coordinator"})
    with transaction.atomic(), acting_as(by):
        return Coordinator.objects.create(partnership=partnership, user=user, added_by=by)


def coordinator_remove(*, coordinator: Coordinator, by: User) -> None:
    with transaction.atomic(), acting_as(by):
        coordinator.delete()


# --- The charter --------------------------------------------------------------------------


def _require_draft(version: CharterVersion) -> None:
    if version.status != CharterStatus.DRAFT:
        raise ValidationError(
            f"Version {version.number} is adopted and cannot change. Start a new draft to "
            "change the charter."
        )


def charter_draft_update(
    *, version: CharterVersion, title: str, introduction: str, by: User
) -> CharterVersion:
    _require_draft(version)
    version.title = title.strip()
    version.introduction = introduction.strip()
    return save_audited(version, by=by)


def _check_principle(
    version: CharterVersion, measures: Sequence[Measure], cwb_pillars: Sequence[str]
) -> None:
    owner = version.partnership.owner
    unknown = sorted(set(cwb_pillars) - set(CwbPillar.values))
    if unknown:
        raise ValidationError({"cwb_pillars": f"Unknown pillars: {', '.join(unknown)}"})
    for measure in measures:
        owner_id = measure.version.framework.owner_id
        if owner_id not in (None, owner.pk, owner.combined_authority_id):
            raise ValidationError(
                {"measures": f"{owner.name} cannot use {measure.code} from {measure.version}"}
            )
        if measure.version.status != VersionStatus.PUBLISHED:
            raise ValidationError(
                {"measures": f"{measure.code} comes from {measure.version}, which is not published"}
            )


def principle_add(
    *,
    version: CharterVersion,
    title: str,
    text: str,
    cwb_pillars: Sequence[str] = (),
    measures: Sequence[Measure] = (),
    by: User,
) -> Principle:
    """Add a numbered principle to a draft charter."""
    _require_draft(version)
    _check_principle(version, measures, cwb_pillars)
    number = (version.principles.aggregate(Max("number"))["number__max"] or 0) + 1
    principle = Principle(
        charter_version=version,
        number=number,
        title=title.strip(),
        text=text.strip(),
        cwb_pillars=sorted(set(cwb_pillars)),
    )
    principle.full_clean()
    with transaction.atomic(), acting_as(by):
        principle.save()
        principle.measures.set(measures)
    return principle


def principle_update(
    *,
    principle: Principle,
    title: str,
    text: str,
    cwb_pillars: Sequence[str],
    measures: Sequence[Measure],
    by: User,
) -> Principle:
    _require_draft(principle.charter_version)
    _check_principle(principle.charter_version, measures, cwb_pillars)
    principle.title = title.strip()
    principle.text = text.strip()
    principle.cwb_pillars = sorted(set(cwb_pillars))
    principle.full_clean()
    with transaction.atomic(), acting_as(by):
        principle.save()
        principle.measures.set(measures)
    return principle


def principle_remove(*, principle: Principle, by: User) -> None:
    """Take a principle out of a draft; the ones after it move up a number."""
    version = principle.charter_version
    _require_draft(version)
    with transaction.atomic(), acting_as(by):
        principle.delete()
        for number, later in enumerate(version.principles.order_by("number"), start=1):
            if later.number != number:
                later.number = number
                later.save(update_fields=["number"])


def charter_publish(*, version: CharterVersion, adopted_on: date, by: User) -> CharterVersion:
    """Adopt the draft: from now it never changes, and it is the version organisations sign.
    The version it replaces is kept, marked superseded; its signatories keep their pledges."""
    _require_draft(version)
    if not version.principles.exists():
        raise ValidationError("Add at least one principle before adopting the charter")
    if not version.title.strip():
        raise ValidationError({"title": "Enter the charter's title"})
    with transaction.atomic(), acting_as(by):
        for older in version.partnership.charter_versions.filter(status=CharterStatus.PUBLISHED):
            older.status = CharterStatus.SUPERSEDED
            older.save(update_fields=["status"])
        version.status = CharterStatus.PUBLISHED
        version.adopted_on = adopted_on
        version.published_at = timezone.now()
        version.published_by = by
        version.full_clean()
        version.save()
    return version


def charter_new_draft(*, partnership: Partnership, by: User) -> CharterVersion:
    """Start the next version as a draft holding the adopted version's text and principles."""
    if partnership.charter_versions.filter(status=CharterStatus.DRAFT).exists():
        raise ValidationError("There is already a draft. Edit or adopt it first.")
    latest = partnership.charter_versions.order_by("-number").first()
    with transaction.atomic(), acting_as(by):
        draft = CharterVersion.objects.create(
            partnership=partnership,
            number=(latest.number + 1) if latest else 1,
            title=latest.title if latest else f"{partnership.name} Social Value Charter",
            introduction=latest.introduction if latest else "",
        )
        if latest is not None:
            for principle in latest.principles.prefetch_related("measures"):
                copy = Principle.objects.create(
                    charter_version=draft,
                    number=principle.number,
                    title=principle.title,
                    text=principle.text,
                    cwb_pillars=list(principle.cwb_pillars),
                )
                copy.measures.set(principle.measures.all())
    return draft


# --- Signatories -----------------------------------------------------------------------------


@dataclass(frozen=True)
class NewOrganisation:
    """An organisation that does not use Commonweal yet, to be invited to sign."""

    name: str
    postcode: str = ""
    company_number: str = ""
    charity_number: str = ""


def _organisation_for(
    sector: str, organisation: Organisation | None, new: NewOrganisation | None, by: User
) -> Organisation:
    if sector not in Sector.values:
        raise ValidationError({"sector": "Choose what kind of organisation it is"})
    if (organisation is None) == (new is None):
        raise ValidationError(
            {"organisation": "Choose an organisation, or enter the name of a new one"}
        )
    if organisation is not None:
        if organisation.kind not in KINDS_FOR_SECTOR[sector]:
            raise ValidationError(
                {
                    "sector": f"{organisation.name} is a "
                    f"{organisation.get_kind_display().lower()}, not a "
                    f"{Sector(sector).label.lower()}"
                }
            )
        return organisation
    assert new is not None
    if sector == Sector.COUNCIL:
        raise ValidationError(
            {"organisation": "Councils already use Commonweal: choose the council from the list"}
        )
    name = new.name.strip()
    if not name:
        raise ValidationError({"new_name": "Enter the organisation's name"})
    if Organisation.objects.filter(name__iexact=name).exists():
        raise ValidationError(
            {"new_name": f"{name} already uses Commonweal: choose it from the list instead"}
        )
    kind = sorted(KINDS_FOR_SECTOR[sector])[0]
    try:
        return accounts_services.organisation_create(
            by=by,
            kind=kind,
            name=name,
            postcode=new.postcode.strip().upper(),
            company_number=new.company_number,
            charity_number=new.charity_number,
            is_vcse=sector == Sector.VCSE,
        )
    except ValidationError as problem:
        raise ValidationError(
            {
                {"name": "new_name"}.get(field, field): errors
                for field, errors in problem.message_dict.items()
            }
        ) from None


def signatory_invite(
    *,
    partnership: Partnership,
    sector: str,
    email: str,
    organisation: Organisation | None = None,
    new_organisation: NewOrganisation | None = None,
    by: User,
) -> Signatory:
    """Invite an organisation to sign the charter, by email to a person there.

    A person who already belongs to the organisation is emailed a link to the charter. For an
    organisation nobody uses yet (new here, or with no people), the person is invited to join it
    through Commonweal's own invitations, as its first member. An organisation that has people
    is never joined by invitation from outside: choose one of its people instead.
    """
    if selectors.adopted_charter(partnership) is None:
        raise ValidationError("Adopt the charter before inviting organisations to sign it")
    email = email.strip().lower()
    if not email:
        raise ValidationError({"email": "Enter the email address of a person there"})
    with transaction.atomic(), acting_as(by):
        target = _organisation_for(sector, organisation, new_organisation, by)
        if partnership.signatories.filter(
            organisation=target, status__in=CURRENT_SIGNATORY
        ).exists():
            raise ValidationError(
                {"organisation": f"{target.name} is already invited or has signed"}
            )
        members = Membership.objects.filter(organisation=target)
        is_member = members.filter(user__email=email).exists()
        account_link = ""
        if not is_member:
            if members.exists():
                raise ValidationError(
                    {
                        "email": f"{email} is not one of {target.name}'s people in Commonweal. "
                        "Invite one of its people, or ask its admin to add this person first."
                    }
                )
            role = FIRST_ROLE_FOR_KIND.get(OrganisationKind(target.kind))
            if role is None:
                raise ValidationError(
                    {"organisation": f"{target.name} has nobody in Commonweal to sign for it"}
                )
            _, account_link = accounts_services.invitation_create(
                organisation=target, email=email, role=role, by=by, send=False
            )
        signatory = Signatory(
            partnership=partnership,
            organisation=target,
            sector=sector,
            invited_email=email,
            invited_by=by,
        )
        signatory.full_clean()
        signatory.save()
        charter_link = _link("partnership:signatory", signatory.pk)
        steps = (
            f"First accept the invitation to join {target.name} on Commonweal: {account_link}\n"
            f"(the link works once and expires in {settings.INVITATION_VALID_DAYS} days).\n\n"
            f"Then read the charter and sign it: {charter_link}\n"
            if account_link
            else f"Read the charter and sign it: {charter_link}\n"
        )
        _email(
            subject=f"Invitation to sign the {partnership.name} Social Value Charter",
            body=(
                f"{by.full_name} of {partnership.owner.name} invites {target.name} to sign the "
                f"{partnership.name} Social Value Charter and make pledges under its "
                "principles. Signatories report their progress on each pledge once a year.\n\n"
                f"{steps}"
            ),
            recipients=[email],
        )
    return signatory


def _require_status(signatory: Signatory, *statuses: str) -> None:
    if signatory.status not in statuses:
        raise ValidationError(
            f"{signatory.organisation.name} has {signatory.get_status_display().lower()}"
        )


def signatory_sign(
    *,
    signatory: Signatory,
    signed_by_name: str,
    signed_by_role: str,
    signed_on: date,
    by: User,
    today: date | None = None,
) -> Signatory:
    """Record the signature: who signed, in what role, on what day, the version in force."""
    _require_status(signatory, SignatoryStatus.INVITED)
    today = today or timezone.localdate()
    version = selectors.adopted_charter(signatory.partnership)
    if version is None:
        raise ValidationError("The charter has no adopted version to sign")
    problems: dict[str, str] = {}
    if not signed_by_name.strip():
        problems["signed_by_name"] = "Enter the name of the person who signed"
    if not signed_by_role.strip():
        problems["signed_by_role"] = "Enter their job title, like Chief Executive"
    if signed_on > today:
        problems["signed_on"] = "The date signed must be today or in the past"
    elif version.adopted_on and signed_on < version.adopted_on:
        problems["signed_on"] = (
            f"The date signed must be on or after {version.adopted_on:%-d %B %Y}, when this "
            "version was adopted"
        )
    if problems:
        raise ValidationError(problems)
    signatory.status = SignatoryStatus.SIGNED
    signatory.charter_version = version
    signatory.signed_by_name = signed_by_name.strip()
    signatory.signed_by_role = signed_by_role.strip()
    signatory.signed_on = signed_on
    signatory.recorded_by = by
    signatory.full_clean()
    with transaction.atomic(), acting_as(by):
        signatory.save()
        _email(
            subject=f"{signatory.organisation.name} signed the {signatory.partnership.name} charter",
            body=(
                f"{signatory.signed_by_name}, {signatory.signed_by_role}, signed for "
                f"{signatory.organisation.name} on {signed_on:%-d %B %Y}.\n\n"
                f"{_link('partnership:signatory', signatory.pk)}"
            ),
            recipients=selectors.coordinator_emails(signatory.partnership),
        )
    return signatory


def signatory_end(
    *, signatory: Signatory, reason: str, on: date, by: User, today: date | None = None
) -> Signatory:
    """An invitation declined, or a signature withdrawn. The record and its pledges and returns
    stay as history; signing again starts a new record. Nothing is owed after withdrawal."""
    _require_status(signatory, *CURRENT_SIGNATORY)
    today = today or timezone.localdate()
    if on > today:
        raise ValidationError({"on": "The date must be today or in the past"})
    if signatory.signed_on and on < signatory.signed_on:
        raise ValidationError({"on": "The date must be on or after the day it signed"})
    signatory.status = (
        SignatoryStatus.WITHDRAWN
        if signatory.status == SignatoryStatus.SIGNED
        else SignatoryStatus.DECLINED
    )
    signatory.ended_on = on
    signatory.ended_reason = reason.strip()
    signatory.ended_by = by
    signatory.full_clean()
    with transaction.atomic(), acting_as(by):
        signatory.save()
        _email(
            subject=(
                f"{signatory.organisation.name} {signatory.get_status_display().lower()} "
                f"({signatory.partnership.name} charter)"
            ),
            body=(
                f"{signatory.organisation.name} {signatory.get_status_display().lower()} on "
                f"{on:%-d %B %Y}."
                + (f" The reason given: {signatory.ended_reason}" if signatory.ended_reason else "")
                + f"\n\n{_link('partnership:signatory', signatory.pk)}"
            ),
            recipients=selectors.coordinator_emails(signatory.partnership),
        )
    return signatory


def pledge_add(
    *,
    signatory: Signatory,
    principle: Principle,
    kind: str,
    measure: Measure | None = None,
    quantity: Decimal | None = None,
    target_year: int | None = None,
    commitment: str = "",
    made_on: date | None = None,
    by: User,
) -> Pledge:
    """A pledge under a principle of the version the signatory signed: a target against one of
    the principle's measures (a quantity by a financial year) or a commitment in words. It is
    made today, or on an earlier day from the signature on (a pledge recorded from paper)."""
    _require_status(signatory, SignatoryStatus.SIGNED)
    made_on = made_on or timezone.localdate()
    if principle.charter_version_id != signatory.charter_version_id:
        raise ValidationError({"principle": "Choose a principle of the charter you signed"})
    problems: dict[str, str] = {}
    if kind == PledgeKind.TARGET:
        if measure is None:
            problems["measure"] = "Choose the measure the target counts"
        elif not principle.measures.filter(pk=measure.pk).exists():
            problems["measure"] = f"{measure.code} is not one of this principle's measures"
        if quantity is None or quantity <= 0:
            problems["quantity"] = "Enter the target as a number more than 0, like 12"
        if target_year is None:
            problems["target_year"] = "Choose the financial year the target is for"
        elif signatory.signed_on and target_year < financial_year_of(signatory.signed_on):
            problems["target_year"] = "Choose this financial year or a later one"
    elif kind == PledgeKind.COMMITMENT:
        measure = quantity = target_year = None
        if not commitment.strip():
            problems["commitment"] = "Enter what your organisation commits to"
    else:
        problems["kind"] = "Choose a target or a commitment in words"
    if made_on > timezone.localdate():
        problems["made_on"] = "The date the pledge was made must be today or in the past"
    elif signatory.signed_on and made_on < signatory.signed_on:
        problems["made_on"] = "The date the pledge was made must be on or after the signature"
    if problems:
        raise ValidationError(problems)
    pledge = Pledge(
        signatory=signatory,
        principle=principle,
        kind=kind,
        measure=measure,
        quantity=quantity,
        target_year=target_year,
        commitment=commitment.strip(),
        made_on=made_on,
        created_by=by,
    )
    return save_audited(pledge, by=by)


def pledge_withdraw(*, pledge: Pledge, on: date, by: User) -> Pledge:
    """A pledge the signatory no longer makes; kept, with the returns made on it."""
    if pledge.withdrawn_on is not None:
        raise ValidationError("This pledge is already withdrawn")
    if on > timezone.localdate():
        raise ValidationError({"on": "The date must be today or in the past"})
    pledge.withdrawn_on = on
    with transaction.atomic(), acting_as(by):
        pledge.save(update_fields=["withdrawn_on"])
        for citation in pledge.citations.select_related("evidence"):
            fair_work.evidence_record_relabel(
                evidence=citation.evidence,
                linked_record=selectors.pledge_citation_label(pledge),
                by=by,
            )
    return pledge


def pledge_cite(
    *, pledge: Pledge, assessment: EflgAssessment, description: str, by: User
) -> PledgeCitation:
    """Cite a pledge as evidence in the council's Equality Framework self-assessment: one the
    council may see (under a charter it runs, or its own), signed and not withdrawn. Fair work's
    evidence record and the citation are written together."""
    council_id = assessment.criterion.council_id
    if not selectors.citable_pledges(council_id).filter(pk=pledge.pk).exists():
        raise ValidationError({"pledge": "Choose a current pledge your council may see"})
    with transaction.atomic():
        evidence = fair_work.evidence_add(
            assessment=assessment,
            kind=EvidenceKind.PLEDGE,
            description=description,
            linked_record=selectors.pledge_citation_label(pledge),
            linked_address=reverse("partnership:signatory", args=[pledge.signatory_id])
            + f"#pledge-{pledge.pk}",
            by=by,
        )
        citation = PledgeCitation(
            evidence=evidence, pledge=pledge, council_id=council_id, cited_by=by
        )
        with acting_as(by):
            citation.save()
    return citation


# --- Progress returns ------------------------------------------------------------------------


def progress_return_start(
    *, pledge: Pledge, financial_year: int, by: User, today: date | None = None
) -> ProgressReturn:
    """The return on a pledge for a year that is owed (a draft, made if need be)."""
    today = today or timezone.localdate()
    if financial_year not in selectors.years_owed(pledge, today=today):
        raise ValidationError(
            f"No return is owed on this pledge for {financial_year_label(financial_year)}"
        )
    with transaction.atomic(), acting_as(by):
        progress_return, _ = ProgressReturn.objects.get_or_create(
            pledge=pledge, financial_year=financial_year
        )
    return progress_return


def _require_editable(progress_return: ProgressReturn) -> None:
    if progress_return.status not in (ReturnStatus.DRAFT, ReturnStatus.QUERIED):
        raise ValidationError(
            f"This return is {progress_return.get_status_display().lower()} and cannot change"
        )


def progress_return_save(
    *,
    progress_return: ProgressReturn,
    progress: str,
    reported_quantity: Decimal | None,
    narrative: str,
    evidence_url: str = "",
    evidence_file: UploadedFile[bytes] | None = None,
    by: User,
) -> ProgressReturn:
    """Save the signatory's answers, with a file of evidence if one is given; a draft (or a
    queried return) stays open to change. A refused file (``EvidenceRefused``) saves nothing."""
    _require_editable(progress_return)
    if progress and progress not in Progress.values:
        raise ValidationError({"progress": "Choose how the pledge is going"})
    if progress_return.pledge.kind == PledgeKind.COMMITMENT:
        reported_quantity = None
    elif reported_quantity is not None and reported_quantity < 0:
        raise ValidationError({"reported_quantity": "Enter a figure of 0 or more"})
    progress_return.progress = progress
    progress_return.reported_quantity = reported_quantity
    progress_return.narrative = narrative.strip()
    progress_return.evidence_url = evidence_url.strip()
    progress_return.full_clean()
    # The file is checked before anything is written.
    evidence = _evidence_record(progress_return, evidence_file, by) if evidence_file else None
    with transaction.atomic(), acting_as(by):
        progress_return.save()
        if evidence is not None and evidence_file is not None:
            _evidence_store(evidence, evidence_file)
    return progress_return


def progress_evidence_add(
    *, progress_return: ProgressReturn, upload: UploadedFile[bytes], by: User
) -> ProgressEvidence:
    """Attach a file, checked by content, size and (when configured) virus scan as supplier
    evidence is. Raises ``EvidenceRefused`` with the reason."""
    _require_editable(progress_return)
    record = _evidence_record(progress_return, upload, by)
    with transaction.atomic(), acting_as(by):
        _evidence_store(record, upload)
    return record


def _evidence_record(
    progress_return: ProgressReturn, upload: UploadedFile[bytes], by: User
) -> ProgressEvidence:
    """The evidence record of a checked file (``EvidenceRefused`` when it is refused)."""
    allowed = evidence_checks.check_upload(upload, upload.size or 0)
    return ProgressEvidence(
        progress_return=progress_return,
        original_name=evidence_checks.safe_name(upload.name or "evidence", allowed),
        content_type=allowed.content_type,
        size=upload.size or 0,
        sha256=evidence_checks.sha256_of(upload),
        uploaded_by=by,
    )


def _evidence_store(record: ProgressEvidence, upload: UploadedFile[bytes]) -> None:
    extension = record.original_name.rsplit(".", 1)[-1] if "." in record.original_name else "bin"
    record.file.save(f"{uuid.uuid4().hex}.{extension}", File(upload), save=False)
    record.save()


def progress_return_submit(
    *, progress_return: ProgressReturn, by: User, answer: str = "", today: date | None = None
) -> ProgressReturn:
    """Send the return to the coordinators. A target pledge needs its figure; every return says
    how it is going and a few words why. A queried return goes back with the answer."""
    _require_editable(progress_return)
    today = today or timezone.localdate()
    problems: dict[str, str] = {}
    if not progress_return.progress:
        problems["progress"] = "Choose how the pledge is going"
    if not progress_return.narrative:
        problems["narrative"] = "Say in a few words what was done this year"
    if (
        progress_return.pledge.kind == PledgeKind.TARGET
        and progress_return.reported_quantity is None
    ):
        unit = progress_return.pledge.measure.unit if progress_return.pledge.measure else ""
        problems["reported_quantity"] = f"Enter the figure for the year, in {unit}".rstrip(", in")
    was_queried = progress_return.status == ReturnStatus.QUERIED
    if was_queried and not answer.strip():
        problems["answer"] = "Answer the coordinator's question"
    if problems:
        raise ValidationError(problems)
    partnership = progress_return.pledge.signatory.partnership
    with transaction.atomic(), acting_as(by):
        claimed = ProgressReturn.objects.filter(
            pk=progress_return.pk, status=progress_return.status
        ).update(status=ReturnStatus.SUBMITTED)
        if claimed != 1:
            raise ValidationError("Someone else changed this return; open it again")
        progress_return.refresh_from_db()
        if not was_queried:
            progress_return.submitted_at = timezone.now()
            progress_return.submitted_by = by
            progress_return.submitted_late = selectors.due_rule(partnership).is_late(
                progress_return.financial_year, today
            )
        progress_return.save()
        if was_queried:
            ReturnMessage.objects.create(
                progress_return=progress_return,
                kind=ReturnMessage.Kind.ANSWER,
                body=answer.strip(),
                author=by,
            )
    return progress_return


def progress_return_review(
    *,
    progress_return: ProgressReturn,
    decision: str,
    reviewed_quantity: Decimal | None,
    note: str,
    by: User,
) -> ProgressReturn:
    """The coordinator accepts the return (with the figure the partnership stands behind, up
    to the figure reported) or queries it (the signatory is told, answers, and sends it back).
    The reported figure is never changed or added to the reviewed one."""
    if progress_return.status != ReturnStatus.SUBMITTED:
        raise ValidationError(
            f"This return is {progress_return.get_status_display().lower()}, not waiting for review"
        )
    if decision == ReviewDecisionCheck.ACCEPT and progress_return.reported_quantity is None:
        reviewed_quantity = None
    problems = ReviewDecisionCheck().problems(
        decision=decision,
        reported=progress_return.reported_quantity,
        reviewed=reviewed_quantity,
        note=note,
        year=progress_return.financial_year,
    )
    if problems:
        raise ValidationError(problems)
    signatory = progress_return.pledge.signatory
    with transaction.atomic(), acting_as(by):
        claimed = ProgressReturn.objects.filter(
            pk=progress_return.pk, status=ReturnStatus.SUBMITTED
        ).update(
            status=(
                ReturnStatus.ACCEPTED
                if decision == ReviewDecisionCheck.ACCEPT
                else ReturnStatus.QUERIED
            )
        )
        if claimed != 1:
            raise ValidationError("Someone else reviewed this return first; open it again")
        progress_return.refresh_from_db()
        progress_return.reviewed_at = timezone.now()
        progress_return.reviewed_by = by
        if decision == ReviewDecisionCheck.ACCEPT:
            progress_return.reviewed_quantity = reviewed_quantity
        progress_return.full_clean()
        progress_return.save()
        message = (
            ReturnMessage.objects.create(
                progress_return=progress_return,
                kind=(
                    ReturnMessage.Kind.QUERY
                    if decision == ReviewDecisionCheck.QUERY
                    else ReturnMessage.Kind.DECISION
                ),
                body=note.strip(),
                author=by,
            )
            if note.strip()
            else None
        )
        if decision == ReviewDecisionCheck.QUERY and message is not None:
            notification_send(
                recipients=selectors.signatory_writers(signatory),
                organisation_id=signatory.organisation_id,
                subject=f"A question on your {progress_return.year_label} charter return",
                body=(
                    f"{by.full_name} of {signatory.partnership.name} has a question on your "
                    f"progress return {progress_return.reference} for "
                    f"{progress_return.year_label}: {note.strip()}"
                ),
                url=reverse("partnership:return-detail", args=[progress_return.pk]),
                dedupe_key=f"charter-query-{message.pk}",
            )
    return progress_return


def progress_reminders_send(*, today: date) -> ReminderRun:
    """Remind signatories of charter returns due soon and overdue (one message per signatory
    and year, listing what is owed). Each reminder goes to each person once; safe to run often."""
    created = emailed = 0
    for item in selectors.returns_owed_everywhere(today=today):
        partnership = item.signatory.partnership
        due_on = item.due_on
        if due_on < today:
            kind = "overdue"
            subject = f"Overdue: your {item.year_label} progress returns for {partnership.name}"
            when = f"were due on {due_on:%-d %B %Y}. Please send them as soon as you can."
        elif due_on - timedelta(days=partnership.reminder_days_before) <= today:
            kind = "due"
            subject = f"Your {item.year_label} progress returns for {partnership.name} are due"
            when = f"are due by {due_on:%-d %B %Y}."
        else:
            continue
        made, sent = notification_send(
            recipients=selectors.signatory_writers(item.signatory),
            organisation_id=item.signatory.organisation_id,
            subject=subject,
            body=(
                f"{item.signatory.organisation.name}'s progress returns on "
                f"{item.count} pledge{'s' if item.count != 1 else ''} to the "
                f"{partnership.name} Social Value Charter for {item.year_label} {when}"
            ),
            url=reverse("partnership:signatory", args=[item.signatory.pk]),
            dedupe_key=f"charter-return-{kind}-{item.signatory.pk}-{item.financial_year}",
        )
        created, emailed = created + made, emailed + sent
    return ReminderRun(created, emailed)


# --- Anchor networks grown from the charter ------------------------------------------------


def network_start(*, partnership: Partnership, name: str, by: User) -> PartnershipNetwork:
    """Start an anchor network convened by the partnership's council, grown from its charter."""
    with transaction.atomic(), acting_as(by):
        network = cwb_services.anchor_network_create(convener=partnership.owner, name=name, by=by)
        return PartnershipNetwork.objects.create(
            partnership=partnership, network=network, linked_by=by
        )


def network_link(
    *, partnership: Partnership, network: AnchorNetwork, by: User
) -> PartnershipNetwork:
    """Link a network the partnership's council already convenes to the partnership."""
    if network.convener_id != partnership.owner_id:
        raise ValidationError({"network": f"{partnership.owner.name} does not convene it"})
    try:
        with transaction.atomic(), acting_as(by):
            return PartnershipNetwork.objects.create(
                partnership=partnership, network=network, linked_by=by
            )
    except IntegrityError:
        raise ValidationError(
            {"network": f"{network.name} already belongs to a partnership"}
        ) from None


def network_invite_signatory(
    *, link: PartnershipNetwork, signatory: Signatory, by: User
) -> AnchorNetworkMember:
    """Invite a signatory that is an anchor institution into the network (cwb sends the
    invitation; its figures count once one of its people accepts)."""
    if signatory.partnership_id != link.partnership_id or signatory.status != "signed":
        raise ValidationError({"signatory": "Choose an organisation that has signed the charter"})
    if signatory.sector not in ANCHOR_SECTORS:
        raise ValidationError(
            {
                "signatory": f"{signatory.organisation.name} is a "
                f"{signatory.get_sector_display().lower()}, not an anchor institution"
            }
        )
    return cwb_services.anchor_network_invite(
        network=link.network, organisation=signatory.organisation, by=by
    )


def sharing_update(
    *, place: AnchorNetworkMember, choices: dict[str, str], by: User
) -> list[NetworkSharing]:
    """A member decides, topic by topic, what it shares with the network."""
    if place.status != AnchorNetworkMember.Status.JOINED:
        raise ValidationError("Join the network before choosing what to share")
    saved = []
    with transaction.atomic(), acting_as(by):
        for topic, level in choices.items():
            if topic not in SharedTopic.values or level not in SharingLevel.values:
                raise ValidationError({topic: "Choose what to share"})
            choice = NetworkSharing.objects.filter(place=place, topic=topic).first() or (
                NetworkSharing(place=place, topic=topic)
            )
            if choice.pk and choice.level == level:
                saved.append(choice)
                continue
            choice.level = level
            choice.updated_by = by
            choice.full_clean()
            choice.save()
            saved.append(choice)
    return saved


def _check_action(network: AnchorNetwork, action: JointAction) -> None:
    if not network.members.filter(
        organisation_id=action.lead_organisation_id, status=AnchorNetworkMember.Status.JOINED
    ).exists():
        raise ValidationError({"lead_organisation": "Choose a member of the network to lead it"})
    action.full_clean()


def joint_action_create(*, network: AnchorNetwork, by: User, **fields: Any) -> JointAction:
    action = JointAction(network=network, created_by=by, **fields)
    _check_action(network, action)
    with transaction.atomic(), acting_as(by):
        action.save()
    return action


def joint_action_update(*, action: JointAction, by: User, **fields: Any) -> JointAction:
    for field, value in fields.items():
        setattr(action, field, value)
    if action.status not in ActionStatus.values:
        raise ValidationError({"status": "Choose the action's status"})
    _check_action(action.network, action)
    with transaction.atomic(), acting_as(by):
        action.save()
    return action


# --- The combined authority's region ---------------------------------------------------------


def region_sharing_update(
    *, council: Organisation, by: User | None, **parts: bool
) -> RegionSharing:
    """What the council shares with its combined authority. Each change is audited (``by`` None:
    the system, as when the demo sets it)."""
    if council.kind != OrganisationKind.COUNCIL or council.combined_authority_id is None:
        raise ValidationError("Only a council in a combined authority shares figures with it")
    allowed = {"procurements", "delivery", "spend", "partnerships"}
    unknown = set(parts) - allowed
    if unknown:
        raise ValueError(f"Cannot share {', '.join(sorted(unknown))}")
    with transaction.atomic(), acting_as(by):
        sharing = RegionSharing.objects.filter(council=council).first() or RegionSharing(
            council=council
        )
        for part, value in parts.items():
            setattr(sharing, part, bool(value))
        sharing.updated_by = by
        sharing.save()
    return sharing


def region_set_adopt(
    *,
    council: Organisation,
    region_version: LocalMeasureSetVersion,
    in_force_from: date,
    by: User | None,
) -> RegionSetAdoption:
    """Adopt a published version of the combined authority's region-wide measure set as a
    measure set of the council's own, published (in force from the date given) so its
    procurements use it. Adopting a later version adds a version to the same set."""
    authority_id = council.combined_authority_id
    source_set = region_version.measure_set
    if authority_id is None or source_set.owner_id != authority_id:
        raise ValidationError("Choose a measure set your combined authority published")
    if region_version.status != VersionStatus.PUBLISHED:
        raise ValidationError(f"{region_version} is not published")
    if RegionSetAdoption.objects.filter(council=council, region_version=region_version).exists():
        raise ValidationError(f"{council.name} has already adopted {region_version}")
    earlier = (
        RegionSetAdoption.objects.filter(council=council, region_version__measure_set=source_set)
        .select_related("council_version__measure_set")
        .first()
    )
    with transaction.atomic(), acting_as(by):
        if earlier is not None:
            measure_set: LocalMeasureSet = earlier.council_version.measure_set
            draft = local_sets.set_version_create_draft(measure_set=measure_set, by=by)
            for item in list(draft.items.select_related("measure")):
                local_sets.set_item_remove(set_version=draft, measure=item.measure, by=by)
        else:
            name = source_set.name
            if LocalMeasureSet.objects.filter(owner=council, name__iexact=name).exists():
                name = f"{name} ({source_set.owner.name})"
            measure_set = local_sets.measure_set_create(
                owner=council,
                name=name,
                description=(
                    f"Adopted from {source_set.owner.name}'s region-wide measure set, so "
                    "figures across the region compare."
                ),
                by=by,
            )
            draft = measure_set.versions.get()
        for item in region_version.items.select_related("measure__version__framework"):
            local_sets.set_item_add(set_version=draft, measure=item.measure, by=by)
        deflator = region_version.deflator
        if deflator is not None and deflator.owner_id in (None, council.pk):
            local_sets.set_version_deflator_choose(set_version=draft, deflator=deflator, by=by)
        draft.notes = f"Adopted from {region_version} on {timezone.localdate():%-d %B %Y}"
        draft.save(update_fields=["notes"])
        local_sets.set_version_publish(set_version=draft, in_force_from=in_force_from, by=by)
        return RegionSetAdoption.objects.create(
            council=council, region_version=region_version, council_version=draft, adopted_by=by
        )
