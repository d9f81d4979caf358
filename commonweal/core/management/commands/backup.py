"""``commonweal backup``: make a backup of the database and the data folder, or restore one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonweal.core.backup import BackupError, backup_create, backup_restore


class Command(BaseCommand):
    help = "Back up the database and the data folder to a new folder, or restore from one."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser(
            "create", help="Write a backup (database, data folder, manifest) into a new folder"
        )
        create.add_argument("path", type=Path)
        restore = sub.add_parser(
            "restore", help="Restore a backup into an empty database and data folder"
        )
        restore.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            if options["action"] == "create":
                manifest = backup_create(path)
                verb = "Backed up"
            else:
                manifest = backup_restore(path)
                verb = "Restored"
        except BackupError as problem:
            raise CommandError(str(problem)) from None
        rows = sum(manifest.table_counts.values())
        files = sum(1 for name in manifest.files if name.startswith("data/"))
        self.stdout.write(
            f"{verb} {rows} rows in {len(manifest.table_counts)} tables and {files} files "
            f"({manifest.vendor}, made {manifest.created_at}) "
            f"{'to' if verb == 'Backed up' else 'from'} {path}"
        )
