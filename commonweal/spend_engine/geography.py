"""Work out a council's local areas (borough, combined authority, region) from an authority
lookup: mySociety's UK local authority names and codes, loaded by
:func:`commonweal.spend_engine.refdata.load_lad_to_combined_authority`.

A supplier is placed by its postcode's local authority district (the lower tier: unitary,
metropolitan, London borough or non-metropolitan district), so every tier is a set of district
codes. The rules, by the kind of council (its GSS code's entity, E06 to E10, E47):

* Unitary (E06), metropolitan (E08) and London borough (E09): the borough is the council's own
  district.
* Non-metropolitan district (E07): the borough is the district itself.
* County council (E10): the "borough" is the county's current districts.
* Combined authority tier: every district of the combined authority the council belongs to as it
  is in the lookup (2025 for mySociety's), where a county council's membership brings in all its
  districts and a district belongs through its county. London boroughs' tier is Greater London.
  A district of a county with no combined authority has its county's districts instead; a county
  council with none has its own districts; any other council with none, its own district.
* Region: the council's ONS region; a county's is the region most of its districts are in (the
  lookup's own region for some counties is wrong: Derbyshire is not in the West Midlands).
* A combined authority (E47) itself: its districts are both its borough and its tier.
"""

# SQL here is assembled from an escaped file path, because DuckDB cannot bind file names.
# ruff: noqa: S608
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from commonweal.spend_engine.sql import sql_string

#: GSS entity codes of the district (lower) tier: every supplier postcode is in one of these.
DISTRICT_ENTITIES = ("E06", "E07", "E08", "E09")
COUNTY_ENTITY = "E10"
COMBINED_AUTHORITY_ENTITY = "E47"

#: ONS region codes and names (RGN), England.
ENGLISH_REGIONS: dict[str, str] = {
    "E12000001": "North East",
    "E12000002": "North West",
    "E12000003": "Yorkshire and The Humber",
    "E12000004": "East Midlands",
    "E12000005": "West Midlands",
    "E12000006": "East of England",
    "E12000007": "London",
    "E12000008": "South East",
    "E12000009": "South West",
}


class AreaNotFound(ValueError):
    """The local areas cannot be worked out; the message says why and what to do instead."""


@dataclass(frozen=True)
class Authority:
    """One current authority of the lookup."""

    code: str
    name: str
    county_code: str | None = None
    combined_authority_code: str | None = None
    combined_authority_name: str | None = None
    region_code: str | None = None


@dataclass(frozen=True)
class Tier:
    lad_codes: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class LocalAreas:
    borough: Tier
    combined_authority: Tier
    region_code: str
    region_name: str
    source: str


def _is_district(code: str) -> bool:
    return code[:3] in DISTRICT_ENTITIES


def _districts(count: int) -> str:
    return f"{count} district{'' if count == 1 else 's'}"


class AuthorityLookup:
    """The current authorities of one lookup, with the rules above."""

    def __init__(self, authorities: Iterable[Authority], *, source: str) -> None:
        self.source = source
        self.by_code = {a.code: a for a in authorities}

    def name_of(self, code: str) -> str | None:
        found = self.by_code.get(code)
        return found.name if found else None

    def districts_of_county(self, county_code: str) -> tuple[str, ...]:
        return tuple(
            sorted(
                a.code
                for a in self.by_code.values()
                if a.county_code == county_code and _is_district(a.code)
            )
        )

    def combined_authority_of(self, code: str) -> tuple[str, str] | None:
        """(GSS code, name) of the combined authority a council belongs to, itself or through
        its county."""
        authority = self.by_code[code]
        for candidate in (authority, self.by_code.get(authority.county_code or "")):
            if candidate is not None and candidate.combined_authority_code:
                return candidate.combined_authority_code, (
                    candidate.combined_authority_name or candidate.combined_authority_code
                )
        return None

    def districts_of_combined_authority(self, ca_code: str) -> tuple[str, ...]:
        return tuple(
            sorted(
                a.code
                for a in self.by_code.values()
                if _is_district(a.code)
                and (self.combined_authority_of(a.code) or ("",))[0] == ca_code
            )
        )

    def region_of(self, districts: Iterable[str]) -> str | None:
        """The region most of these districts are in (ties go to the lower code)."""
        counts = Counter(
            region for d in districts if (region := self.by_code[d].region_code) is not None
        )
        if not counts:
            return None
        return min(counts, key=lambda region: (-counts[region], region))

    def local_areas(self, code: str) -> LocalAreas:
        code = code.strip().upper()
        if not re.fullmatch(r"[EWSN]\d{8}", code):
            raise AreaNotFound(f"'{code}' is not a GSS code such as E08000018")
        if not code.startswith("E"):
            raise AreaNotFound(
                f"Local areas are worked out only for English councils; {code} is not English, "
                "so enter its districts and region by hand"
            )
        if code[:3] == COMBINED_AUTHORITY_ENTITY:
            return self._combined_authority_areas(code)
        authority = self.by_code.get(code)
        if authority is None or not (_is_district(code) or code[:3] == COUNTY_ENTITY):
            raise AreaNotFound(
                f"{code} is not a current English council in {self.source}; load a newer "
                "authority lookup, or enter the districts and region by hand"
            )
        if code[:3] == COUNTY_ENTITY:
            own = self.districts_of_county(code)
            if not own:
                raise AreaNotFound(f"{self.source} lists no districts of {authority.name}")
            borough = Tier(own, f"{authority.name}'s {_districts(len(own))}")
        else:
            own = (code,)
            borough = Tier(own, authority.name)
        member_of = self.combined_authority_of(code)
        if member_of is not None:
            ca_districts = self.districts_of_combined_authority(member_of[0])
            middle = Tier(ca_districts, f"{member_of[1]} ({_districts(len(ca_districts))})")
        elif authority.county_code and (county := self.by_code.get(authority.county_code)):
            county_districts = self.districts_of_county(county.code)
            middle = Tier(
                county_districts,
                f"No combined authority: {county.name}'s {_districts(len(county_districts))}",
            )
        else:
            middle = Tier(own, f"No combined authority: {borough.description}")
        region = (
            self.region_of(own) if code[:3] == COUNTY_ENTITY else authority.region_code
        ) or self.region_of(own)
        return self._with_region(borough, middle, region, authority.name)

    def _combined_authority_areas(self, code: str) -> LocalAreas:
        districts = self.districts_of_combined_authority(code)
        if not districts:
            raise AreaNotFound(f"{self.source} lists no districts in combined authority {code}")
        name = next(
            (
                a.combined_authority_name
                for a in self.by_code.values()
                if a.combined_authority_code == code and a.combined_authority_name
            ),
            code,
        )
        tier = Tier(districts, f"{name} ({_districts(len(districts))})")
        return self._with_region(tier, tier, self.region_of(districts), name)

    def _with_region(
        self, borough: Tier, middle: Tier, region: str | None, name: str
    ) -> LocalAreas:
        if region is None or region not in ENGLISH_REGIONS:
            raise AreaNotFound(f"{self.source} gives no English region for {name}")
        return LocalAreas(borough, middle, region, ENGLISH_REGIONS[region], self.source)


def read_authority_lookup(path: Path, *, source: str) -> AuthorityLookup | None:
    """The lookup in a ``lad_to_combined_authority`` Parquet file, or None when the file gives
    no authority types and counties (ONS's district-to-combined-authority lookup has neither)."""
    import duckdb  # here: the region names and lookups above are used where DuckDB is not

    con = duckdb.connect()
    try:
        path_sql = sql_string(path)
        columns = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {path_sql}").fetchall()}
        if "authority_type" not in columns:
            return None
        typed = con.execute(f"SELECT count(authority_type) FROM {path_sql}").fetchone()
        if not typed or not typed[0]:
            return None
        rows = con.execute(
            f"""SELECT lad_code, coalesce(lad_name, lad_code), county_code, ca_code, ca_name,
                       region_code
                FROM {path_sql} WHERE lad_code IS NOT NULL"""
        ).fetchall()
    finally:
        con.close()
    return AuthorityLookup(
        (Authority(str(r[0]), str(r[1]), r[2], r[3], r[4], r[5]) for r in rows), source=source
    )
