"""The public "Sources and licences" page: every value Commonweal ships, with its publisher,
years, price base and licence: the official series in valuation/reference/ and the proxy values
of the measure frameworks shipped in frameworks/content/; and, for a signed-in person, the
carbon and deflator series their council loaded to use in place of the shipped ones."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from commonweal.accounts.access import request_user
from commonweal.core.public import public
from commonweal.frameworks.access import readable_carbon_series, readable_deflator_series
from commonweal.frameworks.content import CONTENT_DIR, shipped_manifest
from commonweal.frameworks.selectors import series_with_years
from commonweal.valuation.official_series import (
    carbon_values,
    gdp_deflator,
    living_wage_rates,
    national_living_wage_rates,
    shipped_series,
)


@dataclass(frozen=True)
class ShippedProxy:
    framework: str
    measure_code: str
    measure_title: str
    amount: str
    unit: str
    price_year: str
    source: str
    source_url: str
    licence: str
    notes: str


def shipped_proxies() -> list[ShippedProxy]:
    """The £ values per unit in the shipped measure frameworks (only monetised measures)."""
    found = []
    for entry in shipped_manifest():
        with (CONTENT_DIR / entry["file"]).open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                amount = (row.get("Proxy £ per unit") or "").strip()
                if not amount:
                    continue
                found.append(
                    ShippedProxy(
                        framework=entry["name"],
                        measure_code=row["Measure code"],
                        measure_title=row["Measure title"],
                        amount=amount,
                        unit=row["Unit"],
                        price_year=row.get("Proxy price year", ""),
                        source=row.get("Proxy source", ""),
                        source_url=row.get("Proxy source link", ""),
                        licence=row.get("Proxy licence", ""),
                        notes=row.get("Proxy notes", ""),
                    )
                )
    return found


def loaded_series(request: HttpRequest) -> dict[str, Any]:
    """The carbon and deflator series loaded in place of the shipped ones that the person may
    read (their council's and any shared with every council); none for a visitor."""
    if not request.user.is_authenticated:
        return {"own_carbon": [], "own_deflators": []}
    user = request_user(request)
    return {
        "own_carbon": list(series_with_years(readable_carbon_series(user))),
        "own_deflators": list(series_with_years(readable_deflator_series(user))),
    }


@public
@require_safe
def sources(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "fairwork/sources.html",
        {
            **loaded_series(request),
            "series": shipped_series(),
            "frameworks": shipped_manifest(),
            "proxies": shipped_proxies(),
            "rlw": list(reversed(living_wage_rates())),
            "nlw": list(reversed(national_living_wage_rates())),
            "carbon": list(carbon_values().values.values()),
            "carbon_price_year": carbon_values().price_year,
            "deflator": list(gdp_deflator().index_by_year.items()),
        },
    )


@public
@require_safe
def source_note(request: HttpRequest, key: str) -> HttpResponse:
    for series in shipped_series():
        if series.key == key:
            return render(
                request,
                "fairwork/source_note.html",
                {"series": series, "text": series.source_note_text()},
            )
    raise Http404("No such source")
