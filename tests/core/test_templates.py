"""Template conventions that keep pages usable on a phone."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
TABLE_THEN = re.compile(r'(<div class="app-table-scroll"[^>]*>\s*)?<table class="govuk-table')


def test_every_table_scrolls_in_its_own_region_rather_than_widening_the_page():
    bare, tables = [], 0
    for template in sorted(TEMPLATES.rglob("*.html")):
        for found in TABLE_THEN.finditer(template.read_text()):
            tables += 1
            if not found.group(1) or 'role="region"' not in found.group(1):
                bare.append(str(template.relative_to(TEMPLATES)))
    assert tables > 50
    assert bare == [], "Wrap these tables in an .app-table-scroll region:\n" + "\n".join(bare)
