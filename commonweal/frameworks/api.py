"""JSON API for frameworks, versions, measures and their £ values with provenance, and for a
council admin publishing the council's own framework versions and measure set versions.

The same access rules as the pages: shipped frameworks for everyone signed in, a council's own
frameworks only for its members (anyone else gets 404), and only the council's admins publish.
Values of a restricted framework are never returned to anyone outside the council that holds
its licence.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from commonweal.accounts.access import request_user
from commonweal.frameworks import local_sets, selectors, services
from commonweal.frameworks.access import (
    framework_for_user,
    measure_for_user,
    readable_frameworks,
    require_council_admin_of,
    set_version_for_user,
    values_visible_to,
    version_for_user,
)
from commonweal.frameworks.models import Framework, FrameworkVersion, Measure

router = Router()


class FrameworkOut(Schema):
    id: int
    slug: str
    name: str
    publisher: str
    description: str
    licence: str
    licence_url: str
    source_title: str
    source_url: str
    owner: str | None
    values_restricted: bool


class FrameworkVersionOut(Schema):
    id: int
    framework_id: int
    year: int
    label: str
    status: str
    in_force_from: date
    price_base_year: int


class ProxyOut(Schema):
    amount_per_unit: Decimal
    price_year: int
    source_title: str
    source_url: str
    licence: str
    confidence: str


class MeasureOut(Schema):
    id: int
    version_id: int
    code: str
    title: str
    description: str
    theme: str
    outcome: str
    unit: str
    value_type: str
    evidence_expected: str
    counting_notes: str
    tags: list[str]
    light_set: bool
    ppn002_outcomes: list[str]
    cwb_pillars: list[str]
    eflg_modules: list[str]
    proxy: ProxyOut | None
    values_withheld: bool


class ValueByYearOut(Schema):
    measure_id: int
    version_id: int
    year: int
    status: str
    proxy: ProxyOut | None


class MeasureDetailOut(MeasureOut):
    values_by_year: list[ValueByYearOut]


class MeasureFilterIn(Schema):
    search: str = ""
    theme_id: int | None = None
    value_type: str = ""
    tag: str = ""
    light_set: bool = False


def _framework_out(framework: Framework) -> FrameworkOut:
    return FrameworkOut(
        id=framework.pk,
        slug=framework.slug,
        name=framework.name,
        publisher=framework.publisher,
        description=framework.description,
        licence=framework.licence,
        licence_url=framework.licence_url,
        source_title=framework.source_title,
        source_url=framework.source_url,
        owner=framework.owner.name if framework.owner else None,
        values_restricted=framework.values_restricted,
    )


def _version_out(version: FrameworkVersion) -> FrameworkVersionOut:
    return FrameworkVersionOut(
        id=version.pk,
        framework_id=version.framework_id,
        year=version.year,
        label=version.label,
        status=version.status,
        in_force_from=version.in_force_from,
        price_base_year=version.price_base_year,
    )


def _proxy_out(measure: Measure, show_values: bool) -> ProxyOut | None:
    proxy = getattr(measure, "proxy", None)
    if proxy is None or not show_values:
        return None
    return ProxyOut(
        amount_per_unit=proxy.amount_per_unit,
        price_year=proxy.price_year,
        source_title=proxy.source_title,
        source_url=proxy.source_url,
        licence=proxy.licence,
        confidence=proxy.confidence,
    )


def _measure_fields(measure: Measure, show_values: bool) -> dict[str, Any]:
    has_proxy = getattr(measure, "proxy", None) is not None
    return {
        "id": measure.pk,
        "version_id": measure.version_id,
        "code": measure.code,
        "title": measure.title,
        "description": measure.description,
        "theme": measure.outcome.theme.name,
        "outcome": measure.outcome.name,
        "unit": measure.unit,
        "value_type": measure.value_type,
        "evidence_expected": measure.evidence_expected,
        "counting_notes": measure.counting_notes,
        "tags": list(measure.tags),
        "light_set": measure.light_set,
        "ppn002_outcomes": list(measure.ppn002_outcomes),
        "cwb_pillars": list(measure.cwb_pillars),
        "eflg_modules": list(measure.eflg_modules),
        "proxy": _proxy_out(measure, show_values),
        "values_withheld": has_proxy and not show_values,
    }


@router.get("", response=list[FrameworkOut], summary="Frameworks you can read")
def list_frameworks(request: HttpRequest, search: str = "") -> list[FrameworkOut]:
    frameworks = selectors.search_frameworks(readable_frameworks(request_user(request)), search)
    return [_framework_out(f) for f in frameworks]


@router.get("/{int:framework_id}", response=FrameworkOut, summary="One framework")
def get_framework(request: HttpRequest, framework_id: int) -> FrameworkOut:
    return _framework_out(framework_for_user(request_user(request), framework_id))


@router.get(
    "/{int:framework_id}/versions",
    response=list[FrameworkVersionOut],
    summary="A framework's versions, newest first",
)
def list_versions(request: HttpRequest, framework_id: int) -> list[FrameworkVersionOut]:
    framework = framework_for_user(request_user(request), framework_id)
    return [_version_out(v) for v in selectors.framework_versions(framework)]


@router.get(
    "/versions/{int:version_id}/measures",
    response=list[MeasureOut],
    summary="Measures of a framework version, with their £ values and sources",
)
@paginate(LimitOffsetPagination)
def list_measures(
    request: HttpRequest, version_id: int, filters: Query[MeasureFilterIn]
) -> list[dict[str, Any]]:
    user = request_user(request)
    version = version_for_user(user, version_id)
    show_values = values_visible_to(user, version.framework)
    measures = selectors.version_measures(
        version,
        selectors.MeasureFilters(
            search=filters.search,
            theme_id=filters.theme_id,
            value_type=filters.value_type,
            tag=filters.tag,
            light_set=filters.light_set,
        ),
    )
    return [_measure_fields(m, show_values) for m in measures]


@router.get(
    "/measures/{int:measure_id}",
    response=MeasureDetailOut,
    summary="One measure with its £ value, provenance and values in other versions",
)
def get_measure(request: HttpRequest, measure_id: int) -> MeasureDetailOut:
    user = request_user(request)
    measure = measure_for_user(user, measure_id)
    show_values = values_visible_to(user, measure.version.framework)
    by_year = [
        ValueByYearOut(
            measure_id=other.pk,
            version_id=other.version_id,
            year=other.version.year,
            status=other.version.status,
            proxy=_proxy_out(other, show_values),
        )
        for other in selectors.values_by_year(measure)
    ]
    return MeasureDetailOut(**_measure_fields(measure, show_values), values_by_year=by_year)


class SetVersionOut(Schema):
    id: int
    measure_set_id: int
    number: int
    status: str
    in_force_from: date | None


class PublishSetIn(Schema):
    in_force_from: date


def _publish(call: Any) -> Any:
    try:
        return call()
    except PermissionDenied as denied:
        raise HttpError(403, str(denied)) from None
    except ValidationError as problem:
        raise HttpError(422, "; ".join(problem.messages)) from None


@router.post(
    "/versions/{int:version_id}/publish",
    response=FrameworkVersionOut,
    summary="Publish a draft version of your council's own framework (council admin)",
)
def publish_version(request: HttpRequest, version_id: int) -> FrameworkVersionOut:
    user = request_user(request)
    version = version_for_user(user, version_id)
    _publish(lambda: require_council_admin_of(user, version.framework.owner_id))
    _publish(lambda: services.framework_version_publish(version=version, by=user))
    return _version_out(version)


@router.post(
    "/measure-sets/versions/{int:set_version_id}/publish",
    response=SetVersionOut,
    summary="Publish a draft version of your council's measure set, for tenders to use "
    "(council admin)",
)
def publish_set_version(
    request: HttpRequest, set_version_id: int, payload: PublishSetIn
) -> SetVersionOut:
    user = request_user(request)
    set_version = set_version_for_user(user, set_version_id)
    _publish(lambda: require_council_admin_of(user, set_version.measure_set.owner_id))
    _publish(
        lambda: local_sets.set_version_publish(
            set_version=set_version, in_force_from=payload.in_force_from, by=user
        )
    )
    return SetVersionOut(
        id=set_version.pk,
        measure_set_id=set_version.measure_set_id,
        number=set_version.number,
        status=set_version.status,
        in_force_from=set_version.in_force_from,
    )
