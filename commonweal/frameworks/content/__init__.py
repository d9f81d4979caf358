"""Frameworks shipped with Commonweal, as data files in the importer's own format.

`frameworks.json` lists each framework with its publisher, licence and source; each CSV holds
its measures, one row per measure. Loading goes through the same importer a council uses, so
shipped content obeys every rule an import does (a monetised value needs a source and a
licence), and is then published. Loading again changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from commonweal.frameworks.importing import framework_import, read_table, suggest_mapping
from commonweal.frameworks.models import FrameworkVersion
from commonweal.frameworks.services import framework_version_publish

CONTENT_DIR = Path(__file__).resolve().parent
MANIFEST = CONTENT_DIR / "frameworks.json"


@dataclass(frozen=True)
class ShippedFramework:
    slug: str
    year: int
    version: FrameworkVersion
    created: bool


def shipped_manifest() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads(MANIFEST.read_text(encoding="utf-8"))["frameworks"]
    return entries


def load_shipped_frameworks() -> list[ShippedFramework]:
    """Import and publish each shipped framework version that is not loaded yet."""
    loaded = []
    for entry in shipped_manifest():
        existing = FrameworkVersion.objects.filter(
            framework__owner__isnull=True, framework__slug=entry["slug"], year=entry["year"]
        ).first()
        if existing is not None:
            loaded.append(ShippedFramework(entry["slug"], entry["year"], existing, created=False))
            continue
        path = CONTENT_DIR / entry["file"]
        table = read_table(path, path.name)
        mapping = {
            field: header for field, header in suggest_mapping(table.headers).items() if header
        }
        with transaction.atomic():
            version = framework_import(
                owner=None,
                table=table,
                mapping=mapping,
                name=entry["name"],
                slug=entry["slug"],
                publisher=entry["publisher"],
                description=entry["description"],
                licence=entry["licence"],
                licence_url=entry["licence_url"],
                source_title=entry["source_title"],
                source_url=entry["source_url"],
                values_restricted=False,
                year=entry["year"],
                in_force_from=date.fromisoformat(entry["in_force_from"]),
                price_base_year=entry["price_base_year"],
                by=None,
            )
            framework_version_publish(version=version, by=None)
        loaded.append(ShippedFramework(entry["slug"], entry["year"], version, created=True))
    return loaded
