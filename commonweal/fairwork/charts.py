"""Charts for the fair work and equality pages: Vega-Lite specs (Altair) rendered to SVG on the
server, each shown with a table of the same figures under it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import altair as alt
import vl_convert

from commonweal.fairwork.selectors import AccreditedYear, ModuleSummary
from commonweal.valuation.fair_work import EFLG_LEVELS

BLUE, GREEN, GREY, ORANGE, PURPLE = "#1d70b8", "#00703c", "#b1b4b6", "#f47738", "#4c2c92"


def _svg(chart: alt.Chart) -> str:
    svg: str = vl_convert.vegalite_to_svg(chart.to_dict())
    return svg


def accredited_value_svg(years: list[AccreditedYear], *, spend: bool) -> str:
    """Contract value (or spend) by financial year: with verified accredited suppliers, with
    self-declared ones, and with the rest, stacked so each bar is the year's total."""
    data: list[dict[str, Any]] = []
    order = ["Verified accredited", "Self-declared accredited", "Not accredited"]
    for year in years:
        if spend:
            if year.spend_total_pence is None:
                continue
            verified = year.spend_verified_pence or 0
            declared = year.spend_declared_pence or 0
            total = year.spend_total_pence
        else:
            verified = year.contract_value_verified_pence
            declared = year.contract_value_declared_pence
            total = year.contract_value_total_pence
        for group, pence in zip(
            order, (verified, declared, total - verified - declared), strict=True
        ):
            data.append(
                {"year": year.financial_year, "group": group, "pounds": float(Decimal(pence) / 100)}
            )
    chart = (
        alt.Chart(
            alt.Data(values=data),  # type: ignore[no-untyped-call]
            title="Spend by financial year"
            if spend
            else "Value of contracts let, by financial year",
        )
        .mark_bar()
        .encode(
            x=alt.X("year:N", title="Financial year"),
            y=alt.Y("pounds:Q", title="£", axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                "group:N",
                title=None,
                sort=order,
                scale=alt.Scale(domain=order, range=[GREEN, BLUE, GREY]),
            ),
            order=alt.Order("group_order:Q"),
        )
        .transform_calculate(group_order=f"indexof({order!r}, datum.group)")
        .properties(width=520, height=260)
    )
    return _svg(chart)


def module_levels_svg(modules: list[ModuleSummary]) -> str:
    """Criteria at each level in each module, now and a year ago."""
    levels = [level.label for level in EFLG_LEVELS] + ["Not assessed"]
    keys = [level.value for level in EFLG_LEVELS] + ["not_assessed"]
    data = []
    for module in modules:
        for when, counts in (("A year ago", module.counts_year_ago), ("Now", module.counts_now)):
            for key, label in zip(keys, levels, strict=True):
                data.append(
                    {
                        "module": f"{module.number}. {module.name}",
                        "when": when,
                        "level": label,
                        "criteria": counts.get(key, 0),
                    }
                )
    chart = (
        alt.Chart(alt.Data(values=data), title="Criteria at each level")  # type: ignore[no-untyped-call]
        .mark_bar()
        .encode(
            y=alt.Y("when:N", title=None, sort=["A year ago", "Now"]),
            x=alt.X("criteria:Q", title="Criteria", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "level:N",
                title=None,
                sort=levels,
                scale=alt.Scale(domain=levels, range=[ORANGE, BLUE, GREEN, GREY]),
            ),
            order=alt.Order("level_order:Q"),
            row=alt.Row("module:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
        )
        .transform_calculate(level_order=f"indexof({levels!r}, datum.level)")
        .properties(width=420, height=50)
    )
    return _svg(chart)
