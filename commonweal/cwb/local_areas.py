"""A council's local areas (borough, combined authority, region, the deprived-area threshold):
worked out from the authority lookup the first time they are needed, or set by hand."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError

from commonweal.accounts.models import Organisation, User
from commonweal.core.audit import save_audited
from commonweal.cwb import refdata_store
from commonweal.cwb.models import LocalTierSettings
from commonweal.spend_engine import geography
from commonweal.spend_engine.classify import DEFAULT_DEPRIVED_DECILE_MAX


def worked_out_local_areas(organisation: Organisation) -> geography.LocalAreas:
    """The organisation's areas as the authority lookup gives them (see
    :mod:`commonweal.spend_engine.geography`); AreaNotFound says why they cannot be."""
    if not organisation.is_council or not organisation.gss_code:
        raise geography.AreaNotFound(
            "Local areas are worked out only for councils and combined authorities; "
            "enter the districts and region by hand"
        )
    return refdata_store.authority_lookup().local_areas(organisation.gss_code)


def default_local_tiers(organisation: Organisation) -> dict[str, Any] | None:
    """The tiers a council starts with, worked out from the authority lookup. None when they
    cannot be (a partner, or a council the lookup does not know)."""
    try:
        areas = worked_out_local_areas(organisation)
    except geography.AreaNotFound:
        return None
    return _tiers_from(areas)


def _tiers_from(areas: geography.LocalAreas) -> dict[str, Any]:
    return {
        "borough_lad_codes": list(areas.borough.lad_codes),
        "combined_authority_lad_codes": list(areas.combined_authority.lad_codes),
        "region_code": areas.region_code,
        "worked_out_from": areas.source,
        "descriptions": {
            "borough": areas.borough.description,
            "combined_authority": areas.combined_authority.description,
            "region": areas.region_name,
        },
    }


def local_tiers_for(organisation: Organisation) -> LocalTierSettings | None:
    """The organisation's tier settings, worked out from the authority lookup the first time."""
    existing = LocalTierSettings.objects.filter(organisation=organisation).first()
    if existing is not None:
        return existing
    defaults = default_local_tiers(organisation)
    if defaults is None:
        return None
    return local_tiers_update(
        organisation=organisation,
        by=None,
        deprived_decile_max=DEFAULT_DEPRIVED_DECILE_MAX,
        **defaults,
    )


def local_tiers_work_out(*, organisation: Organisation, by: User | None) -> LocalTierSettings:
    """Replace the areas with those worked out from the authority lookup (the deprived-area
    threshold is kept). A ValidationError says why they cannot be worked out."""
    try:
        areas = worked_out_local_areas(organisation)
    except geography.AreaNotFound as problem:
        raise ValidationError(str(problem)) from None
    existing = LocalTierSettings.objects.filter(organisation=organisation).first()
    return local_tiers_update(
        organisation=organisation,
        by=by,
        deprived_decile_max=(
            existing.deprived_decile_max if existing else DEFAULT_DEPRIVED_DECILE_MAX
        ),
        **_tiers_from(areas),
    )


def local_tiers_update(
    *,
    organisation: Organisation,
    by: User | None,
    borough_lad_codes: Sequence[str],
    combined_authority_lad_codes: Sequence[str],
    region_code: str,
    deprived_decile_max: int,
    worked_out_from: str = "",
    descriptions: dict[str, str] | None = None,
) -> LocalTierSettings:
    """Save the areas; set by hand (no ``worked_out_from``) unless they were worked out."""
    tiers = LocalTierSettings.objects.filter(organisation=organisation).first()
    if tiers is None:
        tiers = LocalTierSettings(organisation=organisation)
    tiers.borough_lad_codes = [c.strip().upper() for c in borough_lad_codes if c.strip()]
    tiers.combined_authority_lad_codes = [
        c.strip().upper() for c in combined_authority_lad_codes if c.strip()
    ]
    tiers.region_code = region_code.strip().upper()
    tiers.deprived_decile_max = deprived_decile_max
    tiers.worked_out_from = worked_out_from
    tiers.descriptions = descriptions or {}
    tiers.updated_by = by
    return save_audited(tiers, by=by)
