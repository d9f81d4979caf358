"""Partnership records: a partnership's Social Value Charter (versioned principles), the
organisations that sign it and their pledges, their yearly progress returns and the
coordinator's review, anchor networks grown from the charter (what each member shares, joint
actions), and what each council shares with its combined authority.

The anchor networks themselves (members, invitations, pooled spend) are cwb's; this app links
them to a partnership and adds sharing choices and joint actions.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from commonweal.financial_years import financial_year_label


class Sector(models.TextChoices):
    """What kind of organisation a signatory is."""

    COUNCIL = "council", "Council or combined authority"
    NHS = "nhs", "NHS trust"
    EDUCATION = "education", "College or university"
    POLICE = "police", "Police, fire or rescue service"
    HOUSING = "housing", "Housing association"
    OTHER_PUBLIC = "other_public", "Other public body"
    BUSINESS = "business", "Business"
    VCSE = "vcse", "Voluntary, community or social enterprise"


#: Sectors whose organisations are anchor institutions: rooted in the place, large spenders and
#: employers (CLES). Only these signatories can be invited into an anchor network.
ANCHOR_SECTORS = frozenset(
    {Sector.COUNCIL, Sector.NHS, Sector.EDUCATION, Sector.POLICE, Sector.HOUSING}
)


class Partnership(models.Model):
    """A place's partnership of organisations (like the Rotherham Together Partnership), owned
    by a council whose coordinators run its charter."""

    owner = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="partnerships"
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True, help_text="Its address on the public pages")
    description = models.TextField(blank=True)
    is_public = models.BooleanField(
        "Publish the charter, its signatories and pledges, and its networks' combined figures",
        default=False,
    )
    return_due_days = models.PositiveSmallIntegerField(
        "Days after the financial year ends that progress returns are due",
        default=91,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="91 days makes them due on 30 June",
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        "Days before a return is due that signatories are reminded",
        default=14,
        validators=[MaxValueValidator(90)],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "name"], name="one_partnership_name_per_owner"
            ),
            models.CheckConstraint(
                condition=Q(return_due_days__gte=1) & Q(return_due_days__lte=365),
                name="partnership_return_due_days_in_a_year",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.owner_id}


class Coordinator(models.Model):
    """A person at the owning council who runs the partnership's charter: invites signatories,
    reviews their progress returns, grows networks from it."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="coordinators"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coordinator_of"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "user"], name="coordinator_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} coordinates {self.partnership}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.partnership.owner_id}


class CharterStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Adopted"
    SUPERSEDED = "superseded", "Superseded"


class CharterVersion(models.Model):
    """One version of the charter's text. A draft is edited; once adopted it never changes, and
    signatories sign (and pledge against) the version in force when they sign."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="charter_versions"
    )
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=CharterStatus.choices, default=CharterStatus.DRAFT
    )
    adopted_on = models.DateField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["partnership", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "number"], name="charter_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["partnership"],
                condition=Q(status="draft"),
                name="one_charter_draft_per_partnership",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(adopted_on__isnull=False),
                name="adopted_charter_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.number})"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.partnership.owner_id}


class Principle(models.Model):
    """A numbered principle of the charter, mapped to CWB pillars and to framework measures a
    pledge against it can target."""

    charter_version = models.ForeignKey(
        CharterVersion, on_delete=models.CASCADE, related_name="principles"
    )
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    text = models.TextField()
    cwb_pillars = models.JSONField(default=list, blank=True)
    measures = models.ManyToManyField("frameworks.Measure", blank=True, related_name="+")

    class Meta:
        ordering = ["charter_version", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["charter_version", "number"], name="principle_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.charter_version.partnership.owner_id}


class SignatoryStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    SIGNED = "signed", "Signed"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


CURRENT_SIGNATORY = (SignatoryStatus.INVITED, SignatoryStatus.SIGNED)


class Signatory(models.Model):
    """An organisation's place on the charter: invited, then signed (who, in what role, when,
    which version), perhaps later withdrawn. A withdrawn or declined record stays as history;
    signing again makes a new record."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="signatories"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="charter_signatures"
    )
    sector = models.CharField(max_length=16, choices=Sector.choices)
    status = models.CharField(
        max_length=16, choices=SignatoryStatus.choices, default=SignatoryStatus.INVITED
    )
    invited_email = models.EmailField(blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    charter_version = models.ForeignKey(
        CharterVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_by_name = models.CharField("Name of the person who signed", max_length=200, blank=True)
    signed_by_role = models.CharField("Their job title", max_length=200, blank=True)
    signed_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_on = models.DateField(null=True, blank=True, help_text="Declined or withdrawn on")
    ended_reason = models.TextField(blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["organisation__name", "-invited_at"]
        verbose_name_plural = "signatories"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"],
                condition=Q(status__in=["invited", "signed"]),
                name="one_current_signatory_per_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(status="signed")
                | (
                    Q(signed_on__isnull=False)
                    & Q(charter_version__isnull=False)
                    & ~Q(signed_by_name="")
                ),
                name="signed_signatory_says_who_and_when",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["declined", "withdrawn"]) | Q(ended_on__isnull=False),
                name="ended_signatory_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} on {self.partnership}"

    @property
    def is_anchor(self) -> bool:
        return self.sector in ANCHOR_SECTORS

    @property
    def is_current(self) -> bool:
        return self.status in CURRENT_SIGNATORY

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.partnership.owner_id}


class PledgeKind(models.TextChoices):
    TARGET = "target", "A measurable target"
    COMMITMENT = "commitment", "A commitment in words"


class Pledge(models.Model):
    """What a signatory promises under one principle: a target (a measure, a quantity, the
    financial year to reach it by) or, where no measure fits, a commitment in words."""

    signatory = models.ForeignKey(Signatory, on_delete=models.CASCADE, related_name="pledges")
    principle = models.ForeignKey(Principle, on_delete=models.PROTECT, related_name="pledges")
    kind = models.CharField(max_length=16, choices=PledgeKind.choices)
    measure = models.ForeignKey(
        "frameworks.Measure", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The financial year the target is for, by its first calendar year (2025 is "
        "2025-26)",
    )
    commitment = models.TextField(blank=True)
    made_on = models.DateField(
        help_text="When the pledge was made: returns are owed for each year that ends after it"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["principle__number", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind="target",
                    measure__isnull=False,
                    quantity__gt=0,
                    target_year__isnull=False,
                )
                | Q(kind="commitment", measure__isnull=True, quantity__isnull=True)
                & ~Q(commitment=""),
                name="pledge_is_a_target_or_a_commitment",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == PledgeKind.TARGET and self.measure is not None and self.quantity:
            return f"{self.quantity.normalize():f} {self.measure.unit} of {self.measure.code}"
        return self.commitment[:80]

    @property
    def target_year_label(self) -> str:
        return financial_year_label(self.target_year) if self.target_year else ""

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.signatory.partnership.owner_id}


class PledgeCitation(models.Model):
    """A pledge cited as evidence in a council's Equality Framework self-assessment: the link
    from fair work's evidence record (a floor below) to the pledge, which it keeps from being
    removed while cited."""

    evidence = models.OneToOneField(
        "fairwork.EflgEvidence", on_delete=models.CASCADE, related_name="pledge_citation"
    )
    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="citations")
    council = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    cited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.pledge} cited by {self.council}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.council_id}


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    QUERIED = "queried", "Queried"
    ACCEPTED = "accepted", "Accepted"


class Progress(models.TextChoices):
    ACHIEVED = "achieved", "Achieved"
    ON_TRACK = "on_track", "On track"
    BEHIND = "behind", "Behind"
    NOT_STARTED = "not_started", "Not started"


class ProgressReturn(models.Model):
    """A signatory's light yearly report on one pledge: how it is going, the figure it reports
    (self-reported) and a short narrative, reviewed by a coordinator, who accepts it with the
    figure the partnership stands behind (reviewed) or queries it. The reported and reviewed
    figures are separate columns, never added, as claimed and verified are."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="returns")
    financial_year = models.PositiveSmallIntegerField(
        help_text="By its first calendar year: 2025 is 2025-26"
    )
    status = models.CharField(
        max_length=16, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT
    )
    progress = models.CharField(max_length=16, choices=Progress.choices, blank=True)
    reported_quantity = models.DecimalField(
        "Self-reported figure", max_digits=16, decimal_places=4, null=True, blank=True
    )
    narrative = models.TextField(blank=True)
    evidence_url = models.URLField("Link to evidence", blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_late = models.BooleanField(default=False)
    reviewed_quantity = models.DecimalField(
        "Reviewed figure", max_digits=16, decimal_places=4, null=True, blank=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-financial_year", "pledge__principle__number", "pledge_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pledge", "financial_year"], name="one_progress_return_per_pledge_year"
            ),
            models.CheckConstraint(
                condition=Q(reviewed_quantity__isnull=True)
                | Q(status="accepted", reviewed_quantity__lte=models.F("reported_quantity")),
                name="reviewed_figure_only_when_accepted_and_at_most_reported",
                violation_error_message=(
                    "The reviewed figure cannot be more than the signatory reported"
                ),
            ),
            models.CheckConstraint(
                condition=Q(reported_quantity__isnull=True) | Q(reported_quantity__gte=0),
                name="reported_figure_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"Progress on {self.pledge} in {self.year_label}"

    @property
    def year_label(self) -> str:
        return financial_year_label(self.financial_year)

    @property
    def reference(self) -> str:
        return f"CPR-{self.pk:06d}" if self.pk else ""

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.pledge.signatory.partnership.owner_id}


class ReturnMessage(models.Model):
    """One message on a progress return: a coordinator's query, the signatory's answer, or the
    note with a decision."""

    class Kind(models.TextChoices):
        QUERY = "query", "Query"
        ANSWER = "answer", "Answer"
        DECISION = "decision", "Decision"

    progress_return = models.ForeignKey(
        ProgressReturn, on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    body = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.progress_return}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.progress_return.pledge.signatory.partnership.owner_id}


class ProgressEvidence(models.Model):
    """A file a signatory attached to a progress return, checked by content as supplier
    evidence is, stored under a random name and only ever downloaded."""

    progress_return = models.ForeignKey(
        ProgressReturn, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(upload_to="partnership-evidence/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name_plural = "progress evidence"

    def __str__(self) -> str:
        return self.original_name

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.progress_return.pledge.signatory.partnership.owner_id}


# --- Anchor networks grown from the charter ------------------------------------------------


class PartnershipNetwork(models.Model):
    """An anchor network (cwb's) that grew out of this partnership's charter."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="network_links"
    )
    network = models.OneToOneField(
        "cwb.AnchorNetwork", on_delete=models.CASCADE, related_name="partnership_link"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["network__name"]

    def __str__(self) -> str:
        return f"{self.network} of {self.partnership}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.partnership.owner_id}


class SharedTopic(models.TextChoices):
    SPEND = "spend", "Spend in the local economy"
    JOBS = "jobs", "Jobs and apprenticeships"


class SharingLevel(models.TextChoices):
    NONE = "none", "Not shared"
    POOLED = "pooled", "Only in the network's combined figures"
    NAMED = "named", "By name, beside the other members, and in the combined figures"


#: What a member shares when it has chosen nothing: joining a network is consent to pool its
#: spend in the combined figures (ADR 0005); anything else needs a choice.
DEFAULT_SHARING = {SharedTopic.SPEND: SharingLevel.POOLED, SharedTopic.JOBS: SharingLevel.NONE}


class NetworkSharing(models.Model):
    """What one member of a network chose to share about one topic. The choice belongs to the
    member's place in the network, so it goes when the member leaves: joining again starts
    from the defaults."""

    place = models.ForeignKey(
        "cwb.AnchorNetworkMember", on_delete=models.CASCADE, related_name="sharing_choices"
    )
    topic = models.CharField(max_length=16, choices=SharedTopic.choices)
    level = models.CharField(max_length=16, choices=SharingLevel.choices)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["place__organisation__name", "topic"]
        constraints = [
            models.UniqueConstraint(fields=["place", "topic"], name="one_sharing_choice_per_topic"),
            models.CheckConstraint(
                condition=~Q(topic="spend", level="none"),
                name="network_spend_is_at_least_pooled",
                violation_error_message=(
                    "Members pool their spend in the combined figures; leave the network to "
                    "stop sharing it"
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_topic_display()}: {self.get_level_display()}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.place.organisation_id}


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    STOPPED = "stopped", "Stopped"


class JointAction(models.Model):
    """Something the network's members do together (a shared procurement pipeline, a joint
    recruitment scheme), led by one member, with dates and a status."""

    network = models.ForeignKey(
        "cwb.AnchorNetwork", on_delete=models.CASCADE, related_name="joint_actions"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    lead_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    lead_person = models.CharField("Named lead", max_length=200)
    starts_on = models.DateField(null=True, blank=True)
    due_on = models.DateField()
    status = models.CharField(
        max_length=16, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    latest_update = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(starts_on__lte=models.F("due_on")),
                name="joint_action_starts_before_due",
                violation_error_message="The start date must be on or before the due date",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.network.convener_id}


# --- The combined authority's view of its region --------------------------------------------


class RegionSharing(models.Model):
    """What a council agreed to share with its combined authority's region view. Nothing is
    shared until the council says so; every change is on its audit trail."""

    council = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="region_sharing"
    )
    procurements = models.BooleanField(
        "Procurements with social value (how many, of what value)", default=False
    )
    delivery = models.BooleanField(
        "Social value committed, claimed and verified, by theme", default=False
    )
    spend = models.BooleanField("Local spend by tier, from our spend analysis", default=False)
    partnerships = models.BooleanField(
        "Charter signatories, pledges and anchor networks (counts)", default=False
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["council__name"]

    def __str__(self) -> str:
        return f"What {self.council} shares with its combined authority"

    @property
    def shares_anything(self) -> bool:
        return self.procurements or self.delivery or self.spend or self.partnerships

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.council_id}


class RegionSetAdoption(models.Model):
    """A council adopted a version of its combined authority's region-wide measure set as a
    measure set of its own, so its figures compare with its neighbours'."""

    council = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    region_version = models.ForeignKey(
        "frameworks.LocalMeasureSetVersion", on_delete=models.PROTECT, related_name="+"
    )
    council_version = models.OneToOneField(
        "frameworks.LocalMeasureSetVersion", on_delete=models.PROTECT, related_name="+"
    )
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-adopted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "region_version"], name="region_version_adopted_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.council} adopted {self.region_version}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.council_id}
