"""The public summary of a council's social value programme, for its public pages: contracts
with social value, committed against verified by theme, and the share of spend that stays
local. Built in the report's table shape and passed through the report's public view, so
pounds resting on licence-restricted values are withheld and nothing links inside Commonweal.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from commonweal.accounts.models import Organisation
from commonweal.contracts.models import Contract
from commonweal.core.caching import SHARED, cached
from commonweal.cwb import analyses
from commonweal.monitoring.figures import figures_stamp
from commonweal.reporting.document import LOCAL_SHARES, commitments_year
from commonweal.reporting.figures import column, figure, row, table
from commonweal.reporting.outputs import public_view

CONTRACTS_LISTED = 500
"""The public list of contracts shows the latest this many; the count covers them all."""


def _build(council: Organisation) -> dict[str, Any]:
    today = timezone.localdate()
    now = commitments_year(council, today)
    totals = now.portfolio.totals
    restricted_total = bool(now.restricted.get("total"))
    contracts = (
        Contract.objects.filter(council=council, start_date__lte=today, commitments__isnull=False)
        .distinct()
        .select_related("supplier")
        .order_by("-start_date", "reference")
    )
    contract_count = contracts.count()
    theme_rows = next(g.rows for g in now.portfolio.groups if g.key == "theme")
    tables = [
        table(
            "contracts",
            "Contracts with social value commitments",
            "Contracts the council has let that carry social value commitments, started by "
            f"today, newest first (the latest {CONTRACTS_LISTED} are listed).",
            [
                column("reference", "Reference", "text"),
                column("title", "Contract", "text"),
                column("supplier", "Supplier", "text"),
                column("starts", "Starts", "date"),
                column("ends", "Ends", "date"),
                column("value", "Contract value", "pence"),
            ],
            [
                row(
                    {
                        "reference": c.reference,
                        "title": c.title,
                        "supplier": c.supplier.name,
                        "starts": c.start_date,
                        "ends": c.end_date,
                        "value": c.value_pence,
                    }
                )
                for c in contracts[:CONTRACTS_LISTED]
            ],
        ),
        table(
            "by-theme",
            "Social value committed and verified, by theme",
            "What suppliers committed to over the life of the contracts, and the part of what "
            "they delivered that the council has checked against evidence (verified). The two "
            "are never added together.",
            [
                column("group", "Theme", "text"),
                column("committed", "Committed", "pence"),
                column("claimed", "Claimed", "pence"),
                column("verified", "Verified", "pence"),
            ],
            [
                row(
                    {
                        "group": name,
                        "committed": totals_.committed_pence,
                        "claimed": totals_.claimed_pence,
                        "verified": totals_.verified_pence,
                    },
                    restricted=name in now.restricted.get("theme", set()),
                )
                for name, totals_ in theme_rows
            ],
            chart={
                "kind": "committed-claimed-verified",
                "title": "Social value by theme",
                "alt": "Bar chart of committed, claimed and verified social value by theme. "
                "The same figures are in the table.",
            },
        ),
    ]
    figures = [
        figure(
            "contracts",
            "Contracts with social value commitments",
            "Contracts started by today that carry social value commitments.",
            "count",
            contract_count,
            compare=False,
        ),
        figure(
            "committed",
            "Committed",
            "Social value suppliers committed to over the life of those contracts.",
            "pence",
            totals.committed_pence,
            compare=False,
            restricted=restricted_total,
        ),
        figure(
            "verified",
            "Verified to date",
            "Social value delivered and checked by the council against evidence.",
            "pence",
            totals.verified_pence,
            compare=False,
            restricted=restricted_total,
        ),
    ]
    try:
        year = analyses.year_of(analyses.organisation_analysis(council), None)
    except analyses.AnalysisNotReady:
        year = None
    if year is not None:
        tables.append(
            table(
                "local-spend",
                f"Where the council's spend goes, {year.financial_year}",
                "The share of the council's payments in the year to suppliers based in, or with "
                "a branch in, each area, and with small businesses and the voluntary sector.",
                [
                    column("group", "", "text"),
                    column("pounds", "Spend", "pence"),
                    column("percent", "Share", "percent"),
                ],
                [
                    row(
                        {
                            "group": label,
                            "pounds": getattr(year, name).pence,
                            "percent": getattr(year, name).percent,
                        }
                    )
                    for name, label in LOCAL_SHARES
                ],
                chart={
                    "kind": "percent-bars",
                    "title": "Share of spend (%)",
                    "alt": "Bar chart of the share of the council's spend that stays local. "
                    "The same figures are in the table.",
                },
            )
        )
        figures.append(
            figure(
                "in-borough",
                f"Spend with suppliers in the borough, {year.financial_year}",
                "The share of the year's payments to suppliers based in the borough.",
                "percent",
                year.in_borough.percent,
                compare=False,
            )
        )
    document = {
        "council": {"name": council.name, "gss_code": council.gss_code},
        "as_at": today.isoformat(),
        "sections": [{"key": "summary", "title": "Summary", "figures": figures, "tables": tables}],
    }
    return public_view(document)


def public_summary(council: Organisation) -> dict[str, Any]:
    """The summary as the public sees it, kept until any delivery figure of the council
    changes (and for a day at most)."""
    key = f"reporting:public:{council.pk}:{figures_stamp(council.pk)}:{timezone.localdate()}"
    return cached(key, lambda: _build(council), store=SHARED)
