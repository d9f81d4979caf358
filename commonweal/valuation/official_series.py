"""The official rates and series Commonweal ships, read from the files in `reference/`.

Each file is copied unchanged from its publication (see the `*.SOURCE.md` beside it) and listed
with its publisher, years, price base and licence in `reference/sources.json`. A figure missing
from a file stays missing: nothing here fills a gap.
"""

import csv
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from commonweal.valuation.carbon import CarbonValue, CarbonValueSeries
from commonweal.valuation.deflators import DeflatorSeries
from commonweal.valuation.fair_work import (
    DatePrecision,
    LivingWageRate,
    NationalLivingWageRate,
    pay_by_after,
)

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
MANIFEST = REFERENCE_DIR / "sources.json"


@dataclass(frozen=True)
class ShippedSeries:
    """One shipped series as the Sources and licences page lists it."""

    key: str
    title: str
    publisher: str
    publication: str
    file: str
    source_note: str
    years: str
    price_base: str
    licence: str
    licence_url: str
    source_url: str
    caveats: tuple[str, ...]
    extra: Mapping[str, Any]

    def source_note_text(self) -> str:
        return (REFERENCE_DIR / self.source_note).read_text(encoding="utf-8")


@cache
def _manifest() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return document


@cache
def shipped_series() -> tuple[ShippedSeries, ...]:
    known = {
        "key",
        "title",
        "publisher",
        "publication",
        "file",
        "source_note",
        "years",
        "price_base",
        "licence",
        "licence_url",
        "source_url",
        "caveats",
    }
    return tuple(
        ShippedSeries(
            key=entry["key"],
            title=entry["title"],
            publisher=entry["publisher"],
            publication=entry.get("publication", ""),
            file=entry["file"],
            source_note=entry["source_note"],
            years=entry["years"],
            price_base=entry["price_base"],
            licence=entry["licence"],
            licence_url=entry.get("licence_url", ""),
            source_url=entry.get("source_url", ""),
            caveats=tuple(entry.get("caveats", ())),
            extra={k: v for k, v in entry.items() if k not in known},
        )
        for entry in _manifest()["series"]
    )


def series_entry(key: str) -> ShippedSeries:
    for series in shipped_series():
        if series.key == key:
            return series
    raise KeyError(f"No shipped series {key!r}")


def _data_rows(file_name: str) -> Iterator[dict[str, str]]:
    """The rows of a shipped CSV, skipping the comment lines that start with #."""
    with (REFERENCE_DIR / file_name).open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        yield from csv.DictReader(lines)


def _amount(text: str) -> Decimal | None:
    return Decimal(text) if text.strip() else None


def parse_announcement(text: str) -> tuple[date | None, DatePrecision]:
    """The date an announcement was made, as far as the source gives it: "2012-11-05" (a day),
    "2016-11 (Living Wage Week)" (a month) or "2011 (spring; GLA)" (not even a month)."""
    head = text.split(" ", 1)[0].strip()
    parts = head.split("-")
    if len(parts) == 3:
        return date(int(parts[0]), int(parts[1]), int(parts[2])), DatePrecision.DAY
    if len(parts) == 2:
        return date(int(parts[0]), int(parts[1]), 1), DatePrecision.MONTH
    return None, DatePrecision.UNKNOWN


def _sources(text: str) -> tuple[str, ...]:
    return tuple(key.strip() for key in text.split(";") if key.strip())


@cache
def living_wage_rates() -> tuple[LivingWageRate, ...]:
    """The Real Living Wage by year as shipped, with each pay-by date published or worked out."""
    published: dict[str, dict[str, str]] = series_entry("real-living-wage").extra.get(
        "published_pay_by", {}
    )
    rates = []
    for row in _data_rows("living_wage.csv"):
        if row["series"] != "RLW":
            continue
        label = row["rate_year_label"].strip()
        announced_on, precision = parse_announcement(row["announced_or_effective"])
        pay_by = pay_by_after(announced_on, precision)
        pay_by_published = label in published
        if pay_by_published:
            pay_by = date.fromisoformat(published[label]["date"])
        rates.append(
            LivingWageRate(
                year=int(label[:4]),
                label=label,
                uk_rate=_amount(row["uk_rate"]),
                london_rate=_amount(row["london_rate"]),
                announced_on=announced_on,
                announced_precision=precision,
                pay_by=pay_by,
                pay_by_published=pay_by_published,
                sources=_sources(row["source_key"]),
                note=row["note"].strip(),
            )
        )
    return tuple(rates)


def announced_as_published(year: int) -> str:
    """The announcement date exactly as the shipped file gives it, like "2011 (spring; GLA)"."""
    for row in _data_rows("living_wage.csv"):
        if row["series"] == "RLW" and row["rate_year_label"].startswith(str(year)):
            return row["announced_or_effective"]
    raise KeyError(year)


@cache
def national_living_wage_rates() -> tuple[NationalLivingWageRate, ...]:
    rates = []
    for row in _data_rows("living_wage.csv"):
        if row["series"] != "NLW":
            continue
        uk_rate = _amount(row["uk_rate"])
        if uk_rate is None:
            continue
        rates.append(
            NationalLivingWageRate(
                effective_on=date.fromisoformat(row["announced_or_effective"].strip()),
                label=row["rate_year_label"].strip(),
                rate=uk_rate,
                sources=_sources(row["source_key"]),
                note=row["note"].strip(),
            )
        )
    return tuple(rates)


def _citation(key: str) -> tuple[str, str, str]:
    entry = series_entry(key)
    title = f"{entry.publisher}, {entry.publication}" if entry.publication else entry.title
    return title, entry.source_url, entry.licence


@cache
def carbon_values() -> CarbonValueSeries:
    """DESNZ carbon values 2020–2050 in 2022 prices, £ per tCO2e."""
    title, url, licence = _citation("carbon-values")
    values = {
        int(row["year"]): CarbonValue(
            year=int(row["year"]),
            low=Decimal(row["low"]),
            central=Decimal(row["central"]),
            high=Decimal(row["high"]),
        )
        for row in _data_rows("carbon_values.csv")
    }
    price_year: int = series_entry("carbon-values").extra["price_year"]
    return CarbonValueSeries(
        values=values, price_year=price_year, source_title=title, source_url=url, licence=licence
    )


@cache
def gdp_deflator() -> DeflatorSeries:
    """HM Treasury's calendar-year GDP deflator, 2024 = 100, 2010–2024."""
    title, url, licence = _citation("gdp-deflator")
    return DeflatorSeries(
        index_by_year={
            int(row["calendar_year"]): Decimal(row["gdp_deflator_index_2024_eq_100"])
            for row in _data_rows("gdp_deflators.csv")
        },
        source_title=f"{title} (calendar-year series, 2024 = 100)",
        source_url=url,
        licence=licence,
    )


def eflg_modules() -> tuple[tuple[str, int, str], ...]:
    """The EFLG's four modules as (key, number, name)."""
    modules = series_entry("eflg").extra["modules"]
    return tuple((m["key"], int(m["number"]), m["name"]) for m in modules)
