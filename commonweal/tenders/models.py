"""Tenders, bidders' offers (sealed until the deadline), evaluation, moderation and award.

An offer has a working draft (lines and answers the bidder edits) and numbered submissions,
each a frozen copy; the latest submission before the deadline is the one evaluated.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Tender(models.Model):
    procurement = models.OneToOneField(
        "commissioning.Procurement", on_delete=models.PROTECT, related_name="tender"
    )
    council = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="tenders"
    )
    reference = models.CharField(max_length=32, unique=True)
    deadline = models.DateTimeField()
    measure_set_version = models.ForeignKey(
        "frameworks.LocalMeasureSetVersion",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The measure set version in force when the tender was issued",
    )
    price_year = models.PositiveSmallIntegerField()
    share_token = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    awarded_offer = models.ForeignKey(
        "tenders.Offer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    awarded_at = models.DateTimeField(null=True, blank=True)
    contract_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.reference} {self.procurement.title}"

    @property
    def title(self) -> str:
        return self.procurement.title

    @property
    def is_past_deadline(self) -> bool:
        return timezone.now() >= self.deadline

    @property
    def status(self) -> str:
        if self.awarded_at:
            return "Awarded"
        if self.signed_off_at:
            return "Evaluated"
        if self.opened_at:
            return "Opened"
        if self.is_past_deadline:
            return "Closed"
        return "Open"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.council_id}


class TenderInvitation(models.Model):
    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "email"], name="invite_email_once_per_tender")
        ]

    def __str__(self) -> str:
        return f"Invitation to {self.email}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.tender.council_id}


class Offer(models.Model):
    """A supplier's offer to one tender: its working draft and, through submissions, what counts."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="offers")
    supplier = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="offers"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    price_marks = models.DecimalField(
        "Price score", max_digits=6, decimal_places=2, null=True, blank=True
    )
    quality_marks = models.DecimalField(
        "Quality score", max_digits=6, decimal_places=2, null=True, blank=True
    )
    workforce_fte = models.DecimalField(
        "Workforce delivering the contract (FTE)",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Lets the volunteering and training hours offered be checked against the "
        "hours the workforce works",
    )

    class Meta:
        ordering = ["supplier__name"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "supplier"], name="one_offer_per_supplier")
        ]

    def __str__(self) -> str:
        return f"Offer from {self.supplier.name}"

    def latest_submission(self) -> OfferSubmission | None:
        return self.submissions.order_by("-number").first()

    def get_additional_data(self) -> dict[str, Any]:
        # The council's trail must not reveal draft offers before opening; the supplier owns it.
        return {"organisation_id": self.supplier_id}


class OfferLine(models.Model):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="lines")
    measure = models.ForeignKey("frameworks.Measure", on_delete=models.PROTECT, related_name="+")
    contract_year = models.PositiveSmallIntegerField()
    quantity = models.DecimalField(max_digits=16, decimal_places=4)
    people = models.CharField(
        max_length=1000,
        blank=True,
        help_text="The bidder's own references for the people a job line is about, comma "
        "separated, never names; lets the counting rules find a person counted twice",
    )
    activity = models.CharField(
        max_length=100,
        blank=True,
        help_text="The activity or programme behind the line; the same one under two measures "
        "is checked for double counting",
    )

    class Meta:
        ordering = ["measure__code", "contract_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "measure", "contract_year"], name="offer_line_once_per_year"
            ),
            models.CheckConstraint(condition=Q(contract_year__gte=1), name="offer_year_from_1"),
        ]

    def __str__(self) -> str:
        return f"{self.measure.code} year {self.contract_year}: {self.quantity}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.offer.supplier_id}


class OfferAnswer(models.Model):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        "commissioning.WrittenQuestion", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["offer", "question"], name="answer_once_per_question")
        ]

    def __str__(self) -> str:
        return f"Answer to question {self.question_id}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.offer.supplier_id}


class OfferDocument(models.Model):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to="offers/%Y/%m/")
    name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.offer.supplier_id}


class OfferSubmission(models.Model):
    """A frozen copy of the offer as submitted. The highest number is the one that counts."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveIntegerField()
    reference = models.CharField(max_length=40, unique=True)
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    lines = models.JSONField(
        help_text='[{"measure_code", "contract_year", "quantity", "people", "activity"}]'
    )
    workforce_fte = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True, help_text='{"<question id>": "<answer>"}')
    document_names = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["offer", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "number"], name="submission_number_unique")
        ]

    def __str__(self) -> str:
        return self.reference

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.offer.supplier_id}


class EvaluatorAssignment(models.Model):
    """An evaluator on a tender. A council admin may stand them down and name a replacement."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="evaluators")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluator_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    stood_down_at = models.DateTimeField(null=True, blank=True)
    stood_down_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    stood_down_reason = models.TextField(blank=True)
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaces"
    )

    class Meta:
        ordering = ["evaluator__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender", "evaluator"], name="evaluator_once_per_tender"
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} on {self.tender.reference}"

    @property
    def is_active(self) -> bool:
        return self.stood_down_at is None

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.tender.council_id}


class ConflictDeclaration(models.Model):
    """One person's declaration about one bidder on one tender: a conflict of interest, or none.

    Declarations are made once the offers are opened, when the bidders' names can be seen, and a
    conflict may be added at any time after. A declared conflict is never withdrawn. A row with
    no offer is a declaration about the tender as a whole, made before bidders were named (kept
    from before per-bidder declarations; it never counts as a declaration of no conflict).
    """

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="declarations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conflict_declarations"
    )
    offer = models.ForeignKey(
        "tenders.Offer",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="declarations",
    )
    has_conflict = models.BooleanField()
    details = models.TextField(blank=True)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["declared_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender", "person", "offer"], name="one_declaration_per_bidder"
            ),
            models.CheckConstraint(
                condition=Q(has_conflict=False) | ~Q(details=""),
                name="a_conflict_is_described",
            ),
        ]

    def __str__(self) -> str:
        about = self.offer.supplier.name if self.offer else "the tender"
        verdict = "conflict of interest" if self.has_conflict else "no conflict"
        return f"{self.person}: {verdict} with {about}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.tender.council_id}


class EvaluationSignature(models.Model):
    """A person's signature on the evaluation as it stood, identified by a digest of its results.

    The evaluation locks when enough people with no conflict of interest have signed the same
    results; a signature on results that have since changed no longer counts.
    """

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="signatures")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)
    results_digest = models.CharField(max_length=64)

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "person"], name="one_signature_per_person")
        ]

    def __str__(self) -> str:
        return f"Signed by {self.person}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.tender.council_id}


class AnswerScore(models.Model):
    """One evaluator's independent score of one bidder's written answer."""

    assignment = models.ForeignKey(
        EvaluatorAssignment, on_delete=models.CASCADE, related_name="scores"
    )
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="answer_scores")
    question = models.ForeignKey(
        "commissioning.WrittenQuestion", on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(max_length=16)
    rationale = models.TextField()
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "offer", "question"], name="one_score_per_evaluator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.level} by {self.assignment.evaluator}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.offer.tender.council_id}


class ModeratedScore(models.Model):
    """The consensus level agreed for one bidder's written answer, with the notes of the meeting."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="moderated_scores")
    question = models.ForeignKey(
        "commissioning.WrittenQuestion", on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(max_length=16)
    notes = models.TextField()
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["offer", "question"], name="one_consensus_per_answer")
        ]

    def __str__(self) -> str:
        return f"Consensus {self.level}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.offer.tender.council_id}


class LineModeration(models.Model):
    """The evaluators' decision on one offered line: the quantity evaluated, and why.

    Typically made after a clarification question to the bidder. The offered quantity stays
    on the submission and is shown beside the evaluated one; only the evaluated quantity is
    scored, and carried into the contract at award. A moderation only ever reduces a line.
    """

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="moderations")
    submission_reference = models.CharField(max_length=40)
    measure_code = models.CharField(max_length=32)
    contract_year = models.PositiveSmallIntegerField()
    offered_quantity = models.DecimalField(max_digits=16, decimal_places=4)
    evaluated_quantity = models.DecimalField(max_digits=16, decimal_places=4)
    set_aside = models.BooleanField(default=False)
    reason = models.TextField()
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["measure_code", "contract_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "measure_code", "contract_year"], name="one_moderation_per_line"
            ),
            models.CheckConstraint(
                condition=Q(evaluated_quantity__gte=0)
                & Q(evaluated_quantity__lte=models.F("offered_quantity")),
                name="moderation_only_reduces",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="moderation_has_a_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.measure_code} year {self.contract_year}: evaluated {self.evaluated_quantity}"

    @property
    def line_ref(self) -> str:
        return f"{self.measure_code}-Y{self.contract_year}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.offer.tender.council_id}


class PlausibilityConfirmation(models.Model):
    """The evaluators confirm an implausible offer's value as it stands, with their reason."""

    offer = models.OneToOneField(
        Offer, on_delete=models.CASCADE, related_name="plausibility_confirmation"
    )
    reason = models.TextField()
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="confirmation_has_a_reason")
        ]

    def __str__(self) -> str:
        return f"Value confirmed: {self.reason[:40]}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.offer.tender.council_id}
