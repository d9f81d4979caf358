"""Local measure sets: compose from frameworks and local measures, version, publish, compare."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from commonweal.frameworks import local_sets
from commonweal.frameworks.models import LocalMeasureSetItem, Measure, VersionStatus
from tests.frameworks.measures_world import MeasuresWorld, build_measures_world
from tests.frameworks.sample_frameworks import import_sample

pytestmark = pytest.mark.django_db

VOLUNTEERING = {
    "code": "rmbc-01",
    "title": "Volunteering hours in Rotherham",
    "unit": "hours",
    "value_type": "monetised",
    "proxy": local_sets.LocalProxy(
        amount_per_unit=Decimal("17.50"),
        price_year=2025,
        source_title="Rotherham MBC demo rate (illustrative demo data)",
        licence="Demo data",
    ),
}


@pytest.fixture
def measures(world) -> MeasuresWorld:
    return build_measures_world(world.council)


def test_a_new_draft_copies_the_previous_versions_measures(measures, council_admin):
    draft = local_sets.set_version_create_draft(measure_set=measures.measure_set, by=council_admin)
    assert draft.number == 2
    assert draft.status == VersionStatus.DRAFT
    assert set(draft.items.values_list("measure_id", flat=True)) == set(
        measures.set_version.items.values_list("measure_id", flat=True)
    )


def test_only_one_draft_at_a_time(measures, council_admin):
    local_sets.set_version_create_draft(measure_set=measures.measure_set, by=council_admin)
    with pytest.raises(ValidationError, match="still a draft"):
        local_sets.set_version_create_draft(measure_set=measures.measure_set, by=council_admin)


def test_a_published_version_never_changes(measures, council_admin):
    other = Measure.objects.filter(version=measures.shipped_2025).order_by("code").last()
    with pytest.raises(ValidationError, match="published and cannot change"):
        local_sets.set_item_add(set_version=measures.set_version, measure=other, by=council_admin)
    with pytest.raises(ValidationError, match="published and cannot change"):
        local_sets.set_item_remove(
            set_version=measures.set_version, measure=measures.carbon, by=council_admin
        )


def test_a_set_cannot_hold_two_measures_with_the_same_code(measures, council_admin):
    draft = local_sets.set_version_create_draft(measure_set=measures.measure_set, by=council_admin)
    same_code = Measure.objects.get(version=measures.licensed, code=measures.carbon.code)
    with pytest.raises(ValidationError, match="already has a measure coded T-ENV-01"):
        local_sets.set_item_add(set_version=draft, measure=same_code, by=council_admin)


def test_a_council_cannot_use_another_councils_measures(world, measures, council_admin):
    theirs = import_sample(world.other_council, slug="sheffield-bank")
    draft = local_sets.set_version_create_draft(measure_set=measures.measure_set, by=council_admin)
    with pytest.raises(ValidationError, match="cannot use measures"):
        local_sets.set_item_add(
            set_version=draft, measure=theirs.measures.first(), by=council_admin
        )


def test_a_monetised_local_measure_needs_a_source_and_a_licence(world, council_admin):
    no_source = local_sets.LocalProxy(
        amount_per_unit=Decimal("17.50"), price_year=2025, source_title="", licence="Demo data"
    )
    with pytest.raises(ValidationError):
        local_sets.local_measure_add(
            council=world.council, **{**VOLUNTEERING, "proxy": no_source}, by=council_admin
        )
    with pytest.raises(ValidationError, match="no £ proxy value"):
        local_sets.local_measure_add(
            council=world.council, **{**VOLUNTEERING, "proxy": None}, by=council_admin
        )
    assert not Measure.objects.exists()


def test_local_measures_live_in_the_councils_own_local_framework(world, council_admin):
    measure = local_sets.local_measure_add(
        council=world.council, **VOLUNTEERING, year=2025, by=council_admin
    )
    framework = measure.version.framework
    assert framework.name == "Rotherham Metropolitan Borough Council local measures"
    assert framework.owner == world.council
    assert measure.code == "RMBC-01"
    assert measure.proxy.amount_per_unit == Decimal("17.50")
    assert measure.version.status == VersionStatus.DRAFT


def test_after_the_local_framework_is_published_new_local_measures_go_into_a_new_draft(
    world, council_admin
):
    from commonweal.frameworks import services

    first = local_sets.local_measure_add(
        council=world.council, **VOLUNTEERING, year=2025, by=council_admin
    )
    services.framework_version_publish(version=first.version, by=council_admin)
    second = local_sets.local_measure_add(
        council=world.council,
        code="RMBC-02",
        title="Care leavers supported",
        unit="people",
        value_type="record_only",
        year=2025,
        by=council_admin,
    )
    assert second.version.year == 2026
    assert set(second.version.measures.values_list("code", flat=True)) == {"RMBC-01", "RMBC-02"}


def test_a_set_cannot_be_published_while_a_measure_comes_from_a_draft_framework(
    world, measures, council_admin
):
    draft = local_sets.set_version_create_draft(measure_set=measures.measure_set, by=council_admin)
    local_sets.set_local_measure_add(set_version=draft, **VOLUNTEERING, by=council_admin)
    with pytest.raises(ValidationError, match="which is draft. Publish that framework version"):
        local_sets.set_version_publish(
            set_version=draft, in_force_from=date(2026, 4, 1), by=council_admin
        )


def test_an_empty_set_cannot_be_published(world, council_admin):
    measure_set = local_sets.measure_set_create(owner=world.council, name="Empty", by=council_admin)
    with pytest.raises(ValidationError, match="at least one measure"):
        local_sets.set_version_publish(
            set_version=measure_set.versions.get(), in_force_from=date(2026, 4, 1), by=None
        )


def test_set_changes_are_on_the_councils_audit_trail(measures, council_admin, world):
    draft = local_sets.set_version_create_draft(measure_set=measures.measure_set, by=council_admin)
    local_sets.set_item_remove(set_version=draft, measure=measures.carbon, by=council_admin)
    entry = LogEntry.objects.get_for_model(LocalMeasureSetItem).filter(action=2).get()
    assert entry.actor == council_admin
    assert entry.additional_data["organisation_id"] == world.council.pk


# --- Pages ----------------------------------------------------------------------------------


def test_a_council_admin_builds_publishes_and_compares_a_set_in_the_browser(
    world, measures, client_for, council_admin
):
    client = client_for(council_admin)
    response = client.post(reverse("frameworks:set-new-version", args=[measures.measure_set.pk]))
    draft = measures.measure_set.versions.get(number=2)
    assert response["Location"] == reverse("frameworks:set-version-edit", args=[draft.pk])

    editor = client.get(response["Location"], {"q": "Carbon"}).content.decode()
    assert "Add a local measure of your own" in editor

    client.post(
        reverse("frameworks:set-item-remove", args=[draft.pk]), {"measure": measures.carbon.pk}
    )
    response = client.post(
        reverse("frameworks:local-measure-create", args=[draft.pk]),
        {
            "code": "RMBC-01",
            "title": "Volunteering hours in Rotherham",
            "unit": "hours",
            "value_type": "monetised",
            "tags": ["volunteering-hours"],
            "amount_per_unit": "17.50",
            "price_year": "2025",
            "source_title": "Rotherham MBC demo rate (illustrative demo data)",
            "licence": "Demo data",
            "confidence": "low",
        },
    )
    assert response.status_code == 302
    local = Measure.objects.get(code="RMBC-01")
    assert draft.items.filter(measure=local).exists()

    # The set cannot be published until the local framework version is.
    page = client.post(
        reverse("frameworks:set-version-publish", args=[draft.pk]),
        {"in_force_from_day": "1", "in_force_from_month": "4", "in_force_from_year": "2026"},
    )
    assert "Publish that framework version first" in page.content.decode()
    client.post(reverse("frameworks:version-publish", args=[local.version_id]))
    response = client.post(
        reverse("frameworks:set-version-publish", args=[draft.pk]),
        {"in_force_from_day": "1", "in_force_from_month": "4", "in_force_from_year": "2026"},
    )
    assert response["Location"] == reverse("frameworks:set-version", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    assert draft.in_force_from == date(2026, 4, 1)

    compare = client.get(
        reverse("frameworks:set-compare", args=[measures.measure_set.pk]),
        {"before": measures.set_version.pk, "after": draft.pk},
    ).content.decode()
    assert "1 measure added" in compare
    assert "1 measure removed" in compare
    assert "RMBC-01 Volunteering hours in Rotherham" in compare
    assert "T-ENV-01 Carbon saved" in compare


def test_the_local_measure_form_refuses_a_monetised_measure_without_source_and_licence(
    measures, client_for, council_admin
):
    client = client_for(council_admin)
    client.post(reverse("frameworks:set-new-version", args=[measures.measure_set.pk]))
    draft = measures.measure_set.versions.get(number=2)
    page = client.post(
        reverse("frameworks:local-measure-create", args=[draft.pk]),
        {
            "code": "RMBC-01",
            "title": "Volunteering",
            "unit": "hours",
            "value_type": "monetised",
            "amount_per_unit": "17.50",
            "price_year": "2025",
            "confidence": "medium",
        },
    )
    text = page.content.decode()
    assert "a monetised measure needs a source" in text
    assert "a monetised measure needs a licence" in text
    assert not Measure.objects.filter(code="RMBC-01").exists()


def test_a_council_admin_creates_a_set_and_starts_with_an_empty_draft(
    world, client_for, council_admin
):
    client = client_for(council_admin)
    assert "no measure sets yet" in client.get(reverse("frameworks:set-list")).content.decode()
    response = client.post(reverse("frameworks:set-create"), {"name": "Our measures"})
    measure_set = world.council.measure_sets.get()
    draft = measure_set.versions.get()
    assert response["Location"] == reverse("frameworks:set-version-edit", args=[draft.pk])
    editor = client.get(response["Location"]).content.decode()
    assert "This version has no measures yet" in editor


def test_other_council_staff_may_only_read_sets(
    measures, client_for, council_officer, evaluator, contract_manager, viewer
):
    draft = local_sets.set_version_create_draft(measure_set=measures.measure_set, by=None)
    for person in (council_officer, evaluator, contract_manager, viewer):
        client = client_for(person)
        assert client.get(reverse("frameworks:set-version", args=[draft.pk])).status_code == 200
        assert (
            "Change the measures"
            not in client.get(reverse("frameworks:set-version", args=[draft.pk])).content.decode()
        )
        for name in ("set-version-edit", "set-version-publish", "local-measure-create"):
            assert client.get(reverse(f"frameworks:{name}", args=[draft.pk])).status_code == 403
        for name in ("set-item-add", "set-item-remove"):
            url = reverse(f"frameworks:{name}", args=[draft.pk])
            assert client.post(url, {"measure": measures.carbon.pk}).status_code == 403
        assert client.get(reverse("frameworks:set-create")).status_code == 403
        url = reverse("frameworks:set-new-version", args=[measures.measure_set.pk])
        assert client.post(url).status_code == 403
    assert draft.items.count() == 2


def test_outsiders_get_404_for_every_set_page(
    measures, client_for, other_council_officer, supplier_user, partner_user
):
    draft = local_sets.set_version_create_draft(measure_set=measures.measure_set, by=None)
    for person in (other_council_officer, supplier_user, partner_user):
        client = client_for(person)
        for name in (
            "set-version",
            "set-version-edit",
            "set-version-publish",
            "local-measure-create",
        ):
            assert client.get(reverse(f"frameworks:{name}", args=[draft.pk])).status_code == 404
        for name in ("set-item-add", "set-item-remove"):
            url = reverse(f"frameworks:{name}", args=[draft.pk])
            assert client.post(url, {"measure": measures.carbon.pk}).status_code == 404
        for name in ("set", "set-compare"):
            url = reverse(f"frameworks:{name}", args=[measures.measure_set.pk])
            assert client.get(url).status_code == 404
        url = reverse("frameworks:set-new-version", args=[measures.measure_set.pk])
        assert client.post(url).status_code == 404
        assert (
            "Rotherham Social Value Measures"
            not in client.get(reverse("frameworks:set-list")).content.decode()
        )


# --- The deflator series a version re-bases with ----------------------------------------------


def _series(owner, slug: str = "gdp-deflator", name: str = "GDP deflator"):
    from commonweal.frameworks.models import DeflatorPoint, DeflatorSeries

    series = DeflatorSeries.objects.create(
        owner=owner,
        slug=slug,
        name=name,
        source_title="HM Treasury GDP deflators",
        licence="Open Government Licence v3.0",
    )
    DeflatorPoint.objects.create(series=series, year=2024, index=Decimal("100"))
    return series


def test_a_draft_version_chooses_its_deflator_series_on_the_audit_trail(
    measures, council_admin, world
):
    from commonweal.frameworks.models import LocalMeasureSetVersion

    draft = local_sets.set_version_create_draft(measure_set=measures.measure_set, by=council_admin)
    series = _series(world.council)

    local_sets.set_version_deflator_choose(set_version=draft, deflator=series, by=council_admin)

    draft.refresh_from_db()
    assert draft.deflator == series
    entry = (
        LogEntry.objects.get_for_model(LocalMeasureSetVersion)
        .filter(action=1, object_pk=str(draft.pk))
        .get()
    )
    assert entry.actor == council_admin
    assert entry.changes_dict["deflator"][1] == str(series.pk)
    assert entry.additional_data["organisation_id"] == world.council.pk

    local_sets.set_version_deflator_choose(set_version=draft, deflator=None, by=council_admin)
    draft.refresh_from_db()
    assert draft.deflator is None


def test_a_shared_deflator_series_may_be_chosen(measures, council_admin):
    draft = local_sets.set_version_create_draft(measure_set=measures.measure_set, by=council_admin)
    shared = _series(None, slug="shared")
    local_sets.set_version_deflator_choose(set_version=draft, deflator=shared, by=council_admin)
    draft.refresh_from_db()
    assert draft.deflator == shared


def test_a_published_version_keeps_its_deflator_series(measures, council_admin, world):
    series = _series(world.council)
    with pytest.raises(ValidationError, match="published and cannot change"):
        local_sets.set_version_deflator_choose(
            set_version=measures.set_version, deflator=series, by=council_admin
        )
    measures.set_version.refresh_from_db()
    assert measures.set_version.deflator is None


def test_a_version_cannot_use_another_councils_deflator_series(measures, council_admin, world):
    draft = local_sets.set_version_create_draft(measure_set=measures.measure_set, by=council_admin)
    theirs = _series(world.other_council)
    with pytest.raises(ValidationError, match="cannot use the deflator series GDP deflator"):
        local_sets.set_version_deflator_choose(set_version=draft, deflator=theirs, by=council_admin)
    draft.refresh_from_db()
    assert draft.deflator is None
