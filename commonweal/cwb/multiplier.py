"""LM3 studies: local suppliers' spend for the year, their re-spend survey answers, and the
multiplier worked by ``valuation.lm3.local_multiplier_3`` with every assumption stated."""

# SQL here is assembled from escaped file paths, because DuckDB cannot bind file lists.
# ruff: noqa: S608
from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import duckdb
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from commonweal.accounts.models import Organisation, User
from commonweal.core.audit import acting_as, save_audited
from commonweal.core.tokens import token_digest
from commonweal.cwb import paths, selectors
from commonweal.cwb.analyses import AnalysisNotReady
from commonweal.cwb.local_areas import local_tiers_for
from commonweal.cwb.models import Lm3Study, SupplierSurvey
from commonweal.spend_engine.analysis import SPEND_WITH_KEYS_SQL
from commonweal.spend_engine.sql import sql_string
from commonweal.valuation.lm3 import (
    Lm3Assumptions,
    Lm3Result,
    LocalRecipient,
    RecipientKind,
    local_multiplier_3,
)

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class LocalSupplierSpend:
    supplier_key: str
    supplier_name: str
    pence: int


@dataclass(frozen=True)
class YearSpend:
    total_pence: int
    local_suppliers: tuple[LocalSupplierSpend, ...]


def year_spend(organisation: Organisation, financial_year: str, boundary: str) -> YearSpend:
    """The year's total spend and each supplier inside the boundary with its net spend (only
    suppliers paid more than they credited back are recipients)."""
    spend = selectors.spend_parquet_files(organisation.pk)
    if not spend:
        raise AnalysisNotReady("Import a spend file first")
    link_run = selectors.latest_link_run(organisation)
    folder = paths.linkage_dir(organisation.pk, link_run.pk) if link_run else None
    if folder is None or not (folder / "classification.parquet").is_file():
        raise AnalysisNotReady("Set your local areas and link supplier names first")
    start_year = int(financial_year[:4])
    flag = "in_borough" if boundary == Lm3Study.Boundary.BOROUGH else "in_combined_authority"
    files = "[" + ", ".join(sql_string(p) for p in spend) + "]"
    con = duckdb.connect()
    try:
        con.execute(f"CREATE TEMP VIEW spend_rows AS SELECT * FROM read_parquet({files})")
        con.execute(
            "CREATE TEMP TABLE supplier_links AS SELECT supplier_name, min(supplier_key) AS "
            f"supplier_key FROM read_parquet({sql_string(folder / 'links.parquet')}) GROUP BY 1"
        )
        con.execute(
            "CREATE TEMP VIEW classification AS SELECT * FROM "
            f"read_parquet({sql_string(folder / 'classification.parquet')})"
        )
        con.execute(
            f"CREATE TEMP TABLE payments AS SELECT * FROM ({SPEND_WITH_KEYS_SQL}) WHERE fy = {start_year}"
        )
        total = con.execute("SELECT coalesce(sum(amount_pence), 0) FROM payments").fetchall()
        local = con.execute(
            f"""
            SELECT p.supplier_key, min(c.supplier_name), sum(p.amount_pence) AS pence
            FROM payments p JOIN classification c ON c.supplier_key = p.supplier_key
            WHERE c.{flag} GROUP BY p.supplier_key HAVING sum(p.amount_pence) > 0
            ORDER BY pence DESC, p.supplier_key
            """
        ).fetchall()
    finally:
        con.close()
    return YearSpend(
        total_pence=int(total[0][0]),
        local_suppliers=tuple(
            LocalSupplierSpend(str(key), str(name or key), int(pence)) for key, name, pence in local
        ),
    )


@dataclass(frozen=True)
class Lm3Outcome:
    spend: YearSpend
    surveys: dict[str, SupplierSurvey]
    result: Lm3Result


def study_outcome(study: Lm3Study) -> Lm3Outcome:
    spend = year_spend(study.organisation, study.financial_year, study.boundary)
    if spend.total_pence <= 0:
        raise AnalysisNotReady(f"There is no spend in {study.financial_year}")
    surveys = {s.supplier_key: s for s in study.surveys.all()}
    recipients = [
        LocalRecipient(
            ref=supplier.supplier_key,
            kind=RecipientKind.SUPPLIER,
            amount_received=Decimal(supplier.pence) / HUNDRED,
            surveyed_local_respend_share=(
                surveys[supplier.supplier_key].local_respend_share
                if supplier.supplier_key in surveys
                else None
            ),
        )
        for supplier in spend.local_suppliers
    ]
    round_1 = Decimal(spend.total_pence) / HUNDRED
    if study.include_payroll:
        round_1 += Decimal(study.payroll_pence) / HUNDRED
        recipients.append(
            LocalRecipient(
                ref="staff living locally",
                kind=RecipientKind.STAFF,
                amount_received=Decimal(study.local_staff_wages_pence) / HUNDRED,
                surveyed_local_respend_share=study.staff_local_respend_share,
            )
        )
    result = local_multiplier_3(
        boundary_name=_boundary_name(study),
        period=f"financial year {study.financial_year}",
        total_spend=round_1,
        local_recipients=recipients,
        include_payroll=study.include_payroll,
        assumptions=Lm3Assumptions(
            supplier_local_respend_share=study.supplier_assumption_share,
            staff_local_respend_share=study.staff_assumption_share,
            basis=study.assumption_basis,
        ),
    )
    return Lm3Outcome(spend=spend, surveys=surveys, result=result)


def _boundary_name(study: Lm3Study) -> str:
    tiers = local_tiers_for(study.organisation)
    codes = (
        (
            tiers.borough_lad_codes
            if study.boundary == Lm3Study.Boundary.BOROUGH
            else tiers.combined_authority_lad_codes
        )
        if tiers
        else []
    )
    label = "borough" if study.boundary == Lm3Study.Boundary.BOROUGH else "combined authority"
    return f"{study.organisation.name} {label} ({', '.join(codes)})"


# --- writes --------------------------------------------------------------------------------


def lm3_study_create(*, organisation: Organisation, by: User | None, **fields: object) -> Lm3Study:
    study = Lm3Study(organisation=organisation, created_by=by, **fields)
    return save_audited(study, by=by)


def survey_send(
    *,
    study: Lm3Study,
    supplier: LocalSupplierSpend,
    email: str,
    by: User | None,
    link_for: Callable[[str], str],
) -> SupplierSurvey:
    """Email a local supplier a private link to the re-spend question (once per study)."""
    if study.surveys.filter(supplier_key=supplier.supplier_key).exists():
        raise ValidationError(f"{supplier.supplier_name} has already been sent this survey")
    token = secrets.token_urlsafe(32)
    survey = SupplierSurvey(
        study=study,
        supplier_key=supplier.supplier_key,
        supplier_name=supplier.supplier_name,
        email=email,
        token_hash=token_digest(token),
    )
    save_audited(survey, by=by)
    send_mail(
        subject=f"{study.organisation.name}: how much of our payments do you spend locally?",
        message=(
            f"{study.organisation.name} is measuring how much of its spending stays in the local "
            f"economy ({study.get_boundary_display().lower()}, {study.financial_year}).\n\n"
            "One question, about a minute: of every £1 we pay you, how much do you spend with "
            "businesses and people in the area, including wages of staff who live there?\n\n"
            f"Answer here: {link_for(token)}\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[email],
    )
    return survey


def survey_for_token(token: str) -> SupplierSurvey | None:
    return (
        SupplierSurvey.objects.select_related("study__organisation")
        .filter(token_hash=token_digest(token))
        .first()
    )


def survey_answer(*, survey: SupplierSurvey, pence_in_the_pound: int, respondent_name: str) -> None:
    if survey.responded_at is not None:
        raise ValidationError("This survey has already been answered")
    if not 0 <= pence_in_the_pound <= 100:
        raise ValidationError("Enter a whole number of pence from 0 to 100")
    survey.local_respend_share = Decimal(pence_in_the_pound) / HUNDRED
    survey.respondent_name = respondent_name.strip()
    survey.responded_at = timezone.now()
    with transaction.atomic(), acting_as(None):
        survey.save()
