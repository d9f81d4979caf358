"""Writes for a council's local measure sets and its own local measures.

A council composes a measure set (Rotherham uses about 20 measures) from measures of any
framework it can see: shipped frameworks, frameworks it imported, and its own local framework
("<Council> local measures"). Sets are versioned: a draft is edited, then published with the
date it is in force from, and a published version never changes again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from commonweal.accounts.models import Organisation, User
from commonweal.core.audit import acting_as, save_audited
from commonweal.frameworks import services
from commonweal.frameworks.engine_inputs import deflator_for_version, measure_spec
from commonweal.frameworks.models import (
    CarbonPathChoice,
    CarbonSeries,
    DeflatorSeries,
    Framework,
    FrameworkVersion,
    LocalMeasureSet,
    LocalMeasureSetItem,
    LocalMeasureSetVersion,
    Measure,
    Outcome,
    ProxyValue,
    Theme,
    VersionStatus,
)

LOCAL_FRAMEWORK_SLUG = "local-measures"
LOCAL_THEME_CODE = "LOCAL"
LOCAL_THEME_NAME = "Local measures"
LOCAL_OUTCOME_CODE = "LOCAL-1"
LOCAL_OUTCOME_NAME = "Local priorities"


def _require_draft(set_version: LocalMeasureSetVersion) -> None:
    if set_version.status != VersionStatus.DRAFT:
        raise ValidationError(
            f"{set_version} is {set_version.get_status_display().lower()} and cannot change. "
            "Start a new draft version to make changes."
        )


def _measure_usable_by(measure: Measure, owner: Organisation) -> bool:
    """Shipped measures, the owner's own, and its combined authority's (region-wide measures a
    council adopts, so figures across the region compare)."""
    owner_id = measure.version.framework.owner_id
    return owner_id is None or owner_id in (owner.pk, owner.combined_authority_id)


# --- Sets and their versions ----------------------------------------------------------------


def measure_set_create(
    *, owner: Organisation, name: str, description: str = "", by: User | None
) -> LocalMeasureSet:
    """Create a measure set with an empty draft version 1."""
    if not owner.is_council:
        raise ValidationError("Only a council or combined authority can have a measure set")
    measure_set = LocalMeasureSet(owner=owner, name=name.strip(), description=description)
    measure_set.full_clean()
    if LocalMeasureSet.objects.filter(owner=owner, name__iexact=measure_set.name).exists():
        raise ValidationError({"name": f"{owner.name} already has a set called {name}"})
    with transaction.atomic(), acting_as(by):
        measure_set.save()
        LocalMeasureSetVersion.objects.create(measure_set=measure_set, number=1)
    return measure_set


def set_version_create_draft(
    *, measure_set: LocalMeasureSet, by: User | None
) -> LocalMeasureSetVersion:
    """Start the next version as a draft holding the latest version's measures."""
    with transaction.atomic(), acting_as(by):
        versions = LocalMeasureSetVersion.objects.select_for_update().filter(
            measure_set=measure_set
        )
        draft = versions.filter(status=VersionStatus.DRAFT).first()
        if draft is not None:
            raise ValidationError(
                f"Version {draft.number} is still a draft. Edit or publish it first."
            )
        latest = versions.order_by("-number").first()
        number = (versions.aggregate(Max("number"))["number__max"] or 0) + 1
        version = LocalMeasureSetVersion.objects.create(
            measure_set=measure_set,
            number=number,
            deflator=latest.deflator if latest else None,
            carbon_series=latest.carbon_series if latest else None,
            carbon_path=latest.carbon_path if latest else CarbonPathChoice.CENTRAL,
        )
        if latest is not None:
            for item in latest.items.all():
                LocalMeasureSetItem.objects.create(
                    set_version=version, measure_id=item.measure_id, position=item.position
                )
    return version


def set_item_add(
    *, set_version: LocalMeasureSetVersion, measure: Measure, by: User | None
) -> LocalMeasureSetItem:
    """Add a measure to a draft set version. Codes must be unique in a set."""
    _require_draft(set_version)
    owner = set_version.measure_set.owner
    if not _measure_usable_by(measure, owner):
        raise ValidationError(f"{owner.name} cannot use measures of {measure.version.framework}")
    if measure.version.status == VersionStatus.RETIRED:
        raise ValidationError(
            f"{measure.code} comes from {measure.version}, which is retired. "
            "Use this measure as it stands in a version in force."
        )
    clash = (
        set_version.items.select_related("measure__version__framework")
        .filter(measure__code=measure.code)
        .first()
    )
    if clash is not None:
        raise ValidationError(
            f"The set already has a measure coded {measure.code} "
            f"(from {clash.measure.version}). Remove it first to use this one instead."
        )
    position = (set_version.items.aggregate(Max("position"))["position__max"] or 0) + 1
    item = LocalMeasureSetItem(set_version=set_version, measure=measure, position=position)
    return save_audited(item, by=by)


def set_item_remove(
    *, set_version: LocalMeasureSetVersion, measure: Measure, by: User | None
) -> None:
    _require_draft(set_version)
    item = set_version.items.filter(measure=measure).first()
    if item is None:
        raise ValidationError(f"{measure.code} is not in this set")
    with transaction.atomic(), acting_as(by):
        item.delete()


@dataclass(frozen=True)
class PublishProblem:
    measure: Measure
    message: str


def set_version_deflator_choose(
    *, set_version: LocalMeasureSetVersion, deflator: DeflatorSeries | None, by: User | None
) -> LocalMeasureSetVersion:
    """Choose the deflator series a draft version re-bases values with, or none.

    Only a shared series (no owner) or one of the set's own council may be chosen; a published
    version keeps the series it was published with.
    """
    _require_draft(set_version)
    owner = set_version.measure_set.owner
    if deflator is not None and deflator.owner_id not in (None, owner.pk):
        raise ValidationError(
            {"deflator": f"{owner.name} cannot use the deflator series {deflator.name}"}
        )
    set_version.deflator = deflator
    set_version.full_clean()
    with transaction.atomic(), acting_as(by):
        set_version.save(update_fields=["deflator"])
    return set_version


def carbon_rebase_problem(set_version: LocalMeasureSetVersion) -> str | None:
    """Why the version's deflator cannot re-base its council carbon series to another price
    year (it has no index for the series' price year), or None. Every tender and contract is
    valued in a price year the deflator covers, so such a series could never be used."""
    series = set_version.carbon_series
    if series is None:
        return None
    deflator = deflator_for_version(set_version)
    if series.price_year in deflator.index_by_year:
        return None
    return (
        f"{series.name} is in {series.price_year} prices, but the version's deflator "
        f"({deflator.source_title}) has no index for {series.price_year}, so its values could "
        f"not be re-based. Choose a deflator series that covers {series.price_year} first"
    )


def set_version_carbon_choose(
    *,
    set_version: LocalMeasureSetVersion,
    carbon_series: CarbonSeries | None,
    path: str,
    by: User | None,
) -> LocalMeasureSetVersion:
    """Choose how a draft version values carbon savings: the DESNZ series Commonweal ships on
    its low, central or high path (`carbon_series` None), or a carbon series of the set's own
    council (or a shared one), which gives one value a year and so only a central path.

    A published version keeps the choice it was published with, so a tender or contract valued
    with it never changes.
    """
    _require_draft(set_version)
    owner = set_version.measure_set.owner
    if carbon_series is not None and carbon_series.owner_id not in (None, owner.pk):
        raise ValidationError(
            {"carbon_series": f"{owner.name} cannot use the carbon series {carbon_series.name}"}
        )
    if path not in CarbonPathChoice.values:
        raise ValidationError({"carbon_path": f"{path!r} is not a path: low, central or high"})
    if carbon_series is not None and path != CarbonPathChoice.CENTRAL:
        raise ValidationError(
            {
                "carbon_path": f"{carbon_series.name} gives one value a year, so it has no "
                f"{path} path. Choose the central path, or the DESNZ series for its {path} path"
            }
        )
    set_version.carbon_series = carbon_series
    set_version.carbon_path = path
    problem = carbon_rebase_problem(set_version)
    if problem:
        raise ValidationError({"carbon_series": problem})
    set_version.full_clean()
    with transaction.atomic(), acting_as(by):
        set_version.save(update_fields=["carbon_series", "carbon_path"])
    return set_version


def set_version_publish_problems(set_version: LocalMeasureSetVersion) -> list[PublishProblem]:
    """Measures that stop the version from being published, each with the reason."""
    problems = []
    for item in set_version.items.select_related(
        "measure__version__framework", "measure__outcome__theme", "measure__proxy"
    ):
        measure = item.measure
        if measure.version.status != VersionStatus.PUBLISHED:
            problems.append(
                PublishProblem(
                    measure,
                    f"{measure.code} comes from {measure.version}, which is "
                    f"{measure.version.get_status_display().lower()}. "
                    "Publish that framework version first, or choose another measure.",
                )
            )
            continue
        try:
            measure_spec(measure)
        except ValueError as problem:
            problems.append(PublishProblem(measure, str(problem)))
    return problems


def set_version_publish(
    *, set_version: LocalMeasureSetVersion, in_force_from: date, by: User | None
) -> LocalMeasureSetVersion:
    """Publish a draft: from then on it never changes and tenders may use it."""
    _require_draft(set_version)
    if not set_version.items.exists():
        raise ValidationError("Add at least one measure before publishing the set")
    problems = [p.message for p in set_version_publish_problems(set_version)]
    if carbon_problem := carbon_rebase_problem(set_version):
        problems.append(carbon_problem)
    if problems:
        raise ValidationError(problems)
    set_version.status = VersionStatus.PUBLISHED
    set_version.in_force_from = in_force_from
    set_version.published_at = timezone.now()
    return save_audited(set_version, by=by)


# --- The council's own local measures --------------------------------------------------------


def local_framework_of(council: Organisation) -> Framework | None:
    return Framework.objects.filter(owner=council, slug=LOCAL_FRAMEWORK_SLUG).first()


def local_framework_create(*, council: Organisation, by: User | None) -> Framework:
    """The council's own framework for local measures, named "<Council> local measures"."""
    if not council.is_council:
        raise ValidationError("Only a council or combined authority can have local measures")
    existing = local_framework_of(council)
    if existing is not None:
        return existing
    framework = Framework(
        owner=council,
        slug=LOCAL_FRAMEWORK_SLUG,
        name=f"{council.name} local measures",
        publisher=council.name,
        description=f"Measures {council.name} defines for itself, with its own values.",
        licence=f"Set by {council.name}",
    )
    return save_audited(framework, by=by)


def _local_draft_version(framework: Framework, year: int, by: User | None) -> FrameworkVersion:
    """The local framework's draft; a new one copies the latest version's measures."""
    draft = framework.versions.filter(status=VersionStatus.DRAFT).order_by("-year").first()
    if draft is not None:
        return draft
    latest = framework.versions.order_by("-year").first()
    if latest is None:
        version = FrameworkVersion(
            framework=framework, year=year, in_force_from=date(year, 1, 1), price_base_year=year
        )
        version.full_clean()
        version.save()
        return version
    year = max(year, latest.year + 1)
    return services.framework_version_copy(
        version=latest, year=year, in_force_from=date(year, 1, 1), by=by
    )


@dataclass(frozen=True)
class LocalProxy:
    """A £ value per unit for a monetised local measure, with its source and licence."""

    amount_per_unit: Decimal
    price_year: int
    source_title: str
    licence: str
    source_url: str = ""
    confidence: str = "medium"


def local_measure_add(
    *,
    council: Organisation,
    code: str,
    title: str,
    unit: str,
    value_type: str,
    description: str = "",
    evidence_expected: str = "",
    counting_notes: str = "",
    tags: list[str] | None = None,
    cwb_pillars: list[str] | None = None,
    eflg_modules: list[str] | None = None,
    proxy: LocalProxy | None = None,
    year: int | None = None,
    by: User | None,
) -> Measure:
    """Add a measure of the council's own to the draft of its local framework.

    A monetised local measure must carry a proxy naming its source and licence; the engine's
    own check (MeasureSpec) decides, so a measure saved here can always be valued.
    """
    year = year or timezone.localdate().year
    with transaction.atomic(), acting_as(by):
        framework = local_framework_create(council=council, by=by)
        version = _local_draft_version(framework, year, by)
        theme, _ = Theme.objects.get_or_create(
            version=version, code=LOCAL_THEME_CODE, defaults={"name": LOCAL_THEME_NAME}
        )
        outcome, _ = Outcome.objects.get_or_create(
            theme=theme, code=LOCAL_OUTCOME_CODE, defaults={"name": LOCAL_OUTCOME_NAME}
        )
        code = code.strip().upper()
        if version.measures.filter(code=code).exists():
            raise ValidationError({"code": f"{framework.name} already has a measure coded {code}"})
        position = (version.measures.aggregate(Max("position"))["position__max"] or 0) + 1
        measure = Measure(
            version=version,
            outcome=outcome,
            code=code,
            title=title.strip(),
            description=description,
            unit=unit,
            value_type=value_type,
            evidence_expected=evidence_expected,
            counting_notes=counting_notes,
            tags=sorted(tags or []),
            cwb_pillars=sorted(cwb_pillars or []),
            eflg_modules=sorted(eflg_modules or []),
            position=position,
        )
        measure.full_clean()
        proxy_value = (
            ProxyValue(
                measure=measure,
                amount_per_unit=proxy.amount_per_unit,
                price_year=proxy.price_year,
                source_title=proxy.source_title.strip(),
                source_url=proxy.source_url.strip(),
                licence=proxy.licence.strip(),
                confidence=proxy.confidence,
            )
            if proxy is not None
            else None
        )
        if proxy_value is not None:
            proxy_value.full_clean(exclude=["measure"])
        # The engine's own rules: monetised needs a sourced, licensed proxy; others need none.
        measure.save()
        if proxy_value is not None:
            proxy_value.measure = measure
            proxy_value.save()
        try:
            measure_spec(
                Measure.objects.select_related("outcome__theme", "proxy").get(pk=measure.pk)
            )
        except ValueError as problem:
            raise ValidationError(str(problem)) from problem
    return measure


def set_local_measure_add(
    *, set_version: LocalMeasureSetVersion, code: str, by: User | None, **fields: Any
) -> Measure:
    """Create a local measure and add it to a draft set version, both or neither."""
    _require_draft(set_version)
    clash = set_version.items.filter(measure__code=code.strip().upper()).first()
    if clash is not None:
        raise ValidationError({"code": f"The set already has a measure coded {code.upper()}"})
    with transaction.atomic():
        measure = local_measure_add(
            council=set_version.measure_set.owner, code=code, by=by, **fields
        )
        set_item_add(set_version=set_version, measure=measure, by=by)
    return measure
