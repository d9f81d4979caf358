"""What the partnership's downloads hold: the charter's signatories and pledges, the progress
returns, a network's figures and the region view, as rows for CSV and as JSON-ready data. The
pages, the public pages and the API hand out the same figures."""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

from commonweal.accounts.selectors import LivingWageStatus
from commonweal.core.downloads import attachment, csv_attachment
from commonweal.core.exports import csv_writer
from commonweal.partnership.models import CharterVersion, Partnership, ProgressReturn, Signatory
from commonweal.partnership.selectors import NetworkView, RegionTable, RegionView
from commonweal.valuation.money import plain_number, plain_pounds


def csv_response(filename: str, rows: Iterable[Iterable[Any]]) -> HttpResponse:
    response = csv_attachment(filename)
    csv_writer(response).writerows(rows)
    return response


def json_response(filename: str, data: Any) -> HttpResponse:
    return attachment(json.dumps(data, indent=2, ensure_ascii=False), "application/json", filename)


def _number(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    return plain_number(Decimal(value))


# --- The charter ----------------------------------------------------------------------------


def charter_data(partnership: Partnership, version: CharterVersion | None) -> dict[str, Any]:
    return {
        "partnership": partnership.name,
        "owner": partnership.owner.name,
        "charter": None
        if version is None
        else {
            "title": version.title,
            "version": version.number,
            "adopted_on": version.adopted_on.isoformat() if version.adopted_on else None,
            "introduction": version.introduction,
            "principles": [
                {
                    "number": p.number,
                    "title": p.title,
                    "text": p.text,
                    "cwb_pillars": list(p.cwb_pillars),
                    "measures": [m.code for m in p.measures.all()],
                }
                for p in version.principles.order_by("number").prefetch_related("measures")
            ],
        },
    }


def pledge_data(signatory: Signatory) -> list[dict[str, Any]]:
    return [
        {
            "principle": pledge.principle.number,
            "kind": pledge.kind,
            "measure": pledge.measure.code if pledge.measure else None,
            "unit": pledge.measure.unit if pledge.measure else None,
            "quantity": _number(pledge.quantity) or None,
            "financial_year": pledge.target_year_label or None,
            "commitment": pledge.commitment,
        }
        for pledge in signatory.pledges.all()
    ]


def signatories_data(signatories: Iterable[Signatory]) -> list[dict[str, Any]]:
    return [
        {
            "organisation": s.organisation.name,
            "sector": s.get_sector_display(),
            "signed_by": s.signed_by_name,
            "role": s.signed_by_role,
            "signed_on": s.signed_on.isoformat() if s.signed_on else None,
            "charter_version": s.charter_version.number if s.charter_version else None,
            "pledges": pledge_data(s),
        }
        for s in signatories
    ]


SIGNATORY_HEADER = [
    "organisation",
    "sector",
    "signed by",
    "role",
    "signed on",
    "charter version",
    "principle",
    "pledge kind",
    "measure",
    "unit",
    "target",
    "financial year",
    "commitment",
]


def signatory_rows(signatories: Iterable[Signatory]) -> list[list[str]]:
    """One row per pledge (an organisation with no pledges yet gets one row without)."""
    rows = [SIGNATORY_HEADER]
    for s in signatories:
        base = [
            s.organisation.name,
            s.get_sector_display(),
            s.signed_by_name,
            s.signed_by_role,
            s.signed_on.isoformat() if s.signed_on else "",
            str(s.charter_version.number) if s.charter_version else "",
        ]
        pledges = list(s.pledges.all())
        if not pledges:
            rows.append([*base, "", "", "", "", "", "", ""])
        for p in pledges:
            rows.append(
                [
                    *base,
                    str(p.principle.number),
                    p.get_kind_display(),
                    p.measure.code if p.measure else "",
                    p.measure.unit if p.measure else "",
                    _number(p.quantity),
                    p.target_year_label,
                    p.commitment,
                ]
            )
    return rows


# --- Progress returns -----------------------------------------------------------------------

RETURN_HEADER = [
    "reference",
    "organisation",
    "financial year",
    "principle",
    "measure",
    "unit",
    "target",
    "progress",
    "self-reported figure",
    "reviewed figure",
    "status",
    "submitted",
    "late",
]


def return_rows(returns: Iterable[ProgressReturn]) -> list[list[str]]:
    """Self-reported and reviewed figures in columns of their own, never added."""
    rows = [RETURN_HEADER]
    for r in returns:
        pledge = r.pledge
        rows.append(
            [
                r.reference,
                pledge.signatory.organisation.name,
                r.year_label,
                str(pledge.principle.number),
                pledge.measure.code if pledge.measure else "",
                pledge.measure.unit if pledge.measure else "",
                _number(pledge.quantity),
                r.get_progress_display(),
                _number(r.reported_quantity),
                _number(r.reviewed_quantity),
                r.get_status_display(),
                r.submitted_at.date().isoformat() if r.submitted_at else "",
                "yes" if r.submitted_late else "no",
            ]
        )
    return rows


# --- Networks --------------------------------------------------------------------------------


def network_data(view: NetworkView, *, named: bool) -> dict[str, Any]:
    """The network's figures; ``named`` adds each member's figures shared by name (members
    only: the public get the combined figures alone)."""

    def rows(figure_rows: Any, money: bool) -> list[dict[str, Any]]:
        out = []
        for row in figure_rows:
            item: dict[str, Any] = {
                "label": row.label,
                "unit": row.unit,
                "as_of": row.as_of,
                "combined": (
                    (row.total.value if money else _number(row.total.value))
                    if row.total.shown
                    else None
                ),
                "combined_withheld_because": row.total.note or None,
            }
            if money:
                item["combined_percent"] = (
                    str(row.total.percent) if row.total.percent is not None else None
                )
            if named:
                item["members"] = [
                    {
                        "organisation": member.organisation.name,
                        "value": (cell.value if money else _number(cell.value))
                        if cell.shown
                        else None,
                        "not_shown_because": cell.note or None,
                        "as_of": cell.as_of or None,
                    }
                    for member, cell in zip(view.members, row.cells, strict=True)
                ]
            out.append(item)
        return out

    return {
        "network": view.network.name,
        "convener": view.network.convener.name,
        "financial_year": view.financial_year,
        "members": len(view.members),
        "minimum_members_for_a_combined_figure": view.minimum_members,
        "spend_pence": rows(view.spend_rows, True),
        "jobs_and_apprenticeships": rows(view.jobs_rows, False),
        "real_living_wage": _living_wage_data(view, named=named),
    }


def _living_wage_text(status: LivingWageStatus | None) -> str:
    if status is None:
        return "Not recorded"
    if not status.accredited:
        return f"Ended {status.ended_on:%Y-%m-%d}" if status.ended_on else "Ended"
    checked = f", evidence checked {status.checked_on:%Y-%m-%d}" if status.checked_on else ""
    return f"{status.basis_label}, since {status.accredited_since:%Y-%m-%d}{checked}"


def _living_wage_data(view: NetworkView, *, named: bool) -> dict[str, Any]:
    """How many members are accredited Real Living Wage employers; by name for members."""
    data: dict[str, Any] = {
        "as_of": view.today.isoformat(),
        "accredited_members": view.living_wage_employers,
        "members": len(view.members),
    }
    if named:
        data["by_member"] = [
            {
                "organisation": m.organisation.name,
                "accredited": bool(m.living_wage and m.living_wage.accredited),
                "status": _living_wage_text(m.living_wage),
            }
            for m in view.members
        ]
    return data


def _shown(value: Any, money: bool) -> str:
    if value is None:
        return ""
    return plain_pounds(value) if money else _number(value)


def network_rows(view: NetworkView, *, named: bool) -> list[list[str]]:
    names = [m.organisation.name for m in view.members] if named else []
    rows = [["topic", "label", "unit", *names, "combined", "as of", "withheld because"]]
    for topic, figure_rows, money in (
        ("spend", view.spend_rows, True),
        ("jobs and apprenticeships", view.jobs_rows, False),
    ):
        for row in figure_rows:
            members = (
                [_shown(c.value, money) if c.shown else c.note for c in row.cells] if named else []
            )
            rows.append(
                [
                    topic,
                    row.label,
                    "£" if money else row.unit,
                    *members,
                    _shown(row.total.value, money) if row.total.shown else "",
                    row.as_of,
                    row.total.note,
                ]
            )
    rows.append(
        [
            "real living wage",
            "Accredited Real Living Wage employers",
            "members",
            *([_living_wage_text(m.living_wage) for m in view.members] if named else []),
            f"{view.living_wage_employers} of {len(view.members)}",
            f"As of {view.today:%-d %b %Y}, as each member records it",
            "",
        ]
    )
    return rows


# --- The region view ---------------------------------------------------------------------------


def _region_value(value: int | Decimal | None, pence: bool) -> str:
    if value is None:
        return ""
    return plain_pounds(int(value)) if pence else _number(value)


def _table_rows(table: RegionTable | None, section: str) -> list[list[str]]:
    """One row per council and measure, then the total; money in pounds."""
    if table is None:
        return []
    rows = []
    for row in table.rows:
        label = f"{row.label} (£)" if row.pence and "£" not in table.title else row.label
        for council, value in zip(table.councils, row.cells, strict=True):
            rows.append(
                [section, table.title, label, council.name, _region_value(value, row.pence)]
            )
        rows.append(
            [
                section,
                table.title,
                label,
                "Total of the councils shown",
                _region_value(row.total, row.pence),
            ]
        )
    return rows


def region_rows(view: RegionView) -> list[list[str]]:
    rows = [["section", "table", "row", "council", "value"]]
    rows += _table_rows(view.procurements, "procurements")
    for table in view.delivery:
        rows += _table_rows(table, "delivery (£)")
    rows += _table_rows(view.spend, "spend (£)")
    rows += _table_rows(view.partnerships, "charters and networks")
    return rows


def _json_value(value: int | Decimal | None) -> int | str | None:
    if value is None or isinstance(value, int):
        return value
    return plain_number(value)


def _table_data(table: RegionTable | None) -> dict[str, Any] | None:
    if table is None:
        return None
    return {
        "title": table.title,
        "councils": [c.name for c in table.councils],
        "rows": [
            {
                "label": row.label,
                "unit": "pence" if row.pence else "number",
                "values": {
                    c.name: _json_value(v) for c, v in zip(table.councils, row.cells, strict=True)
                },
                "total": _json_value(row.total),
            }
            for row in table.rows
        ],
    }


def region_data(view: RegionView) -> dict[str, Any]:
    """The region view as JSON-ready data: money in integer pence; committed, claimed and
    verified in separate tables."""
    return {
        "combined_authority": view.authority.name,
        "as_of": view.as_of.isoformat() if view.as_of else None,
        "councils_sharing": view.sharing_count,
        "councils": view.council_count,
        "procurements": _table_data(view.procurements),
        "delivery": [_table_data(t) for t in view.delivery],
        "spend_financial_year": view.spend_year,
        "spend": _table_data(view.spend),
        "charters_and_networks": _table_data(view.partnerships),
    }
