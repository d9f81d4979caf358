"""Sections of the progress report that appear only when the council has that programme: its
partnerships (in `partnership_section`), fair work (the Real Living Wage) and equality (the
Equality Framework for Local Government).

Each reads the programme's own app through its selectors and returns None when there is
nothing to report, so a council without that programme gets no empty section.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse

from commonweal.fairwork import selectors as fair_work
from commonweal.fairwork.models import AccreditationStatus
from commonweal.reporting.figures import Scope, column, figure, row, table
from commonweal.reporting.partnership_section import partnership_sections
from commonweal.valuation.fair_work import EflgLevel
from commonweal.valuation.programme import percent


def programme_sections(scope: Scope) -> list[dict[str, Any] | None]:
    """The sections with data, in the order the report gives them: the partnerships the
    council runs, then fair work and equality."""
    return [
        *partnership_sections(scope),
        living_wage_section(scope),
        equality_section(scope),
    ]


# --- The Real Living Wage -------------------------------------------------------------------


def _year_row(
    rows: list[fair_work.AccreditedYear], label: str | None
) -> fair_work.AccreditedYear | None:
    return next((r for r in rows if r.financial_year == label), None) if label else None


def living_wage_section(scope: Scope) -> dict[str, Any] | None:
    """The council's own accreditation at the end of the year, and the contracts starting and
    spend paid in the year with suppliers accredited then, verified and self-declared apart."""
    council = scope.council
    progress = fair_work.accreditation_progress(council, scope.as_at)
    before = (
        fair_work.accreditation_progress(council, scope.previous_as_at)
        if scope.previous_as_at
        else None
    )
    years = fair_work.accredited_by_year(council, scope.today)
    this_year = _year_row(years, scope.year.label)
    last_year = _year_row(years, scope.previous.label if scope.previous else None)
    started = progress.status != AccreditationStatus.NOT_STARTED
    accredited_any = any(
        r and (r.contracts_verified or r.contracts_declared or r.spend_verified_pence)
        for r in (this_year, last_year)
    )
    if not started and not accredited_any:
        return None

    accreditation = reverse("fairwork:accreditation")
    contracts = reverse("fairwork:contracts")
    suppliers = reverse("fairwork:suppliers")
    figures = [
        figure(
            "council-accreditation",
            "The council's Real Living Wage accreditation",
            "Where the council stood at the end of the year on its journey to being, and "
            "staying, an accredited Real Living Wage employer (Living Wage Foundation), as its "
            "accreditation record says.",
            "text",
            progress.status_label,
            before.status_label if before else None,
            link=accreditation,
        )
    ]
    if progress.accredited_on:
        figures.append(
            figure(
                "accredited-on",
                "Accredited since",
                "The first day the council's record shows it accredited.",
                "date",
                progress.accredited_on,
                link=accreditation,
                compare=False,
            )
        )
    notes = []
    if this_year is None:
        notes.append(
            f"No contracts start and no spend is analysed in the financial year "
            f"{scope.year.label}, so there are no supplier figures for it."
        )
    else:

        def value(name: str, row_: fair_work.AccreditedYear | None) -> Any:
            return getattr(row_, name) if row_ is not None else None

        def verified_share(row_: fair_work.AccreditedYear | None) -> Decimal | None:
            if row_ is None:
                return None
            return percent(row_.contract_value_verified_pence, row_.contract_value_total_pence)

        figures += [
            figure(
                "contracts-started",
                "Contracts starting in the year",
                f"The council's contracts whose start date falls in the financial year "
                f"{scope.year.label}, and their value.",
                "count",
                this_year.contracts_total,
                value("contracts_total", last_year),
                link=contracts,
            ),
            figure(
                "contracts-verified",
                "Of those, with a supplier whose accreditation the council verified",
                "Contracts whose supplier was an accredited Real Living Wage employer on the "
                "contract's start date, checked by the council against evidence. Counted apart "
                "from self-declared accreditation and never added to it.",
                "count",
                this_year.contracts_verified,
                value("contracts_verified", last_year),
                link=suppliers,
            ),
            figure(
                "contracts-declared",
                "Of those, with a supplier that declared its accreditation",
                "Contracts whose supplier said it was accredited on the start date, not yet "
                "checked by the council.",
                "count",
                this_year.contracts_declared,
                value("contracts_declared", last_year),
                link=suppliers,
            ),
            figure(
                "value-verified-share",
                "Share of contract value with verified accredited suppliers",
                "The value of contracts starting in the year whose supplier's accreditation the "
                "council verified, as a share of the value of all contracts starting in the year.",
                "percent",
                verified_share(this_year),
                verified_share(last_year),
                link=suppliers,
            ),
        ]
        if this_year.spend_total_pence is not None:
            figures += [
                figure(
                    "spend-verified",
                    "Spend with verified accredited suppliers",
                    "The council's payments in the financial year to suppliers it verified as "
                    "accredited on the year's last day, from its spend analysis.",
                    "pence",
                    this_year.spend_verified_pence,
                    value("spend_verified_pence", last_year),
                    link=suppliers,
                ),
                figure(
                    "spend-declared",
                    "Spend with suppliers that declared their accreditation",
                    "Payments in the year to suppliers that said they were accredited, not yet "
                    "checked by the council. Counted apart from verified and never added to it.",
                    "pence",
                    this_year.spend_declared_pence,
                    value("spend_declared_pence", last_year),
                    link=suppliers,
                ),
            ]
    return {
        "key": "living-wage",
        "title": "Fair work: the Real Living Wage",
        "figures": figures,
        "tables": [],
        "notes": notes,
    }


# --- The Equality Framework for Local Government ---------------------------------------------


def _level_text(level: EflgLevel | None) -> str:
    return level.label if level is not None else "No level yet"


def _modules_at(summaries: list[fair_work.ModuleSummary], level: EflgLevel) -> int:
    return sum(1 for m in summaries if m.now.level is not None and m.now.level.rank >= level.rank)


def equality_section(scope: Scope) -> dict[str, Any] | None:
    """Each EFLG module's level at the end of the year beside the end of the year before, by
    the self-assessment's own rule (a module is at the level all its criteria have reached)."""
    council = scope.council
    if not fair_work.criteria_of(council).exists():
        return None
    now = fair_work.module_summaries(council, scope.as_at)
    before = (
        fair_work.module_summaries(council, scope.previous_as_at) if scope.previous_as_at else None
    )
    previous_of = {m.key: m for m in before} if before else {}
    rule = fair_work.rule_text(type(fair_work.MODULE_RULE)).title
    overview = reverse("fairwork:equality")
    figures = [
        figure(
            f"modules-{level.value}",
            f"Modules at {level.label} or above"
            if level != EflgLevel.EXCELLENT
            else "Modules at Excellent",
            f"Of the framework's modules, those at {level.label}"
            + (" or above" if level != EflgLevel.EXCELLENT else "")
            + f" at the end of the year ({rule.lower()}).",
            "count",
            _modules_at(now, level),
            _modules_at(before, level) if before else None,
            link=overview,
        )
        for level in (EflgLevel.ACHIEVING, EflgLevel.EXCELLENT)
    ]
    rows = [
        row(
            {
                "module": f"{m.number}. {m.name}",
                "level": _level_text(m.now.level),
                "previous": _level_text(previous_of[m.key].now.level)
                if m.key in previous_of
                else None,
                "criteria": m.now.criteria,
                "assessed": m.now.assessed,
                "excellent": m.now.at_least.get(EflgLevel.EXCELLENT, 0),
            },
            link=reverse("fairwork:eflg-module", args=[m.key]),
        )
        for m in now
    ]
    return {
        "key": "equality",
        "title": "Equality Framework for Local Government",
        "figures": figures,
        "tables": [
            table(
                "eflg-modules",
                "Each module's level",
                "The council's self-assessment against the Equality Framework for Local "
                "Government (LGA, 2021): each module's level at the end of the year and a year "
                "before, with its criteria and how many are assessed and at Excellent.",
                [
                    column("module", "Module", "text"),
                    column("level", "Level", "text"),
                    column("previous", "Level a year before", "text"),
                    column("criteria", "Criteria", "count"),
                    column("assessed", "Assessed", "count"),
                    column("excellent", "At Excellent", "count"),
                ],
                rows,
            )
        ],
    }
