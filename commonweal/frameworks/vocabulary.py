"""Fixed vocabularies measures are mapped to: units, CWB pillars, EFLG modules."""

from __future__ import annotations

from django.db import models

# Units a measure may be counted in. Imports reject any other unit, naming the row.
UNITS: tuple[str, ...] = (
    "£",
    "FTE-years",
    "people (FTE)",
    "people",
    "weeks",
    "hours",
    "days",
    "tCO2e",
    "kWh",
    "tonnes",
    "number",
    "%",
    "qualitative",
)


class CwbPillar(models.TextChoices):
    """CLES's five pillars of community wealth building."""

    PLURAL_OWNERSHIP = "plural-ownership", "Plural ownership of the economy"
    FINANCIAL_POWER = "financial-power", "Making financial power work for local places"
    FAIR_EMPLOYMENT = "fair-employment", "Fair employment and just labour markets"
    PROGRESSIVE_PROCUREMENT = "progressive-procurement", "Progressive procurement"
    LAND_AND_PROPERTY = "land-and-property", "Socially productive use of land and property"


class EflgModule(models.TextChoices):
    """The four modules of the LGA's Equality Framework for Local Government (2021)."""

    COMMUNITIES = "communities", "Understanding and working with your communities"
    LEADERSHIP = "leadership", "Leadership, partnership and organisational commitment"
    SERVICES = "services", "Responsive services and customer care"
    WORKFORCE = "workforce", "Diverse and engaged workforce"
