"""Reads shared by the local-economy pages, commands and reports."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db.models import QuerySet

from commonweal.accounts.models import Organisation
from commonweal.cwb import paths
from commonweal.cwb.models import SpendImportRun


def spend_imports(organisation: Organisation) -> QuerySet[SpendImportRun]:
    return (
        SpendImportRun.objects.filter(organisation=organisation)
        .exclude(status=SpendImportRun.Status.DRAFT)
        .select_related("created_by", "job")
        .prefetch_related("files")
    )


def completed_imports(organisation_id: int) -> QuerySet[SpendImportRun]:
    return SpendImportRun.objects.filter(
        organisation_id=organisation_id, status=SpendImportRun.Status.COMPLETED
    ).order_by("created_at")


def spend_parquet_files(organisation_id: int) -> list[Path]:
    """The canonical spend Parquet of every completed import of the organisation."""
    base = paths.spend_output_dir(organisation_id)
    return [
        base / str(run_id) / "spend.parquet"
        for run_id in completed_imports(organisation_id).values_list("pk", flat=True)
    ]


@dataclass(frozen=True)
class RejectedRow:
    file: str
    row: str
    column: str
    value: str
    reason: str


def rejects_path(run: SpendImportRun) -> Path:
    return paths.spend_output_dir(run.organisation_id) / str(run.pk) / "rejects.csv"


def rejected_rows(run: SpendImportRun) -> Iterator[RejectedRow]:
    path = rejects_path(run)
    if not path.is_file():
        return
    with path.open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            yield RejectedRow(
                file=record["file"],
                row=record["row"],
                column=record["column"],
                value=record["value"],
                reason=record["reason"],
            )
