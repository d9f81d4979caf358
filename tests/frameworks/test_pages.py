"""Persona tests for the framework browsing pages: who may read, who may change, who gets 404."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from commonweal.frameworks.models import FrameworkVersion, VersionStatus
from tests.frameworks.measures_world import MeasuresWorld, build_measures_world
from tests.frameworks.sample_frameworks import CARBON_SOURCE, RESTRICTED_AMOUNT

pytestmark = pytest.mark.django_db


@pytest.fixture
def measures(world) -> MeasuresWorld:
    return build_measures_world(world.council)


def shipped_urls(m: MeasuresWorld) -> list[str]:
    return [
        reverse("frameworks:list"),
        reverse("frameworks:framework", args=[m.shipped_2025.framework_id]),
        reverse("frameworks:framework-compare", args=[m.shipped_2025.framework_id]),
        reverse("frameworks:version", args=[m.shipped_2025.pk]),
        reverse("frameworks:theme", args=[m.carbon.outcome.theme_id]),
        reverse("frameworks:outcome", args=[m.carbon.outcome_id]),
        reverse("frameworks:measure", args=[m.carbon.pk]),
        reverse("frameworks:version-export", args=[m.shipped_2025.pk, "csv"]),
    ]


def council_urls(m: MeasuresWorld) -> list[str]:
    """Pages about things only Rotherham may see."""
    return [
        reverse("frameworks:framework", args=[m.licensed.framework_id]),
        reverse("frameworks:framework-compare", args=[m.licensed.framework_id]),
        reverse("frameworks:version", args=[m.licensed.pk]),
        reverse("frameworks:theme", args=[m.licensed_carbon.outcome.theme_id]),
        reverse("frameworks:outcome", args=[m.licensed_carbon.outcome_id]),
        reverse("frameworks:measure", args=[m.licensed_carbon.pk]),
        reverse("frameworks:version-export", args=[m.licensed.pk, "json"]),
        reverse("frameworks:set-version", args=[m.set_version.pk]),
        reverse("frameworks:set", args=[m.measure_set.pk]),
        reverse("frameworks:set-compare", args=[m.measure_set.pk]),
    ]


def test_every_signed_in_person_can_read_shipped_frameworks(
    measures,
    client_for,
    council_admin,
    council_officer,
    evaluator,
    contract_manager,
    viewer,
    supplier_user,
    partner_user,
    other_council_officer,
):
    people = (
        council_admin,
        council_officer,
        evaluator,
        contract_manager,
        viewer,
        supplier_user,
        partner_user,
        other_council_officer,
    )
    for person in people:
        client = client_for(person)
        for url in shipped_urls(measures):
            assert client.get(url).status_code == 200, (person.email, url)


def test_every_member_of_the_council_can_read_its_own_frameworks_and_sets(
    measures, client_for, council_admin, council_officer, evaluator, contract_manager, viewer
):
    for person in (council_admin, council_officer, evaluator, contract_manager, viewer):
        client = client_for(person)
        for url in council_urls(measures):
            assert client.get(url).status_code == 200, (person.email, url)


def test_other_councils_suppliers_and_partners_get_404_for_the_councils_frameworks(
    measures, client_for, other_council_officer, supplier_user, partner_user
):
    for person in (other_council_officer, supplier_user, partner_user):
        client = client_for(person)
        for url in council_urls(measures):
            assert client.get(url).status_code == 404, (person.email, url)


def test_anonymous_visitors_are_sent_to_sign_in(measures):
    response = Client().get(reverse("frameworks:version", args=[measures.shipped_2025.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_the_list_shows_shipped_frameworks_and_the_councils_own_only_to_its_members(
    measures, client_for, council_officer, other_council_officer
):
    ours = client_for(council_officer).get(reverse("frameworks:list")).content.decode()
    theirs = client_for(other_council_officer).get(reverse("frameworks:list")).content.decode()
    assert measures.shipped_2025.framework.name in ours
    assert measures.licensed.framework.name in ours
    assert measures.licensed.framework.name not in theirs
    assert "Your council has no frameworks of its own yet" in theirs


def test_the_list_can_be_searched(measures, client_for, council_officer):
    page = client_for(council_officer).get(reverse("frameworks:list"), {"q": "no such thing"})
    assert "No shipped framework matches your search" in page.content.decode()


def test_the_measures_table_searches_and_filters(measures, client_for, viewer):
    url = reverse("frameworks:version", args=[measures.shipped_2025.pk])
    client = client_for(viewer)
    searched = client.get(url, {"q": "carbon"}).content.decode()
    assert "T-ENV-01 Carbon saved" in searched
    assert "1 measure match your filters" in searched
    by_type = client.get(url, {"value_type": "record_only"}).content.decode()
    assert "T-ENV-01 Carbon saved" not in by_type
    by_tag = client.get(url, {"tag": "environment"}).content.decode()
    assert "T-ENV-01 Carbon saved" in by_tag
    light = client.get(url, {"light_set": "on"}).content.decode()
    assert "T-ENV-01 Carbon saved" in light
    theme = measures.carbon.outcome.theme
    by_theme = client.get(url, {"theme": theme.pk}).content.decode()
    assert "T-ENV-01 Carbon saved" in by_theme
    nothing = client.get(url, {"q": "zzzz"}).content.decode()
    assert "No measures match your filters" in nothing


def test_every_monetised_value_links_to_its_source_and_names_its_licence(
    measures, client_for, viewer
):
    client = client_for(viewer)
    for url in (
        reverse("frameworks:version", args=[measures.shipped_2025.pk]),
        reverse("frameworks:outcome", args=[measures.carbon.outcome_id]),
        reverse("frameworks:measure", args=[measures.carbon.pk]),
        reverse("frameworks:set-version", args=[measures.set_version.pk]),
    ):
        page = client.get(url).content.decode()
        assert "£250.00" in page, url
        assert (
            f'href="https://www.gov.uk/example-carbon-values" rel="noopener noreferrer">{CARBON_SOURCE}</a>'
            in page
        ), url
        assert "Open Government Licence v3.0" in page, url


def test_the_measure_page_shows_its_values_by_year_with_provenance(measures, client_for, viewer):
    page = client_for(viewer).get(reverse("frameworks:measure", args=[measures.carbon.pk]))
    text = page.content.decode()
    assert "Values by year" in text
    assert "£250.00 per tCO2e" in text
    assert "£245.00 per tCO2e" in text
    assert "2024" in text and "2025 (this version)" in text
    assert "High" in text
    assert ">Environment</a>" in text or "ENV Environment" in text  # breadcrumb to the theme


def test_the_restricted_framework_shows_its_values_to_the_council_that_holds_it(
    measures, client_for, viewer
):
    page = client_for(viewer).get(reverse("frameworks:measure", args=[measures.licensed_carbon.pk]))
    assert "£123.4567" in page.content.decode()
    assert RESTRICTED_AMOUNT == "123.4567"


def test_comparing_two_versions_lists_field_changes_including_values(measures, client_for, viewer):
    url = reverse("frameworks:framework-compare", args=[measures.shipped_2025.framework_id])
    page = client_for(viewer).get(
        url, {"before": measures.shipped_2024.pk, "after": measures.shipped_2025.pk}
    )
    text = page.content.decode()
    assert "1 measure changed" in text
    assert "Value per unit" in text
    assert "£245.00" in text and "£250.00" in text
    assert "No measures were added" in text


def test_comparing_a_version_with_itself_is_refused(measures, client_for, viewer):
    url = reverse("frameworks:framework-compare", args=[measures.shipped_2025.framework_id])
    page = client_for(viewer).get(
        url, {"before": measures.shipped_2025.pk, "after": measures.shipped_2025.pk}
    )
    assert "Select two different versions to compare" in page.content.decode()


def test_the_owning_council_exports_its_restricted_values_but_others_get_public_exports(
    measures, client_for, viewer, other_council_officer
):
    ours = client_for(viewer).get(
        reverse("frameworks:version-export", args=[measures.licensed.pk, "csv"])
    )
    assert ours["Content-Disposition"] == 'attachment; filename="licensed-bank-2025.csv"'
    assert RESTRICTED_AMOUNT in ours.content.decode()
    for fmt in ("csv", "xlsx", "json"):
        shipped = client_for(other_council_officer).get(
            reverse("frameworks:version-export", args=[measures.shipped_2025.pk, fmt])
        )
        assert shipped.status_code == 200
    unknown = client_for(viewer).get(
        reverse("frameworks:version-export", args=[measures.shipped_2025.pk, "pdf"])
    )
    assert unknown.status_code == 404


def test_only_the_council_admin_sees_publish_and_may_publish_or_retire(
    measures, client_for, council_admin, council_officer, evaluator, contract_manager, viewer
):
    draft = FrameworkVersion.objects.create(
        framework=measures.licensed.framework,
        year=2026,
        in_force_from=measures.licensed.in_force_from,
        price_base_year=2020,
    )
    url = reverse("frameworks:version", args=[draft.pk])
    assert "Publish this version" in client_for(council_admin).get(url).content.decode()
    for person in (council_officer, evaluator, contract_manager, viewer):
        client = client_for(person)
        assert "Publish this version" not in client.get(url).content.decode()
        assert (
            client.post(reverse("frameworks:version-publish", args=[draft.pk])).status_code == 403
        )
        assert client.post(reverse("frameworks:version-retire", args=[draft.pk])).status_code == 403
    admin = client_for(council_admin)
    response = admin.post(reverse("frameworks:version-publish", args=[draft.pk]), follow=True)
    assert "has no measures" in response.content.decode()
    admin.post(reverse("frameworks:version-retire", args=[measures.licensed.pk]))
    measures.licensed.refresh_from_db()
    assert measures.licensed.status == VersionStatus.RETIRED


def test_nobody_may_publish_or_retire_a_shipped_framework(
    measures, client_for, council_admin, other_council_officer
):
    for person in (council_admin, other_council_officer):
        client = client_for(person)
        url = reverse("frameworks:version-retire", args=[measures.shipped_2025.pk])
        assert client.post(url).status_code == 403


def test_outsiders_get_404_not_403_when_trying_to_change_the_councils_framework(
    measures, client_for, other_council_officer, supplier_user
):
    for person in (other_council_officer, supplier_user):
        client = client_for(person)
        url = reverse("frameworks:version-publish", args=[measures.licensed.pk])
        assert client.post(url).status_code == 404


def test_the_navigation_has_a_measures_entry(measures, client_for, viewer, supplier_user):
    for person in (viewer, supplier_user):
        page = client_for(person).get(reverse("home:home")).content.decode()
        assert f'href="{reverse("frameworks:list")}"' in page
