"""Backup and restore: the database and the data folder, together, checked by a manifest.

A backup is a folder holding

- ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the service runs)
  or ``database.dump`` (``pg_dump`` in its custom format, taken in one snapshot);
- ``data/``, the data folder (evidence and offer files, spend and reference datasets), without
  its cache;
- ``manifest.json``: when and from what it was made, every table's row count (counted in the
  same snapshot as the dump) and every file's size and SHA-256.

Restoring checks every file against the manifest first, refuses a database that holds any row
or a data folder that holds any file, loads both, and checks the counts and checksums again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"
DATA = "data"
#: Kept out of a backup: rebuilt on demand.
NOT_BACKED_UP = {"cache"}
FORMAT_VERSION = 1


class BackupError(Exception):
    """A backup or restore cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class Manifest:
    created_at: str
    vendor: str
    table_counts: dict[str, int]
    files: dict[str, dict[str, Any]]

    def as_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT_VERSION,
                "created_at": self.created_at,
                "database": self.vendor,
                "tables": self.table_counts,
                "files": self.files,
            },
            indent=2,
            sort_keys=True,
        )

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise BackupError(
                f"{folder} is not a Commonweal backup: it has no {MANIFEST}"
            ) from None
        except (ValueError, OSError) as error:
            raise BackupError(f"{path} cannot be read ({error})") from None
        if data.get("format") != FORMAT_VERSION:
            raise BackupError(f"{path}: backup format {data.get('format')!r} is not one we read")
        return cls(data["created_at"], data["database"], data["tables"], data["files"])


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _files_under(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.relative_to(root).parts[0] not in NOT_BACKED_UP:
            yield path


def _describe(root: Path, skip: frozenset[str] = frozenset()) -> dict[str, dict[str, Any]]:
    return {
        path.relative_to(root).as_posix(): {"bytes": path.stat().st_size, "sha256": _sha256(path)}
        for path in _files_under(root)
        if path.relative_to(root).as_posix() not in skip
    }


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def _table_counts(cursor: Any, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT count(*) FROM {_quoted(table)}")  # noqa: S608 (our table names)
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _vendor() -> str:
    if connection.in_atomic_block:
        raise BackupError("backups are made and restored outside any database transaction")
    if connection.vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"backups are made of SQLite or PostgreSQL, not {connection.vendor}")
    return connection.vendor


# --- create ----------------------------------------------------------------------------------


def backup_create(target: Path) -> Manifest:
    """Write a backup of the database and the data folder into the new folder ``target``."""
    vendor = _vendor()
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} already holds files; name a new folder for the backup")
    target.mkdir(parents=True, exist_ok=True)
    if vendor == "sqlite":
        counts = _sqlite_dump(target / SQLITE_FILE)
    else:
        counts = _postgres_dump(target / POSTGRES_FILE)
    data_dir = Path(settings.DATA_DIR)
    if data_dir.is_dir():
        for path in _files_under(data_dir):
            copy = target / DATA / path.relative_to(data_dir)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, copy)
    manifest = Manifest(
        created_at=timezone.now().isoformat(timespec="seconds"),
        vendor=vendor,
        table_counts=counts,
        files=_describe(target, skip=frozenset({MANIFEST})),
    )
    (target / MANIFEST).write_text(manifest.as_json(), encoding="utf-8")
    return manifest


def _sqlite_dump(destination: Path) -> dict[str, int]:
    connection.ensure_connection()
    source = connection.connection
    copy = sqlite3.connect(destination)
    try:
        source.backup(copy)  # consistent, page by page, while others read and write
        tables = [
            row[0]
            for row in copy.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return _table_counts(copy.cursor(), tables)
    finally:
        copy.close()


def _postgres_environment() -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump / pg_restore, the password in the environment."""
    db = settings.DATABASES["default"]
    arguments = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        arguments += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        arguments += ["--port", str(db["PORT"])]
    if db.get("USER"):
        arguments += ["--username", str(db["USER"])]
    environment = {**os.environ}
    if db.get("PASSWORD"):
        environment["PGPASSWORD"] = str(db["PASSWORD"])
    return arguments, environment


def _run(command: list[str], environment: dict[str, str]) -> None:
    tool = command[0]
    if shutil.which(tool) is None:
        raise BackupError(
            f"{tool} is not installed; install the PostgreSQL client tools (the same major "
            "version as the server) and try again"
        )
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603 (fixed tools)
    if result.returncode != 0:
        raise BackupError(f"{tool} failed: {result.stderr.strip() or result.returncode}")


def _postgres_dump(destination: Path) -> dict[str, int]:
    """Count every table and dump the database in one snapshot (pg_export_snapshot)."""
    arguments, environment = _postgres_environment()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _table_counts(cursor, connection.introspection.table_names(cursor))
            _run(
                [
                    "pg_dump",
                    *arguments,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={destination}",
                ],
                environment,
            )
        finally:
            cursor.execute("ROLLBACK")
    return counts


# --- restore ---------------------------------------------------------------------------------


def backup_check(source: Path) -> Manifest:
    """The backup's manifest, once every file it lists is there with its checksum."""
    manifest = Manifest.read(source)
    for name, expected in manifest.files.items():
        path = source / name
        if not path.is_file():
            raise BackupError(f"{source} is incomplete: {name} is missing")
        if _sha256(path) != expected["sha256"]:
            raise BackupError(f"{source} is damaged: {name} does not match its checksum")
    return manifest


#: Tables that migrating fills, so a new, empty database has rows in them.
FILLED_BY_MIGRATING = {"django_migrations", "django_content_type", "auth_permission"}


def _rows_held() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = _table_counts(cursor, [t for t in tables if t not in FILLED_BY_MIGRATING])
    return {table: count for table, count in counts.items() if count}


def backup_restore(source: Path) -> Manifest:
    """Restore a backup into an empty database (no rows in any table but those migrating fills;
    migrated or not) and an empty data folder, then check every table's count and every file's
    checksum."""
    manifest = backup_check(source)
    vendor = _vendor()
    if manifest.vendor != vendor:
        raise BackupError(
            f"this backup is of a {manifest.vendor} database; this service uses {vendor}"
        )
    held = _rows_held()
    if held:
        examples = ", ".join(f"{table} ({count})" for table, count in sorted(held.items())[:5])
        raise BackupError(
            f"the database is not empty: {len(held)} tables hold rows, such as {examples}. "
            "Restore into a new, empty database (create it, or point DATABASE_URL or "
            "COMMONWEAL_SQLITE_PATH at a new one); nothing was changed"
        )
    data_dir = Path(settings.DATA_DIR)
    present = list(_files_under(data_dir)) if data_dir.is_dir() else []
    unwanted = [p for p in present if p.name != "secret_key"]
    if unwanted:
        raise BackupError(
            f"the data folder {data_dir} already holds {len(unwanted)} files (such as "
            f"{unwanted[0].relative_to(data_dir)}); restore into an empty one (set "
            "COMMONWEAL_DATA_DIR to a new folder); nothing was changed"
        )
    if vendor == "sqlite":
        _sqlite_load(source / SQLITE_FILE)
    else:
        _postgres_load(source / POSTGRES_FILE)
    backed_up = source / DATA
    if backed_up.is_dir():
        for path in _files_under(backed_up):
            copy = data_dir / path.relative_to(backed_up)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, copy)
    _check_restored(manifest, data_dir)
    return manifest


def _sqlite_load(dump: Path) -> None:
    connection.ensure_connection()
    copy = sqlite3.connect(dump)
    try:
        copy.backup(connection.connection)
    finally:
        copy.close()


def _postgres_load(dump: Path) -> None:
    arguments, environment = _postgres_environment()
    connection.close()  # nothing of ours holds a lock while the tables are replaced
    _run(
        [
            "pg_restore",
            *arguments,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            str(dump),
        ],
        environment,
    )


def _check_restored(manifest: Manifest, data_dir: Path) -> None:
    with connection.cursor() as cursor:
        counts = _table_counts(cursor, list(manifest.table_counts))
    wrong = [t for t, n in manifest.table_counts.items() if counts.get(t) != n]
    if wrong:
        raise BackupError(
            "the restored database does not match the backup's counts for "
            + ", ".join(f"{t} ({counts.get(t)} not {manifest.table_counts[t]})" for t in wrong)
        )
    prefix = f"{DATA}/"
    for name, expected in manifest.files.items():
        if name.startswith(prefix):
            path = data_dir / name.removeprefix(prefix)
            if not path.is_file() or _sha256(path) != expected["sha256"]:
                raise BackupError(f"the restored file {path} does not match the backup")
