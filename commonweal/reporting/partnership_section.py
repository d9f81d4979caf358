"""The progress report's partnership section, one for each partnership the council runs: its
charter's signatories and pledges at the end of the year beside the year before, the
signatories' progress returns for the year (self-reported and reviewed figures side by side,
never added), and the combined figures of the anchor networks grown from it, shown only where
the networks' disclosure rule allows.

Everything is read through the partnership app's own selectors (``charter_counts``,
``progress_by_year``, ``network_view`` with ``NetworkFigureDisclosure``); nothing is counted
again here. A partnership with nothing to report gets no section.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from commonweal.partnership import selectors as partnership_selectors
from commonweal.partnership.models import Partnership
from commonweal.reporting.figures import Scope, column, figure, row, table

RETURNS_DEFINITION = (
    "Signatories report once a year on each pledge, after the financial year ends; a "
    "coordinator reviews each return and accepts it or asks a question."
)


def partnership_sections(scope: Scope) -> list[dict[str, Any] | None]:
    """A section for each partnership the council owns, in name order; None for one with
    nothing to report for the year."""
    owned = Partnership.objects.filter(owner=scope.council).order_by("name", "pk")
    return [partnership_section(scope, partnership) for partnership in owned]


def _year_of(
    years: list[partnership_selectors.YearProgress], label: str | None
) -> partnership_selectors.YearProgress | None:
    return next((y for y in years if y.year_label == label), None) if label else None


def partnership_section(scope: Scope, partnership: Partnership) -> dict[str, Any] | None:
    now = partnership_selectors.charter_counts(partnership, as_at=scope.as_at)
    before = (
        partnership_selectors.charter_counts(partnership, as_at=scope.previous_as_at)
        if scope.previous_as_at
        else None
    )
    # Returns for a year are owed after it ends, so they are counted as they stand today.
    years = partnership_selectors.progress_by_year(partnership, today=scope.today)
    this_year = _year_of(years, scope.year.label)
    last_year = _year_of(years, scope.previous.label if scope.previous else None)
    networks = list(partnership_selectors.networks_of(partnership))
    if not (now.signatories or (before and before.signatories) or this_year or networks):
        return None

    def previous(name: str) -> Any:
        return getattr(before, name) if before is not None else None

    signatories = reverse("partnership:signatories", args=[partnership.pk])
    detail = reverse("partnership:detail", args=[partnership.pk])
    figures = [
        figure(
            "signatories",
            "Organisations signed up to the charter",
            f"Organisations that had signed the {partnership.name}'s charter by the end of the "
            "year and had not withdrawn.",
            "count",
            now.signatories,
            previous("signatories"),
            link=signatories,
        ),
        figure(
            "anchors",
            "Of those, anchor institutions",
            "Signatories that are anchor institutions, rooted in the place and large spenders "
            "and employers: councils, NHS trusts, colleges and universities, police, fire and "
            "rescue services, housing associations.",
            "count",
            now.anchors,
            previous("anchors"),
            link=signatories,
        ),
        figure(
            "pledges",
            "Pledges standing",
            "Pledges the signatories had made by the end of the year and not withdrawn: "
            "measurable targets and commitments in words.",
            "count",
            now.pledges,
            previous("pledges"),
            link=detail,
        ),
        figure(
            "targets",
            "Of those, measurable targets",
            "Pledges of a quantity of a measure by a financial year, which signatories report "
            "progress against.",
            "count",
            now.targets,
            previous("targets"),
            link=detail,
        ),
    ]
    notes = []
    tables = [
        table(
            "signatories-by-sector",
            "Signatories by sector",
            "Organisations signed up to the charter at the end of the year and at the end of "
            "the year before, by the kind of organisation they are.",
            [
                column("group", "Sector", "text"),
                column("count", "Signatories", "count"),
                column("previous", "A year before", "count"),
            ],
            [
                row(
                    {
                        "group": sector,
                        "count": count,
                        "previous": dict(before.by_sector).get(sector, 0) if before else None,
                    },
                    link=signatories,
                )
                for sector, count in _sectors(now, before)
            ],
        )
    ]
    if this_year is None:
        notes.append(
            f"No progress returns are owed for {scope.year.label} yet: signatories report on "
            "each financial year after it ends."
        )
    else:
        figures += _return_figures(scope, partnership, this_year, last_year)
        tables.append(_progress_table(scope, partnership, this_year))
    for link in networks:
        found, network_notes = _network_tables(scope, link.network)
        tables += found
        notes += network_notes
    return {
        "key": f"partnership-{partnership.pk}",
        "title": f"Partnership: {partnership.name}",
        "figures": figures,
        "tables": tables,
        "notes": notes,
    }


def _sectors(
    now: partnership_selectors.CharterCounts, before: partnership_selectors.CharterCounts | None
) -> list[tuple[str, int]]:
    """Every sector with signatories at either date, in the order ``charter_counts`` gives."""
    order = [sector for sector, _ in now.by_sector]
    order += [s for s, _ in (before.by_sector if before else []) if s not in order]
    counts = dict(now.by_sector)
    return [(sector, counts.get(sector, 0)) for sector in order]


def _return_figures(
    scope: Scope,
    partnership: Partnership,
    this_year: partnership_selectors.YearProgress,
    last_year: partnership_selectors.YearProgress | None,
) -> list[dict[str, Any]]:
    returns = reverse("partnership:reviews", args=[partnership.pk])
    year = f"?year={this_year.financial_year}"
    progress = reverse("partnership:progress", args=[partnership.pk])

    def previous(name: str) -> Any:
        return getattr(last_year, name) if last_year is not None else None

    def sent(row: partnership_selectors.YearProgress | None) -> int | None:
        return row.owed - row.not_sent if row is not None else None

    label = this_year.year_label
    return [
        figure(
            "returns-owed",
            f"Progress returns owed for {label}",
            f"One for each pledge that stood in the financial year {label}. " + RETURNS_DEFINITION,
            "count",
            this_year.owed,
            previous("owed"),
            link=progress,
        ),
        figure(
            "returns-sent",
            "Of those, sent",
            f"Returns for {label} the signatories have sent, whether reviewed yet or not, as "
            f"at {scope.today:%-d %B %Y}.",
            "count",
            sent(this_year),
            sent(last_year),
            link=returns + year,
        ),
        figure(
            "returns-accepted",
            "Of those, accepted by a coordinator",
            "Returns a coordinator reviewed and accepted, with the figure the partnership "
            "stands behind.",
            "count",
            this_year.accepted,
            previous("accepted"),
            link=returns + year + "&status=accepted",
        ),
        figure(
            "returns-late",
            "Returns sent after their due date",
            f"Returns sent after the day they were due ({partnership.return_due_days} days "
            "after the financial year ended).",
            "count",
            this_year.late,
            previous("late"),
            link=returns + year,
        ),
        figure(
            "returns-not-sent",
            "Returns not sent yet",
            f"Returns owed for {label} that the signatories have not sent, as at "
            f"{scope.today:%-d %B %Y}.",
            "count",
            this_year.not_sent,
            previous("not_sent"),
            link=progress,
        ),
    ]


def _progress_table(
    scope: Scope, partnership: Partnership, this_year: partnership_selectors.YearProgress
) -> dict[str, Any]:
    progress = reverse("partnership:progress", args=[partnership.pk])
    return table(
        "pledged-progress",
        f"Targets and progress reported for {this_year.year_label}",
        "For each measure the signatories pledged a target in: the targets set for the year, "
        "the progress the signatories reported themselves, and the part of it a coordinator "
        "reviewed and accepted. Self-reported and reviewed figures are separate and never "
        f"added together; returns as they stood on {scope.today:%-d %B %Y}.",
        [
            column("measure", "Measure", "text"),
            column("unit", "Unit", "text"),
            column("target", "Target for the year", "quantity"),
            column("reported", "Self-reported", "quantity"),
            column("reviewed", "Reviewed", "quantity"),
        ],
        [
            row(
                {
                    "measure": f"{m.code} {m.title}",
                    "unit": m.unit,
                    "target": m.target,
                    "reported": m.reported,
                    "reviewed": m.reviewed,
                },
                link=progress,
            )
            for m in this_year.measures
        ],
    )


def _network_tables(scope: Scope, network: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """The network's combined figures for the year, each shown only where
    ``NetworkFigureDisclosure`` allows the total and otherwise with its reason."""
    # As on the report's day, like the returns: a year's figures come in after it ends.
    view = partnership_selectors.network_view(network, scope.year.label, today=scope.today)
    if view.financial_year != scope.year.label or not (view.spend_rows or view.jobs_rows):
        return [], [f"{network.name} has no figures for {scope.year.label}."]
    notes = (
        []
        if view.spend_rows
        else [f"No member of {network.name} has imported its spend for {scope.year.label}."]
    )
    joined = any(m.organisation.pk == scope.council.pk for m in view.members)
    link = (
        reverse("partnership:network", args=[network.pk]) + f"?year={scope.year.label}"
        if joined
        else None
    )
    rule = partnership_selectors.DISCLOSURE
    withheld = (
        f"A combined figure is shown only when at least {rule.minimum_members} members "
        "contribute to it, so no member's figure can be worked out from it."
    )
    tables = []
    if view.spend_rows:
        tables.append(
            table(
                f"network-{network.pk}-spend",
                f"{network.name}: combined spend, {scope.year.label}",
                f"The {len(view.members)} members' spend in the financial year, combined, as "
                f"each imported it. {withheld}",
                [
                    column("figure", "Spend", "text"),
                    column("combined", "Combined", "pence"),
                    column("share", "Share of all spend", "percent"),
                    column("members", "Members contributing", "count"),
                    column("note", "Not shown because", "text"),
                ],
                [
                    row(
                        {
                            "figure": r.label,
                            "combined": r.total.value,
                            "share": r.total.percent,
                            "members": r.disclosure.contributors,
                            "note": r.total.note,
                        },
                        link=link,
                    )
                    for r in view.spend_rows
                ],
            )
        )
    if view.jobs_rows:
        tables.append(
            table(
                f"network-{network.pk}-jobs",
                f"{network.name}: combined jobs and apprenticeships, {scope.year.label}",
                "Jobs and apprenticeships committed and verified in members' contracts, and "
                "pledged and reviewed in their charter returns, combined. Committed, verified, "
                f"pledged and reviewed are separate figures, never added. {withheld}",
                [
                    column("figure", "Figure", "text"),
                    column("combined", "Combined", "quantity"),
                    column("members", "Members contributing", "count"),
                    column("note", "Not shown because", "text"),
                ],
                [
                    row(
                        {
                            "figure": f"{r.label} ({r.unit})",
                            "combined": r.total.value,
                            "members": r.disclosure.contributors,
                            "note": r.total.note,
                        },
                        link=link,
                    )
                    for r in view.jobs_rows
                ],
            )
        )
    return tables, notes
