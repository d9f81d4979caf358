"""``commonweal backup``: a backup holds the database and the data folder with a manifest of
counts and checksums, and restores into an empty database and data folder (issue 18, item 6).
Runs on SQLite and, in CI, on PostgreSQL 15 (pg_dump and pg_restore)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from commonweal.accounts.models import User
from commonweal.monitoring.models import EvidenceFile
from tests.contracts.builders import build_contract, build_measures
from tests.monitoring.helpers import file_return

EVIDENCE = b"name,hours\nSam,37.5\n"

needs_tools = pytest.mark.skipif(
    connection.vendor == "postgresql" and shutil.which("pg_dump") is None,
    reason="pg_dump is not installed",
)


@pytest.fixture
def evidence(transactional_db, world, supplier_user, contract_manager):
    """A return with an evidence file, and a spend dataset file in the data folder."""
    measures = build_measures(world.council)
    contract = build_contract(
        world.council, world.supplier, measures, contract_manager=contract_manager
    )
    draft = file_return(contract, "2025-26 Q1", {"RM1": "0.5"}, by=supplier_user, submit=False)
    client = Client()
    client.force_login(supplier_user)
    client.post(
        reverse("monitoring:evidence-upload", args=[draft.pk]),
        {
            "evidence_type": "payroll_extract",
            "file": SimpleUploadedFile("hours.csv", EVIDENCE),
            "line": "",
        },
    )
    return EvidenceFile.objects.get()


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def checksums(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.relative_to(folder).parts[0] != "cache"
    }


def empty_database() -> None:
    """Every table emptied, as a newly migrated database is."""
    call_command("flush", interactive=False, verbosity=0)


@needs_tools
def test_a_backup_restores_every_row_and_file_and_evidence_downloads_again(
    evidence, supplier_user, private_data_dir, tmp_path, settings, capsys
):
    datasets = private_data_dir / "datasets" / "spend" / "org-1"
    datasets.mkdir(parents=True)
    (datasets / "spend.parquet").write_bytes(b"PAR1 pretend parquet")
    counts_before = table_counts()
    files_before = checksums(private_data_dir)
    assert any(name.startswith("files/evidence/") for name in files_before)

    call_command("backup", "create", str(tmp_path / "backup"))
    assert "Backed up" in capsys.readouterr().out
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["database"] == connection.vendor
    assert manifest["tables"]["monitoring_evidencefile"] == 1
    assert {f"data/{name}" for name in files_before} <= set(manifest["files"])

    # Not into a database that holds anything.
    with pytest.raises(CommandError, match="the database is not empty"):
        call_command("backup", "restore", str(tmp_path / "backup"))

    empty_database()
    restored_data = tmp_path / "restored-data"
    settings.DATA_DIR = restored_data
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {"location": restored_data / "files"},
        },
    }
    call_command("backup", "restore", str(tmp_path / "backup"))
    assert "Restored" in capsys.readouterr().out

    assert table_counts() == counts_before
    assert checksums(restored_data) == files_before
    client = Client()
    client.force_login(User.objects.get(pk=supplier_user.pk))  # the draft's author
    response = client.get(reverse("monitoring:evidence-download", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == EVIDENCE


@needs_tools
def test_a_damaged_backup_or_a_data_folder_in_use_is_refused(
    evidence, private_data_dir, tmp_path, settings
):
    call_command("backup", "create", str(tmp_path / "backup"))
    with pytest.raises(CommandError, match="already holds files"):
        call_command("backup", "create", str(tmp_path / "backup"))
    empty_database()
    with pytest.raises(CommandError, match="the data folder .* already holds"):
        call_command("backup", "restore", str(tmp_path / "backup"))
    evidence_copy = next((tmp_path / "backup" / "data" / "files").rglob("*.csv"))
    evidence_copy.write_bytes(b"tampered")
    settings.DATA_DIR = tmp_path / "empty"
    with pytest.raises(CommandError, match="is damaged: data/files/evidence/.* checksum"):
        call_command("backup", "restore", str(tmp_path / "backup"))


def test_a_folder_that_is_not_a_backup_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="is not a Commonweal backup"):
        call_command("backup", "restore", str(tmp_path))
