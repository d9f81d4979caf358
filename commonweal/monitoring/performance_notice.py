"""Contract Performance Notice data (Procurement Act 2023 s.71), for CSV and JSON export.

Each KPI is listed with its latest rating: Good, Approaching target, Requires improvement,
Inadequate or Other, and the period it covers.
"""

from __future__ import annotations

from typing import Any

from commonweal.contracts.models import Contract
from commonweal.monitoring.models import Kpi, KpiAssessment
from commonweal.valuation.money import plain_pounds

CSV_HEADER = [
    "contract_reference",
    "contract_title",
    "contracting_authority",
    "supplier",
    "supplier_company_number",
    "contract_value_gbp",
    "kpi",
    "kpi_description",
    "period_start",
    "period_end",
    "rating",
    "explanation",
]


def notice_data(contract: Contract) -> dict[str, Any]:
    kpis = list(Kpi.objects.filter(contract=contract).prefetch_related("assessments"))
    entries = []
    for kpi in kpis:
        latest: KpiAssessment | None = max(
            kpi.assessments.all(), key=lambda a: (a.period_end, a.pk), default=None
        )
        entries.append(
            {
                "name": kpi.name,
                "description": kpi.description,
                "period_start": latest.period_start.isoformat() if latest else None,
                "period_end": latest.period_end.isoformat() if latest else None,
                "rating": latest.get_rating_display() if latest else None,
                "explanation": latest.explanation if latest else "",
            }
        )
    return {
        "contract_reference": contract.reference,
        "contract_title": contract.title,
        "contracting_authority": contract.council.name,
        "supplier": contract.supplier.name,
        "supplier_company_number": contract.supplier.company_number,
        "contract_value_gbp": plain_pounds(contract.value_pence),
        "kpis": entries,
    }


def notice_rows(data: dict[str, Any]) -> list[list[str]]:
    rows = [CSV_HEADER]
    for kpi in data["kpis"]:
        rows.append(
            [
                data["contract_reference"],
                data["contract_title"],
                data["contracting_authority"],
                data["supplier"],
                data["supplier_company_number"],
                data["contract_value_gbp"],
                kpi["name"],
                kpi["description"],
                kpi["period_start"] or "",
                kpi["period_end"] or "",
                kpi["rating"] or "Not yet rated",
                kpi["explanation"],
            ]
        )
    return rows
