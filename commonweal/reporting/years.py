"""The council's policy years, from its reporting settings."""

from __future__ import annotations

from commonweal.accounts.models import Organisation
from commonweal.reporting.models import ReportingSettings
from commonweal.valuation.programme import PolicyYears


def reporting_settings_of(council: Organisation | int) -> ReportingSettings:
    """The council's reporting settings, or the defaults (unsaved) if it never set them."""
    council_id = council if isinstance(council, int) else council.pk
    found = ReportingSettings.objects.filter(council_id=council_id).first()
    return found or ReportingSettings(council_id=council_id)


def policy_years_of(council: Organisation | int) -> PolicyYears | None:
    """The years of the council's Social Value Policy; None until it says when it adopted it."""
    settings = reporting_settings_of(council)
    if settings.policy_adopted_on is None:
        return None
    return PolicyYears(
        settings.policy_adopted_on, settings.year_starts_month, settings.year_starts_day
    )
