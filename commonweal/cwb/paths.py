"""Where this app keeps files: uploads beside the database, Parquet datasets under ``datasets``.

Tasks write these folders; the web process only reads them (DuckDB's one-writer rule).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def data_dir() -> Path:
    return Path(settings.DATA_DIR)


def datasets_dir() -> Path:
    return data_dir() / "datasets"


def spend_uploads_dir(run_id: object) -> Path:
    return data_dir() / "spend-uploads" / str(run_id)


def creditor_uploads_dir(organisation_id: int) -> Path:
    """Creditor files kept while the person confirms the suppliers they would remove."""
    return data_dir() / "creditor-uploads" / f"org-{organisation_id}"


def spend_output_dir(organisation_id: int) -> Path:
    """The folder ingest writes ``<run id>/spend.parquet`` into, one per organisation."""
    return datasets_dir() / "spend" / f"org-{organisation_id}"


def linkage_dir(organisation_id: int, link_run_id: int) -> Path:
    return datasets_dir() / "suppliers" / f"org-{organisation_id}" / f"run-{link_run_id}"


def refdata_dir() -> Path:
    return datasets_dir() / "refdata"


def refdata_uploads_dir(upload_id: object) -> Path:
    """Reference files uploaded on the page, kept until their load job has run."""
    return data_dir() / "refdata-uploads" / str(upload_id)
