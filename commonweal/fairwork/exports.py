"""Fair work and equality downloads: CSV and XLSX tables, and the self-assessment as a Word
document for a peer challenge. Figures about people with a protected characteristic go through
the council's small-number rule here exactly as on the pages."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from docx import Document
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Font

from commonweal.accounts.models import Organisation
from commonweal.core import exports
from commonweal.fairwork import selectors
from commonweal.fairwork.models import EflgEvidence
from commonweal.valuation.fair_work import SmallNumberSuppression
from commonweal.valuation.money import plain_pounds

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: object) -> str:
    """A value as text a spreadsheet will not run: text starting like a formula gets a
    leading apostrophe (numbers are written as numbers, so a negative one is never text)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


Table = tuple[list[str], list[list[object]]]


def rates_table(council: Organisation) -> Table:
    header = [
        "label",
        "year_announced",
        "announced",
        "pay_by",
        "pay_by_basis",
        "uk_rate_gbp",
        "london_rate_gbp",
        "national_living_wage_on_pay_by_gbp",
        "added_by_council",
        "sources",
        "note",
    ]
    rows: list[list[object]] = []
    for row in selectors.rate_rows(council):
        rate = row.rate
        rows.append(
            [
                rate.label,
                rate.year,
                row.announced_text,
                rate.pay_by.isoformat() if rate.pay_by else "",
                row.pay_by_basis,
                rate.uk_rate if rate.uk_rate is not None else "",
                rate.london_rate if rate.london_rate is not None else "",
                row.national_living_wage.rate if row.national_living_wage else "",
                "yes" if row.added else "no",
                "; ".join(rate.sources),
                rate.note,
            ]
        )
    return header, rows


def findings_table(council: Organisation) -> Table:
    header = [
        "contract_reference",
        "supplier",
        "return_reference",
        "period",
        "checked_on",
        "area",
        "lowest_paid_gbp",
        "required_gbp",
        "rate",
        "due_from",
        "rule",
        "status",
        "recovery_action",
        "action_owner",
        "action_due",
        "action_status",
        "resolution",
    ]
    rows: list[list[object]] = [
        [
            f.contract.reference,
            f.contract.supplier.name,
            f.supplier_return.reference,
            f.supplier_return.period.label,
            f.day.isoformat(),
            f.get_area_display(),
            f.paid,
            f.required,
            f.rate_label,
            f.due_from.isoformat(),
            f.rule_code,
            f.get_status_display(),
            f.action,
            f.action_owner,
            f.action_due_on.isoformat(),
            f.get_action_status_display(),
            f.resolution,
        ]
        for f in selectors.wage_findings(council)
    ]
    return header, rows


def by_year_table(years: Sequence[selectors.AccreditedYear]) -> Table:
    header = [
        "financial_year",
        "contracts_let",
        "contract_value_gbp",
        "contracts_verified_accredited",
        "contract_value_verified_accredited_gbp",
        "contracts_self_declared_accredited",
        "contract_value_self_declared_accredited_gbp",
        "spend_gbp",
        "spend_verified_accredited_gbp",
        "spend_self_declared_accredited_gbp",
        "suppliers_paid_verified_accredited",
        "suppliers_paid_self_declared_accredited",
    ]
    rows: list[list[object]] = [
        [
            y.financial_year,
            y.contracts_total,
            plain_pounds(y.contract_value_total_pence),
            y.contracts_verified,
            plain_pounds(y.contract_value_verified_pence),
            y.contracts_declared,
            plain_pounds(y.contract_value_declared_pence),
            plain_pounds(y.spend_total_pence),
            plain_pounds(y.spend_verified_pence),
            plain_pounds(y.spend_declared_pence),
            "" if y.suppliers_paid_verified is None else y.suppliers_paid_verified,
            "" if y.suppliers_paid_declared is None else y.suppliers_paid_declared,
        ]
        for y in years
    ]
    return header, rows


def _evidence_lines(
    evidence: Iterable[EflgEvidence],
    suppression: SmallNumberSuppression,
    figures: dict[int, tuple[Decimal, Decimal]],
) -> list[str]:
    lines = []
    for item in evidence:
        line = f"{item.get_kind_display()}: {item.description}"
        if item.commitment is not None:
            line += f" ({item.commitment.contract.reference} {item.commitment.measure.code})"
        figure = selectors.evidence_figure(item, suppression, figures)
        if figure is not None:
            line += f". {figure.label}: {figure.text}"
        if item.linked_record:
            line += f" ({item.linked_record})"
        if item.url:
            line += f". {item.url}"
        if item.original_name:
            line += f". Document: {item.original_name}"
        lines.append(line)
    return lines


def self_assessment_table(council: Organisation, today: date) -> Table:
    """One row per criterion: its latest assessment and evidence, figures suppressed."""
    suppression = selectors.suppression_for(council)
    header = [
        "module",
        "module_level",
        "reference",
        "criterion",
        "level",
        "owner",
        "assessed_on",
        "narrative",
        "evidence",
    ]
    rows: list[list[object]] = []
    modules = selectors.module_summaries(council, today)
    current_ids = [r.current.pk for m in modules for r in m.rows if r.current]
    evidence = list(
        EflgEvidence.objects.filter(assessment_id__in=current_ids).select_related(
            "commitment__measure", "commitment__contract"
        )
    )
    figures = selectors.delivery_figures_for(
        [e.commitment_id for e in evidence if e.commitment_id], today
    )
    by_assessment: dict[int, list[EflgEvidence]] = {}
    for item in evidence:
        by_assessment.setdefault(item.assessment_id, []).append(item)
    for module in modules:
        level = module.now.level.label if module.now.level else "No level yet"
        for row in module.rows:
            current = row.current
            lines = (
                _evidence_lines(by_assessment.get(current.pk, []), suppression, figures)
                if current
                else []
            )
            rows.append(
                [
                    f"{module.number}. {module.name}",
                    level,
                    row.criterion.reference,
                    row.criterion.text,
                    current.get_level_display() if current else "Not assessed",
                    current.owner if current else "",
                    current.assessed_on.isoformat() if current else "",
                    current.narrative if current else "",
                    " | ".join(lines),
                ]
            )
    return header, rows


def csv_text(table: Table) -> str:
    header, rows = table
    return exports.csv_text(
        [
            header,
            *(
                [cell_text(v) if not isinstance(v, int | Decimal) else v for v in row]
                for row in rows
            ),
        ]
    )


def xlsx_bytes(sheets: Sequence[tuple[str, Table]]) -> bytes:
    workbook = Workbook()
    first = True
    for title, (header, rows) in sheets:
        sheet = workbook.active if first else workbook.create_sheet()
        assert sheet is not None
        first = False
        sheet.title = title[:31]
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(
                [
                    v if isinstance(v, int | Decimal) and not isinstance(v, bool) else cell_text(v)
                    for v in row
                ]
            )
    return exports.workbook_bytes(workbook)


def self_assessment_docx(council: Organisation, today: date) -> bytes:
    """The self-assessment for a peer challenge: each module's level by the rule, with its
    criteria, levels, owners, dates, narratives and evidence (small numbers withheld)."""
    suppression = selectors.suppression_for(council)
    modules = selectors.module_summaries(council, today)
    document = Document()
    styles = document.styles
    styles["Normal"].font.size = Pt(11)
    document.add_heading(f"{council.name}: Equality Framework self-assessment", level=0)
    document.add_paragraph(
        f"As at {today.day} {today:%B %Y}. Equality Framework for Local Government (LGA, 2021): "
        "four modules, each at Developing, Achieving or Excellent."
    )
    document.add_paragraph(
        f"How a module's level is worked out: {selectors.MODULE_RULE.title}. A module is Excellent only when every criterion is assessed as Excellent; one criterion "
        "at Developing holds it at Developing; a criterion not yet assessed leaves it without a "
        "level."
    )
    document.add_paragraph(
        f"Figures about people with a protected characteristic are shown only when they are nought "
        f"or at least {suppression.threshold}; smaller ones read '{suppression.withheld_text}'."
    )
    current_ids = [r.current.pk for m in modules for r in m.rows if r.current]
    evidence = list(
        EflgEvidence.objects.filter(assessment_id__in=current_ids).select_related(
            "commitment__measure", "commitment__contract"
        )
    )
    figures = selectors.delivery_figures_for(
        [e.commitment_id for e in evidence if e.commitment_id], today
    )
    by_assessment: dict[int, list[EflgEvidence]] = {}
    for item in evidence:
        by_assessment.setdefault(item.assessment_id, []).append(item)
    for module in modules:
        document.add_heading(f"Module {module.number}: {module.name}", level=1)
        now = module.now.level.label if module.now.level else "No level yet"
        before = module.year_ago.level.label if module.year_ago.level else "No level"
        document.add_paragraph(
            f"Level now: {now} ({module.now.explanation}). A year ago: {before}."
        )
        if not module.rows:
            document.add_paragraph("No criteria have been entered for this module.")
            continue
        for row in module.rows:
            current = row.current
            document.add_heading(f"{row.criterion.reference} {row.criterion.text}", level=2)
            if current is None:
                document.add_paragraph("Not assessed yet.")
                continue
            document.add_paragraph(
                f"Level: {current.get_level_display()}. Owner: {current.owner}. "
                f"Assessed on {current.assessed_on.day} {current.assessed_on:%B %Y}."
            )
            document.add_paragraph(current.narrative)
            lines = _evidence_lines(by_assessment.get(current.pk, []), suppression, figures)
            if lines:
                document.add_paragraph("Evidence:")
                for line in lines:
                    document.add_paragraph(line, style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
