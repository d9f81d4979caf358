"""Access helpers for frameworks, versions, measures, deflator and carbon series and local
measure sets.

Shipped frameworks (no owner) are readable by every signed-in person. A council's own framework
and its measure sets are readable only by that council's members (a combined authority's
frameworks also by its councils' members, who adopt its region-wide measures); anyone else gets
a 404, so nobody learns they exist. Only the owning council's admin may change them (others: 403).
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from commonweal.accounts.models import Membership, User
from commonweal.accounts.roles import Role
from commonweal.frameworks.models import (
    CarbonSeries,
    DeflatorSeries,
    Framework,
    FrameworkVersion,
    LocalMeasureSet,
    LocalMeasureSetVersion,
    Measure,
    Outcome,
    SourcedSeries,
    Theme,
)

EDIT_DENIED = "You need to be a council admin of the council that owns this to change it"

SeriesT = TypeVar("SeriesT", bound=SourcedSeries)


def _organisation_ids(user: User) -> list[int]:
    return list(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))


def _framework_owner_ids(user: User) -> set[int]:
    """The person's organisations and the combined authority of each of their councils: a
    combined authority's frameworks hold the region-wide measures its councils adopt."""
    pairs = Membership.objects.filter(user=user).values_list(
        "organisation_id", "organisation__combined_authority_id"
    )
    return {pk for pair in pairs for pk in pair if pk is not None}


def readable_frameworks(user: User) -> QuerySet[Framework]:
    """Shipped frameworks, those owned by any organisation the person belongs to, and those of
    the combined authority their council belongs to."""
    return Framework.objects.filter(
        Q(owner__isnull=True) | Q(owner_id__in=_framework_owner_ids(user))
    ).select_related("owner")


def can_read_framework(user: User, framework: Framework) -> bool:
    if framework.owner_id is None:
        return True
    return framework.owner_id in _framework_owner_ids(user)


def values_visible_to(user: User, framework: Framework) -> bool:
    """Restricted values (say, a licensed TOMs set) are shown only to the owning council's
    members (a combined authority's licence does not reach its councils)."""
    if not framework.values_restricted:
        return True
    return (
        framework.owner_id is not None
        and Membership.objects.filter(user=user, organisation_id=framework.owner_id).exists()
    )


def is_council_admin_of(user: User, organisation_id: int | None) -> bool:
    if organisation_id is None:
        return False
    return Membership.objects.filter(
        user=user, organisation_id=organisation_id, role=Role.COUNCIL_ADMIN
    ).exists()


def require_council_admin_of(user: User, organisation_id: int | None) -> None:
    if not is_council_admin_of(user, organisation_id):
        raise PermissionDenied(EDIT_DENIED)


def framework_for_user(user: User, pk: int) -> Framework:
    framework = readable_frameworks(user).filter(pk=pk).first()
    if framework is None:
        raise Http404("No such framework")
    return framework


def version_for_user(user: User, pk: int) -> FrameworkVersion:
    version = (
        FrameworkVersion.objects.select_related("framework", "framework__owner")
        .filter(pk=pk, framework__in=readable_frameworks(user))
        .first()
    )
    if version is None:
        raise Http404("No such framework version")
    return version


def theme_for_user(user: User, pk: int) -> Theme:
    theme = (
        Theme.objects.select_related("version", "version__framework")
        .filter(pk=pk, version__framework__in=readable_frameworks(user))
        .first()
    )
    if theme is None:
        raise Http404("No such theme")
    return theme


def outcome_for_user(user: User, pk: int) -> Outcome:
    outcome = (
        Outcome.objects.select_related("theme", "theme__version", "theme__version__framework")
        .filter(pk=pk, theme__version__framework__in=readable_frameworks(user))
        .first()
    )
    if outcome is None:
        raise Http404("No such outcome")
    return outcome


def readable_measures(user: User) -> QuerySet[Measure]:
    """Every measure in a framework the person can read."""
    return Measure.objects.filter(version__framework__in=readable_frameworks(user))


def measure_for_user(
    user: User, pk: int, *, also_readable: QuerySet[Measure] | None = None
) -> Measure:
    """A measure the person can read; 404 otherwise.

    ``also_readable`` lets another app widen access for a reason it checks itself, such as a
    supplier reading the measures of a tender they are invited to.
    """
    allowed = readable_measures(user)
    if also_readable is not None:
        allowed = allowed | also_readable
    measure = (
        Measure.objects.select_related("version", "version__framework", "outcome", "outcome__theme")
        .filter(pk__in=allowed.values("pk"))
        .filter(pk=pk)
        .first()
    )
    if measure is None:
        raise Http404("No such measure")
    return measure


def readable_measure_sets(user: User) -> QuerySet[LocalMeasureSet]:
    return LocalMeasureSet.objects.filter(owner_id__in=_organisation_ids(user)).select_related(
        "owner"
    )


def measure_set_for_user(user: User, pk: int) -> LocalMeasureSet:
    measure_set = readable_measure_sets(user).filter(pk=pk).first()
    if measure_set is None:
        raise Http404("No such measure set")
    return measure_set


def set_version_for_user(user: User, pk: int) -> LocalMeasureSetVersion:
    version = (
        LocalMeasureSetVersion.objects.select_related("measure_set", "measure_set__owner")
        .filter(pk=pk, measure_set__in=readable_measure_sets(user))
        .first()
    )
    if version is None:
        raise Http404("No such measure set version")
    return version


def _readable_series(model: type[SeriesT], user: User) -> QuerySet[SeriesT]:
    """Shared series (no owner) and those owned by an organisation the person is in."""
    return model._default_manager.filter(
        Q(owner__isnull=True) | Q(owner_id__in=_organisation_ids(user))
    ).select_related("owner")


def readable_deflator_series(user: User) -> QuerySet[DeflatorSeries]:
    """Shared deflator series (no owner) and those owned by an organisation the person is in."""
    return _readable_series(DeflatorSeries, user)


def deflator_series_for_user(user: User, pk: int) -> DeflatorSeries:
    series = readable_deflator_series(user).filter(pk=pk).first()
    if series is None:
        raise Http404("No such deflator series")
    return series


def readable_carbon_series(user: User) -> QuerySet[CarbonSeries]:
    """Shared carbon series (no owner) and those owned by an organisation the person is in."""
    return _readable_series(CarbonSeries, user)


def carbon_series_for_user(user: User, pk: int) -> CarbonSeries:
    series = readable_carbon_series(user).filter(pk=pk).first()
    if series is None:
        raise Http404("No such carbon series")
    return series
