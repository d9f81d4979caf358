"""The demo council's local measures and its published measure set."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commonweal.demo.frameworks import DEMO_RATE_LICENCE, DEMO_RATE_SOURCE, seed_demo_data
from commonweal.frameworks.local_sets import local_framework_of
from commonweal.frameworks.models import Framework, VersionStatus
from commonweal.frameworks.selectors import compare_set_versions

pytestmark = pytest.mark.django_db


def test_the_demo_council_has_a_published_set_of_about_twenty_measures(world):
    measure_set = seed_demo_data(world.council)
    latest = measure_set.versions.order_by("-number").first()
    assert measure_set.name == "Rotherham Social Value Measures"
    assert latest.status == VersionStatus.PUBLISHED
    assert latest.items.count() == 20
    sources = {item.measure.version.framework.slug for item in latest.items.all()}
    assert sources == {"commonweal-open-measures", "ppn-002-social-value-model", "local-measures"}


def test_both_shipped_frameworks_are_loaded_and_published(world):
    seed_demo_data(world.council)
    shipped = Framework.objects.filter(owner__isnull=True)
    assert {f.slug for f in shipped} == {"commonweal-open-measures", "ppn-002-social-value-model"}
    for framework in shipped:
        assert framework.versions.get().status == VersionStatus.PUBLISHED


def test_the_local_staff_time_rates_say_they_are_illustrative_demo_data(world):
    seed_demo_data(world.council)
    framework = local_framework_of(world.council)
    monetised = framework.versions.get().measures.filter(value_type="monetised")
    assert monetised.count() == 2
    for measure in monetised:
        assert measure.proxy.source_title == DEMO_RATE_SOURCE
        assert measure.proxy.licence == DEMO_RATE_LICENCE


def test_the_two_versions_of_the_demo_set_show_what_changed(world):
    measure_set = seed_demo_data(world.council)
    first, second = measure_set.versions.order_by("number")
    comparison = compare_set_versions(first, second)
    assert [m.code for m in comparison.added] == ["RMBC-04", "RMBC-05"]
    assert comparison.removed == [] and comparison.changed == []


def test_the_demo_set_page_links_every_value_to_its_source(world, client_for, viewer):
    measure_set = seed_demo_data(world.council)
    latest = measure_set.versions.order_by("-number").first()
    page = client_for(viewer).get(reverse("frameworks:set-version", args=[latest.pk]))
    text = page.content.decode()
    assert "£17.50" in text and "£105.00" in text
    assert DEMO_RATE_SOURCE in text
    assert "Licence: Demo data" in text
