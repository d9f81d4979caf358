"""The programme office: Cabinet decisions and their priority actions, events, engagement with
outside bodies, and the annual Social Value progress report with its published versions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q


class ReportingSettings(models.Model):
    """A council's settings for its progress reports and public pages."""

    council = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="reporting_settings"
    )
    policy_adopted_on = models.DateField(
        "Date the council adopted its Social Value Policy", null=True, blank=True
    )
    year_starts_month = models.PositiveSmallIntegerField(
        "Month the policy year starts",
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    year_starts_day = models.PositiveSmallIntegerField(
        "Day of the month the policy year starts",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )
    public_pages = models.BooleanField(
        "Publish the programme's public pages",
        default=False,
        help_text="Published progress reports and a summary of the social value programme, "
        "open to anyone, with every table as CSV and JSON under the Open Government Licence",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "reporting settings"

    def __str__(self) -> str:
        return f"Reporting settings of {self.council}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.council_id}


class Decision(models.Model):
    """A Cabinet (or committee) decision on a report, with its recommendations."""

    council = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="decisions"
    )
    meeting = models.CharField("Meeting", max_length=200, help_text="For example, Cabinet")
    decided_on = models.DateField("Date of the meeting")
    report_title = models.CharField("Title of the report decided on", max_length=300)
    reference = models.CharField(
        "Minute or report reference", max_length=100, blank=True, help_text="Optional"
    )
    summary = models.TextField("Summary", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.meeting}, {self.decided_on:%d %B %Y}: {self.report_title}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.council_id}


RECOMMENDATION_LABEL = RegexValidator(
    r"^[A-Za-z0-9]{1,4}(\([ivxlcdmIVXLCDM0-9a-z]{1,6}\))?$",
    "Enter the recommendation's letter or number as the report gives it, like a, 3 or e(ii)",
)


class Recommendation(models.Model):
    """One lettered or numbered recommendation of a decision, in its own words."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="recommendations")
    label = models.CharField("Letter or number", max_length=12, validators=[RECOMMENDATION_LABEL])
    text = models.TextField("The recommendation, as agreed")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "label"], name="recommendation_label_once_per_decision"
            )
        ]

    def __str__(self) -> str:
        return f"({self.label}) {self.text[:80]}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.decision.council_id}


class Event(models.Model):
    """An event the programme held or took part in, like a Community Wealth Building workshop."""

    council = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="programme_events"
    )
    title = models.CharField("Name of the event", max_length=300)
    held_on = models.DateField("Date of the event")
    organisations = models.TextField(
        "Organisations that attended", blank=True, help_text="One organisation on each line"
    )
    attendance = models.PositiveIntegerField("Number of people who attended", default=0)
    outcomes = models.TextField("What came out of it", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d %B %Y})"

    @property
    def organisation_list(self) -> list[str]:
        return [line.strip() for line in self.organisations.splitlines() if line.strip()]

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.council_id}


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


OPEN_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.ON_TRACK, ActionStatus.AT_RISK)
"""An action is open until it is done or dropped."""


class Action(models.Model):
    """A priority action: under a recommendation of a decision, or a follow-up of an event."""

    council = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="programme_actions"
    )
    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.CASCADE, related_name="actions"
    )
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="actions"
    )
    title = models.CharField("Action", max_length=300)
    description = models.TextField("More about the action", blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="programme_actions",
        help_text="A member of the council, who is reminded when it is overdue or at risk",
    )
    partners = models.CharField(
        "Partners involved", max_length=500, blank=True, help_text="Optional"
    )
    due_on = models.DateField("Due date")
    status = models.CharField(
        max_length=16, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    status_reason = models.TextField(
        "Why", blank=True, help_text="Needed when an action is at risk or dropped"
    )
    status_changed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(recommendation__isnull=False, event__isnull=True)
                    | Q(recommendation__isnull=True, event__isnull=False)
                ),
                name="action_under_one_recommendation_or_event",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[ActionStatus.AT_RISK, ActionStatus.DROPPED])
                | ~Q(status_reason=""),
                name="action_at_risk_or_dropped_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["council", "status", "due_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.council_id}


class ActionUpdate(models.Model):
    """A dated note of progress on an action, with its status then."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    written_on = models.DateField("Date of the update")
    note = models.TextField("Progress")
    status = models.CharField(max_length=16, choices=ActionStatus.choices)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-written_on", "-pk"]

    def __str__(self) -> str:
        return f"Update of {self.written_on:%d %B %Y}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.action.council_id}


class ActionEvidence(models.Model):
    """A link from an action to one of Commonweal's own records that evidences it (a policy
    version, a contract, a spend analysis, a published report…). `kind` names the kind of
    record in `reporting.evidence.KINDS`; the link is checked against the council's own
    records when made, and its label kept in case the record goes."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=40)
    record_id = models.CharField(max_length=64)
    label = models.CharField(max_length=300)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "kind", "record_id"], name="evidence_linked_once_per_action"
            )
        ]

    def __str__(self) -> str:
        return self.label

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.action.council_id}


class Engagement(models.Model):
    """The council's engagement with an outside body, like the CLES Community Wealth Building
    Centre of Excellence: who, why, and a log of meetings, resources and commitments."""

    council = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="engagements"
    )
    body = models.CharField("Organisation engaged with", max_length=200)
    purpose = models.TextField("What the engagement is for", blank=True)
    contacts = models.TextField(
        "Contacts",
        blank=True,
        help_text="Names and roles on both sides. Kept inside Commonweal: never published",
    )
    started_on = models.DateField("Date the engagement started", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["body", "pk"]

    def __str__(self) -> str:
        return self.body

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.council_id}


class EntryKind(models.TextChoices):
    MEETING = "meeting", "Meeting"
    RESOURCE = "resource", "Resource used"
    COMMITMENT = "commitment", "Commitment made"
    OTHER = "other", "Other"


class EngagementEntry(models.Model):
    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="entries")
    happened_on = models.DateField("Date")
    kind = models.CharField("What it was", max_length=16, choices=EntryKind.choices)
    summary = models.TextField("What happened")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_on", "-pk"]
        verbose_name_plural = "engagement entries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.happened_on:%d %B %Y}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.engagement.council_id}


class ProgressReport(models.Model):
    """The annual progress report on the council's Social Value Policy for one policy year.

    While it is a draft its figures are worked out from the data whenever it is read; officers
    write its narrative and next year's recommendations. Publishing freezes the figures and the
    words as a new `ReportVersion`.
    """

    council = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="progress_reports"
    )
    year = models.CharField(max_length=7, help_text="The policy year, like 2025-26")
    narrative = models.JSONField(
        default=dict, blank=True, help_text="The officers' words for each section, by section"
    )
    recommendations = models.TextField(
        "Recommendations for the coming year", blank=True, help_text="One on each line"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["council", "year"], name="one_report_per_council_year")
        ]

    def __str__(self) -> str:
        return f"Social Value progress report {self.year}"

    @property
    def recommendation_list(self) -> list[str]:
        return [line.strip() for line in self.recommendations.splitlines() if line.strip()]

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.council_id}


class ReportVersion(models.Model):
    """A published version of a progress report: its figures and words frozen as they were
    published, and what changed since the version before."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    document = models.JSONField(help_text="The report as published: figures, tables and words")
    changes = models.JSONField(
        default=list, blank=True, help_text="What differs from the version before"
    )
    note = models.CharField("Why it is published again", max_length=500, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.report} version {self.number}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.report.council_id}
