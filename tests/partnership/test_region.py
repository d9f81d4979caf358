"""The combined authority's region view: each council that shares, side by side and in total,
from what it shares only; the sharing setting audited; region-wide measure sets adopted."""

from __future__ import annotations

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from commonweal.accounts.models import Organisation
from commonweal.accounts.roles import OrganisationKind
from commonweal.commissioning.selectors import published_set_versions
from commonweal.frameworks import local_sets
from commonweal.frameworks.models import VersionStatus
from commonweal.partnership import exports, selectors, services
from commonweal.partnership.models import RegionSharing
from tests.contracts.builders import build_contract, build_measures

pytestmark = pytest.mark.django_db

EVERYTHING = {"procurements": True, "delivery": True, "spend": True, "partnerships": True}


@pytest.fixture
def region(world, council_admin, other_council_officer):
    """Rotherham and Sheffield each with a contract; Barnsley with none."""
    build_contract(world.council, world.supplier, build_measures(world.council))
    build_contract(
        world.other_council,
        world.supplier,
        build_measures(world.other_council),
        reference="SCC-2025-001",
        title="Street lighting",
    )
    barnsley = Organisation.objects.create(
        kind=OrganisationKind.COUNCIL,
        name="Barnsley Metropolitan Borough Council",
        gss_code="E08000016",
        combined_authority=world.combined_authority,
    )
    return barnsley


def councils_in(table):
    return [c.name for c in table.councils]


def test_a_council_that_has_not_agreed_to_share_is_absent_and_not_in_the_totals(
    world, region, council_admin
):
    services.region_sharing_update(council=world.council, by=council_admin, **EVERYTHING)
    view = selectors.region_view(world.combined_authority, today=date(2026, 12, 7))
    assert (view.sharing_count, view.council_count) == (1, 3)
    committed = view.delivery[0]
    assert councils_in(committed) == ["Rotherham Metropolitan Borough Council"]
    jobs = {row.label: (row.cells, row.total) for row in committed.rows}["Jobs"]
    # Rotherham's commitments only: 4 FTE at £10,000 and 800 hours at £16.93.
    assert jobs == ([5_354_400], 5_354_400)
    text = str(exports.region_rows(view)) + str(exports.region_data(view))
    assert "Sheffield" not in text
    assert "Barnsley" not in text


def test_a_council_shares_part_by_part(world, region, council_admin, other_council_officer):
    services.region_sharing_update(council=world.council, by=council_admin, **EVERYTHING)
    services.region_sharing_update(
        council=world.other_council, by=other_council_officer, procurements=True
    )
    view = selectors.region_view(world.combined_authority, today=date(2026, 12, 7))
    assert councils_in(view.procurements) == [
        "Rotherham Metropolitan Borough Council",
        "Sheffield City Council",
    ]
    assert councils_in(view.delivery[0]) == ["Rotherham Metropolitan Borough Council"]
    contracts = {row.label: row.total for row in view.procurements.rows}
    assert contracts["Contracts with social value commitments"] == 2


def test_committed_claimed_and_verified_are_separate_tables_never_added(
    world, region, council_admin
):
    services.region_sharing_update(council=world.council, by=council_admin, delivery=True)
    view = selectors.region_view(world.combined_authority, today=date(2026, 12, 7))
    assert [t.title for t in view.delivery] == [
        "Committed (£)",
        "Claimed by suppliers (£)",
        "Verified (£)",
    ]
    header, *rows = exports.region_rows(view)
    assert {row[1] for row in rows} == {t.title for t in view.delivery}


def test_a_theme_of_record_only_measures_has_no_pound_figure_rather_than_nothing(
    world, region, council_admin, client_for, ca_officer
):
    services.region_sharing_update(council=world.council, by=council_admin, delivery=True)
    view = selectors.region_view(world.combined_authority, today=date(2026, 12, 7))
    for table in view.delivery:
        environment = {row.label: (row.cells, row.total) for row in table.rows}["Environment"]
        assert environment == ([None], None)  # carbon is record-only: no £, and not £0.00
    page = client_for(ca_officer).get("/region/").content.decode()
    assert "Not valued in £" in page


def test_a_council_that_shares_nothing_is_like_one_with_no_setting(world, region, council_admin):
    services.region_sharing_update(council=world.council, by=council_admin, **EVERYTHING)
    services.region_sharing_update(
        council=world.council, by=council_admin, **dict.fromkeys(EVERYTHING, False)
    )
    view = selectors.region_view(world.combined_authority)
    assert view.sharing_count == 0
    assert view.delivery == [] and view.procurements is None


def test_every_change_to_sharing_is_on_the_councils_audit_trail(world, council_admin):
    services.region_sharing_update(council=world.council, by=council_admin, spend=True)
    services.region_sharing_update(council=world.council, by=council_admin, spend=False)
    sharing = RegionSharing.objects.get(council=world.council)
    entries = LogEntry.objects.get_for_object(sharing)
    assert entries.count() == 2
    assert {e.actor for e in entries} == {council_admin}
    assert {e.additional_data["organisation_id"] for e in entries} == {world.council.pk}


def test_only_a_council_in_a_combined_authority_shares(world, council_admin):
    with pytest.raises(ValidationError, match="Only a council in a combined authority"):
        services.region_sharing_update(council=world.partner, by=council_admin, spend=True)


def test_the_council_admin_changes_sharing_and_others_only_read(
    world, client_for, council_admin, viewer
):
    assert client_for(viewer).post("/region/sharing/", {"spend": "on"}).status_code == 403
    response = client_for(council_admin).post("/region/sharing/", {"spend": "on"})
    assert response.status_code == 302
    assert RegionSharing.objects.get(council=world.council).spend


@pytest.fixture
def region_set(world, ca_officer):
    """The combined authority's region-wide set: its own local measure, published."""
    authority = world.combined_authority
    measure_set = local_sets.measure_set_create(
        owner=authority, name="South Yorkshire social value measures", by=ca_officer
    )
    version = measure_set.versions.get()
    local_sets.set_local_measure_add(
        set_version=version,
        code="SY1",
        title="Local people employed",
        unit="people",
        value_type="record_only",
        by=ca_officer,
    )
    framework = local_sets.local_framework_of(authority)
    framework.versions.update(status=VersionStatus.PUBLISHED)
    local_sets.set_version_publish(
        set_version=version, in_force_from=date(2026, 4, 1), by=ca_officer
    )
    return version


def test_a_council_adopts_the_region_wide_set_as_its_own_for_procurements(
    world, region_set, council_admin, ca_officer
):
    adoption = services.region_set_adopt(
        council=world.council,
        region_version=region_set,
        in_force_from=date(2026, 4, 1),
        by=council_admin,
    )
    own = adoption.council_version
    assert own.measure_set.owner == world.council
    assert own.status == VersionStatus.PUBLISHED
    assert [i.measure.code for i in own.items.all()] == ["SY1"]
    assert own in published_set_versions(world.council)
    with pytest.raises(ValidationError, match="already adopted"):
        services.region_set_adopt(
            council=world.council,
            region_version=region_set,
            in_force_from=date(2026, 4, 1),
            by=council_admin,
        )
    # The combined authority's next version is adopted as the next version of the same set.
    second = local_sets.set_version_create_draft(measure_set=region_set.measure_set, by=ca_officer)
    local_sets.set_version_publish(
        set_version=second, in_force_from=date(2027, 4, 1), by=ca_officer
    )
    again = services.region_set_adopt(
        council=world.council,
        region_version=second,
        in_force_from=date(2027, 4, 1),
        by=council_admin,
    )
    assert again.council_version.measure_set == own.measure_set
    assert again.council_version.number == 2


def test_a_council_outside_the_combined_authority_cannot_adopt_its_set(
    world, region_set, council_admin
):
    outsider = Organisation.objects.create(
        kind=OrganisationKind.COUNCIL, name="Leeds City Council", gss_code="E08000035"
    )
    with pytest.raises(ValidationError, match="your combined authority published"):
        services.region_set_adopt(
            council=outsider,
            region_version=region_set,
            in_force_from=date(2026, 4, 1),
            by=council_admin,
        )


def test_a_councils_people_read_their_combined_authoritys_measures(
    world, region_set, client_for, council_officer, supplier_user
):
    framework = local_sets.local_framework_of(world.combined_authority)
    assert client_for(council_officer).get(f"/frameworks/{framework.pk}/").status_code == 200
    assert client_for(supplier_user).get(f"/frameworks/{framework.pk}/").status_code == 404


def test_a_charter_principle_may_map_to_the_combined_authoritys_measures(
    world, region_set, coordinator
):
    partnership = services.partnership_create(owner=world.council, name="RTP", by=coordinator)
    sy1 = region_set.items.get().measure
    principle = services.principle_add(
        version=partnership.charter_versions.get(),
        title="Jobs",
        text="Employ local people",
        measures=[sy1],
        by=coordinator,
    )
    assert list(principle.measures.all()) == [sy1]
