"""``commonweal refdata``: load official reference files as versioned Parquet, list what is
loaded, and fetch (or say where to fetch) the publishers' files."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from django.core.management.base import CommandError, CommandParser

from commonweal.core.commands import CommonwealCommand
from commonweal.cwb import paths
from commonweal.cwb.models import ReferenceDataLoad
from commonweal.cwb.refdata_store import (
    LOADABLE_KINDS,
    ReferenceLoadError,
    refdata_load,
    rejected_reference_rows,
)
from commonweal.spend_engine.refdata import OFFICIAL_SOURCES, REJECTS_SHOWN

DOWNLOAD_TIMEOUT_SECONDS = 20


def _default_version(path: Path) -> str:
    label = re.sub(r"[^A-Za-z0-9._-]+", "-", path.stem).strip("-.")
    return label or "1"


class Command(CommonwealCommand):
    help = "Load official reference data (postcodes, deprivation, authorities, registers)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Load a publisher's file(s) as one version")
        load.add_argument("kind", choices=sorted(LOADABLE_KINDS))
        load.add_argument("files", nargs="+", type=Path)
        load.add_argument("--version", default="", help="Version label (default: file name)")
        load.add_argument("--headers-file", type=Path, help="Code-Point Open column headers CSV")
        load.add_argument("--vintage", default="", help="Index of deprivation year: 2019 or 2025")
        download = sub.add_parser("download", help="Fetch a publisher's file or page")
        download.add_argument(
            "kind", choices=sorted({*LOADABLE_KINDS, *OFFICIAL_SOURCES}), help="What to fetch"
        )
        download.add_argument("--to", type=Path, help="Folder to save into")
        sub.add_parser("list", help="List loaded reference data")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            for load in ReferenceDataLoad.objects.order_by("kind", "-loaded_at"):
                self.stdout.write(
                    f"{load.kind}\t{load.version}\t{load.row_count}\t"
                    f"{load.rows_rejected} rejected\t{load.source_format}\t{load.path}"
                )
            return
        if action == "download":
            self._download(options["kind"], options["to"])
            return
        kind = options["kind"]
        version = options["version"]
        if kind == "deprivation":
            if options["vintage"] not in ("2019", "2025"):
                raise CommandError("give the index's year with --vintage 2019 or --vintage 2025")
            version = options["vintage"]
        try:
            load = refdata_load(
                kind=kind,
                files=options["files"],
                version=version or _default_version(options["files"][0]),
                by=None,
                headers_file=options["headers_file"],
            )
        except ReferenceLoadError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Loaded {load.row_count} rows of {load.get_kind_display()} version {load.version} "
            f"into {load.path}"
        )
        if load.rows_rejected:
            rejects = paths.data_dir() / load.rejects_path
            self.stdout.write(
                f"{load.rows_rejected} rows were rejected, listed in {rejects}; the first:"
            )
            for reject in rejected_reference_rows(load, REJECTS_SHOWN):
                self.stdout.write(f"  {reject}")

    def _download(self, kind: str, target: Path | None) -> None:
        source_key = LOADABLE_KINDS[kind].official_source if kind in LOADABLE_KINDS else kind
        source = OFFICIAL_SOURCES[source_key]
        load_kind = kind if kind in LOADABLE_KINDS else "KIND"
        by_hand = (
            f"Download {source.title} by hand from {source.url} "
            f"and load it with: commonweal refdata load {load_kind} FILE"
        )
        try:
            with urllib.request.urlopen(source.url, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response:  # noqa: S310 (fixed https addresses)
                content_type = response.headers.get_content_type()
                body = response.read()
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise CommandError(f"Cannot reach {source.url} ({reason}). {by_hand}") from None
        folder = target or paths.data_dir() / "downloads" / source_key
        folder.mkdir(parents=True, exist_ok=True)
        if content_type == "text/html":
            page = folder / "publisher-page.html"
            page.write_bytes(body)
            self.stdout.write(
                f"{source.url} is the publisher's page, saved to {page}; it lists the files "
                f"to choose from. {by_hand}. Licence: {source.licence}"
            )
            return
        name = Path(urlparse(source.url).path).name or f"{source_key}.download"
        saved = folder / name
        saved.write_bytes(body)
        self.stdout.write(
            f"Saved {saved}. Load it with: commonweal refdata load {load_kind} {saved}. "
            f"Licence: {source.licence}"
        )
