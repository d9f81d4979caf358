"""Community wealth building records: spend imports, suppliers, reference data, local tiers.

Spend rows themselves live in Parquet files written by background tasks (DuckDB's one-writer
rule); these tables hold what the rows came from, what the people decided and what was found.
"""

from __future__ import annotations

import re
import uuid
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

GSS_CODE = re.compile(r"^[EWSN]\d{8}$")


class SpendImportRun(models.Model):
    """One import of one or more spend files for an organisation, from upload to result."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Not confirmed"
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        COMPLETED = "completed", "Imported"
        FAILED = "failed", "Failed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="spend_imports"
    )
    publisher = models.CharField(
        "Published by", max_length=200, help_text="The body whose spend files these are"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    mapping = models.JSONField(
        default=dict, blank=True, help_text="Column used for each field: {field: header}"
    )
    rows_read = models.PositiveIntegerField(default=0)
    rows_accepted = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    total_pence = models.BigIntegerField(default=0)
    first_payment_date = models.DateField(null=True, blank=True)
    last_payment_date = models.DateField(null=True, blank=True)
    error = models.TextField(blank=True)
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    repeated_payments = models.JSONField(
        default=dict,
        blank=True,
        help_text="How many of its payments other imports already held when it finished: "
        "{import id: count} (see spend_engine.ingest.PaymentsAlreadyImported)",
    )
    repeated_within = models.JSONField(
        default=list,
        blank=True,
        help_text="Payments one of its files or worksheets repeats from an earlier one: "
        "[[earlier, later, count], ...] (see spend_engine.ingest.PaymentsAlreadyImported)",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rows_accepted__lte=models.F("rows_read")),
                name="spend_import_accepted_within_read",
            ),
            models.CheckConstraint(
                condition=Q(status="withdrawn", withdrawn_at__isnull=False)
                | (~Q(status="withdrawn") & Q(withdrawn_at__isnull=True)),
                name="spend_import_withdrawn_when_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"Spend import of {self.created_at:%d %b %Y %H:%M} ({self.publisher})"

    @property
    def reference(self) -> str:
        return str(self.pk).split("-")[0].upper()

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.organisation_id}


class SpendImportFile(models.Model):
    """One uploaded file of an import run, identified by the sha256 of its bytes.

    ``counts`` is set while the file's run is queued, running or imported: the constraint then
    stops the same bytes being imported twice for one organisation.
    """

    run = models.ForeignKey(SpendImportRun, on_delete=models.CASCADE, related_name="files")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size_bytes = models.PositiveBigIntegerField()
    counts = models.BooleanField(default=False)
    header_row = models.PositiveIntegerField(null=True, blank=True)
    worksheets = models.JSONField(
        default=list,
        blank=True,
        help_text="A workbook with spend on several worksheets: their titles",
    )
    dates_month_first = models.BooleanField(
        default=False,
        help_text='Its dates were written month first ("4/13/2024") and read so',
    )
    amounts_decimal_comma = models.BooleanField(
        default=False,
        help_text='Its amounts were written with a decimal comma ("1185,60") and read so',
    )
    rows_accepted = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    total_pence = models.BigIntegerField(default=0)
    preview = models.JSONField(
        null=True,
        blank=True,
        help_text="Its header row and first rows, read once when it was uploaded, for the "
        "column step and the check page (a workbook is not read again for them)",
    )

    class Meta:
        ordering = ["run", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "sha256"],
                condition=Q(counts=True),
                name="spend_file_imported_once_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.organisation_id}


class PublisherMapping(models.Model):
    """A publisher's column layout, saved so its next file maps itself."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="publisher_mappings"
    )
    publisher = models.CharField(max_length=200)
    mapping = models.JSONField(default=dict, help_text="{canonical field: header text}")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["publisher"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "publisher"], name="one_mapping_per_publisher"
            )
        ]

    def __str__(self) -> str:
        return f"Column layout of {self.publisher}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.organisation_id}


class ReferenceDataLoad(models.Model):
    """One version of an official reference file loaded into Parquet (shared by every tenant)."""

    class Kind(models.TextChoices):
        POSTCODES = "postcodes", "Postcode directory"
        DEPRIVATION = "deprivation", "Indices of deprivation"
        LAD_LOOKUP = "lad_to_combined_authority", "District to combined authority lookup"
        COMPANIES = "companies", "Companies House"
        CHARITIES = "charities", "Charity register"
        CHARITY_COMPANY_NUMBERS = "charity_company_numbers", "Charity to company numbers"
        OCDS_SUPPLIERS = "ocds_suppliers", "Contract award notices (OCDS)"

    kind = models.CharField(max_length=40, choices=Kind.choices)
    version = models.CharField(max_length=100)
    source_format = models.CharField(max_length=40, blank=True)
    path = models.CharField(max_length=500, help_text="Parquet file, relative to the data folder")
    row_count = models.PositiveBigIntegerField()
    rows_rejected = models.PositiveBigIntegerField(
        default=0, help_text="Rows not loaded, listed in rejects.csv beside the Parquet"
    )
    source_hashes = models.JSONField(default=dict, help_text="{file name: sha256}")
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "-loaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="one_load_per_kind_version")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.version}"

    @property
    def rejects_path(self) -> str:
        """The rejected rows (file, row, column, value, reason), relative to the data folder."""
        return str(PurePosixPath(self.path).parent / "rejects.csv")

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": None}


class LocalTierSettings(models.Model):
    """What "local" means for one organisation: its borough, combined authority and region,
    and which IMD deciles count as deprived."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="local_tiers"
    )
    borough_lad_codes = models.JSONField(default=list)
    combined_authority_lad_codes = models.JSONField(default=list)
    region_code = models.CharField(max_length=9)
    deprived_decile_max = models.PositiveSmallIntegerField(
        default=2, help_text="IMD deciles 1 up to this one count as deprived (1 is most deprived)"
    )
    worked_out_from = models.CharField(
        max_length=300,
        blank=True,
        help_text="The authority lookup the areas were worked out from; blank when set by hand",
    )
    descriptions = models.JSONField(
        default=dict, blank=True, help_text="{tier: what the tier is}, as worked out"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(deprived_decile_max__gte=1) & Q(deprived_decile_max__lte=10),
                name="deprived_decile_between_1_and_10",
            )
        ]

    def __str__(self) -> str:
        return f"Local areas of {self.organisation}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        for name in ("borough_lad_codes", "combined_authority_lad_codes"):
            codes = getattr(self, name)
            bad = [c for c in codes if not GSS_CODE.match(str(c))]
            if not isinstance(codes, list) or bad:
                errors[name] = (
                    f"Enter district codes like E08000018; these are not: {', '.join(bad)}"
                )
        if not self.borough_lad_codes and "borough_lad_codes" not in errors:
            errors["borough_lad_codes"] = "Enter at least one district code, like E08000018"
        if not GSS_CODE.match(self.region_code or ""):
            errors["region_code"] = "Enter a region code of a letter and 8 digits, like E12000003"
        if errors:
            raise ValidationError(errors)

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.organisation_id}


class CreditorRecord(models.Model):
    """A supplier as the organisation's own creditor file describes it. What the supplier
    declared about itself here takes precedence over anything inferred."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="creditor_records"
    )
    source_supplier_id = models.TextField("Supplier ID")
    name = models.TextField(blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    company_number = models.CharField(max_length=10, blank=True)
    charity_number = models.CharField(max_length=10, blank=True)
    vat_number = models.CharField(
        "VAT number", max_length=12, blank=True, help_text="Digits only, without the GB"
    )
    declared_sme = models.BooleanField(null=True, blank=True)
    declared_vcse = models.BooleanField(null=True, blank=True)
    creditor_type = models.CharField(
        max_length=12,
        choices=[
            ("individual", "Individual"),
            ("public_body", "Public body"),
            ("organisation", "Other organisation"),
        ],
        blank=True,
        help_text="What the creditor file says the payee is",
    )
    source_file = models.CharField(max_length=255)
    source_sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["source_supplier_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source_supplier_id"], name="one_creditor_per_supplier_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_supplier_id} {self.name}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.organisation_id}


#: Plain words for the engine's link methods (spend_engine.linkage.LinkMethod values).
LINK_METHOD_LABELS: dict[str, str] = {
    "identifier": "Same supplier ID, company, charity or VAT number",
    "exact_name": "Same name once tidied",
    "name_rule": "Same name apart from legal form or tags",
    "probabilistic": "Similar name (model)",
    "human": "Decided by a person",
    "unlinked": "Only name",
}


class SupplierLinkRun(models.Model):
    """One run of supplier linkage over all of an organisation's imported spend."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="supplier_link_runs"
    )
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    record_count = models.PositiveIntegerField(default=0)
    supplier_count = models.PositiveIntegerField(default=0)
    review_count = models.PositiveIntegerField(default=0)
    decisions_applied = models.PositiveIntegerField(default=0)
    total_pence = models.BigIntegerField(default=0)
    multi_name_pence = models.BigIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Supplier linkage of {self.created_at:%d %b %Y %H:%M}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.organisation_id}


class RegisterSupplier(models.Model):
    """One supplier of the organisation's register: a cluster of the names it was paid under."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="register_suppliers"
    )
    link_run = models.ForeignKey(SupplierLinkRun, on_delete=models.CASCADE, related_name="+")
    cluster_key = models.TextField()
    display_name = models.TextField()
    company_number = models.CharField(max_length=10, blank=True)
    charity_number = models.CharField(max_length=10, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    spend_pence = models.BigIntegerField(default=0)
    name_count = models.PositiveIntegerField(default=1)
    is_sme = models.BooleanField(null=True, blank=True)
    sme_source = models.CharField(max_length=100, blank=True)
    is_vcse = models.BooleanField(null=True, blank=True)
    vcse_source = models.CharField(max_length=100, blank=True)
    in_borough = models.BooleanField(null=True, blank=True)
    in_combined_authority = models.BooleanField(null=True, blank=True)
    in_region = models.BooleanField(null=True, blank=True)
    in_deprived_area = models.BooleanField(null=True, blank=True)
    register_match = models.CharField(
        max_length=200, blank=True, help_text="Where the supplier was found on a public register"
    )
    is_public_body = models.BooleanField(null=True, blank=True)
    public_body_source = models.CharField(max_length=100, blank=True)
    is_individual = models.BooleanField(
        null=True, blank=True, help_text="A private individual, or a payee redacted as one"
    )
    individual_source = models.CharField(max_length=100, blank=True)
    sector = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-spend_pence", "display_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "cluster_key"], name="one_register_supplier_per_cluster"
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def reference(self) -> str:
        return f"S{self.pk:06d}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.organisation_id}


class SupplierNameLink(models.Model):
    """One published supplier name (and supplier ID) and the register supplier it belongs to."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    register_supplier = models.ForeignKey(
        RegisterSupplier, on_delete=models.CASCADE, related_name="names"
    )
    record_key = models.TextField()
    raw_name = models.TextField()
    source_supplier_id = models.TextField(blank=True)
    company_number = models.CharField(max_length=10, blank=True)
    charity_number = models.CharField(max_length=10, blank=True)
    method = models.CharField(max_length=20, help_text="How the name joined its supplier")
    probability = models.DecimalField(max_digits=5, decimal_places=4)
    spend_pence = models.BigIntegerField(default=0)
    payment_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["raw_name", "source_supplier_id"]

    def __str__(self) -> str:
        return self.raw_name

    @property
    def method_label(self) -> str:
        return LINK_METHOD_LABELS.get(self.method, self.method)

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.organisation_id}


class SupplierReviewPair(models.Model):
    """Two names the model is unsure about, waiting for a person to decide (replaced each run)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="supplier_review_pairs"
    )
    link_run = models.ForeignKey(SupplierLinkRun, on_delete=models.CASCADE, related_name="+")
    name_a = models.TextField()
    name_b = models.TextField()
    probability = models.DecimalField(max_digits=5, decimal_places=4)
    spend_at_stake_pence = models.BigIntegerField(default=0)
    reason = models.TextField(blank=True, help_text="Why a person is asked")

    class Meta:
        ordering = ["-spend_at_stake_pence", "-probability", "name_a"]

    def __str__(self) -> str:
        return f"{self.name_a} / {self.name_b}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.organisation_id}


class SupplierLinkDecision(models.Model):
    """A person's verdict that two supplier names are (or are not) the same supplier.

    Kept by normalised names, so it applies again to the next period's files; the latest
    decision on a pair wins.
    """

    class Decision(models.TextChoices):
        ACCEPT = "accept", "Same supplier"
        REJECT = "reject", "Different suppliers"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="supplier_link_decisions"
    )
    name_a = models.TextField(help_text="Normalised name (the smaller one)")
    name_b = models.TextField(help_text="Normalised name (the larger one)")
    shown_name_a = models.TextField()
    shown_name_b = models.TextField()
    decision = models.CharField(max_length=8, choices=Decision.choices)
    method = models.CharField(max_length=40, default="human review")
    probability = models.DecimalField(
        max_digits=5, decimal_places=4, help_text="The model's probability when it was decided"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewer_name = models.CharField(max_length=200)
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name_a", "name_b"], name="one_decision_per_name_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shown_name_a} / {self.shown_name_b}: {self.get_decision_display()}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.organisation_id}


class Lm3Study(models.Model):
    """A Local Multiplier 3 study of one financial year's spend within one boundary.

    Round 1 is the year's imported spend (plus payroll when included); round 2 the part paid to
    suppliers inside the boundary (plus local staff wages); round 3 what they re-spend locally,
    from survey answers or, failing those, the stated assumption ratios.
    """

    class Boundary(models.TextChoices):
        BOROUGH = "borough", "Your borough"
        COMBINED_AUTHORITY = "combined_authority", "Your combined authority"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="lm3_studies"
    )
    financial_year = models.CharField(max_length=7, help_text="Like 2024-25")
    boundary = models.CharField(max_length=20, choices=Boundary.choices)
    include_payroll = models.BooleanField(default=False)
    payroll_pence = models.BigIntegerField(default=0, help_text="The whole payroll for the year")
    local_staff_wages_pence = models.BigIntegerField(
        default=0, help_text="Wages paid to staff who live inside the boundary"
    )
    staff_local_respend_share = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="From a staff survey: the share of wages staff spend inside the boundary",
    )
    supplier_assumption_share = models.DecimalField(max_digits=5, decimal_places=4)
    staff_assumption_share = models.DecimalField(max_digits=5, decimal_places=4)
    assumption_basis = models.CharField(max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(payroll_pence__gte=0)
                & Q(local_staff_wages_pence__gte=0)
                & Q(local_staff_wages_pence__lte=models.F("payroll_pence")),
                name="lm3_local_wages_within_payroll",
            ),
            models.CheckConstraint(
                condition=Q(supplier_assumption_share__gte=0)
                & Q(supplier_assumption_share__lte=1)
                & Q(staff_assumption_share__gte=0)
                & Q(staff_assumption_share__lte=1),
                name="lm3_assumptions_are_shares",
            ),
        ]

    def __str__(self) -> str:
        return f"LM3 {self.financial_year} ({self.get_boundary_display().lower()})"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not re.fullmatch(r"\d{4}-\d{2}", self.financial_year or ""):
            errors["financial_year"] = "Enter a financial year like 2024-25"
        if self.local_staff_wages_pence > self.payroll_pence:
            errors["local_staff_wages_pence"] = "Local staff wages cannot be more than the payroll"
        if not (self.assumption_basis or "").strip():
            errors["assumption_basis"] = "Say where the assumed re-spend shares come from"
        if errors:
            raise ValidationError(errors)

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.organisation_id}


class SupplierSurvey(models.Model):
    """One local supplier's re-spend survey for a study: sent by email with a private link,
    answered on a public form. The link's token is stored hashed."""

    study = models.ForeignKey(Lm3Study, on_delete=models.CASCADE, related_name="surveys")
    supplier_key = models.TextField(help_text="The register supplier's cluster")
    supplier_name = models.TextField()
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    local_respend_share = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    respondent_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["supplier_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "supplier_key"], name="one_survey_per_supplier"
            ),
            models.CheckConstraint(
                condition=Q(local_respend_share__isnull=True)
                | (Q(local_respend_share__gte=0) & Q(local_respend_share__lte=1)),
                name="survey_share_between_0_and_1",
            ),
        ]

    def __str__(self) -> str:
        return f"Re-spend survey of {self.supplier_name}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.study.organisation_id}


class AnchorNetwork(models.Model):
    """Anchor institutions of one place that pool their spend figures (a community wealth
    building anchor network). A council convenes it; other organisations join by accepting an
    invitation, as joining shares their figures with the other members."""

    convener = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="convened_anchor_networks"
    )
    name = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["convener", "name"], name="one_network_name_per_convener"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.convener_id}


class AnchorNetworkMember(models.Model):
    """One organisation's place in an anchor network: invited, then joined."""

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        JOINED = "joined", "Joined"

    network = models.ForeignKey(AnchorNetwork, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="anchor_network_places"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.INVITED)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    joined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "organisation"], name="one_place_per_network_member"
            ),
            models.CheckConstraint(
                condition=Q(status="invited", joined_at__isnull=True)
                | Q(status="joined", joined_at__isnull=False),
                name="network_member_joined_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.network}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.organisation_id}
