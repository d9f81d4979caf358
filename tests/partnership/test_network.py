"""An anchor network grown from the charter: anchor signatories invited, each member's shared
figures side by side and combined, what each member shares, suppression, joint actions."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from commonweal.accounts.roles import Role
from commonweal.cwb import services as cwb_services
from commonweal.cwb.models import AnchorNetworkMember
from commonweal.fairwork import services as fairwork_services
from commonweal.partnership import exports, selectors, services
from commonweal.partnership.models import NetworkSharing, Sector
from commonweal.spend_engine.analysis import DataQuality, Share, YearAnalysis, percent_of
from tests.factories import MembershipFactory, UserFactory
from tests.partnership.conftest import SIGNED_ON, new_partner, sign

pytestmark = pytest.mark.django_db

NONE = Share(0, None)


def year(total_pounds: int, local_pounds: int, fy: str = "2024-25") -> YearAnalysis:
    total, local = total_pounds * 100, local_pounds * 100
    share = Share(local, percent_of(local, total))
    return YearAnalysis(
        financial_year=fy,
        payment_count=10,
        total_pence=total,
        in_borough=share,
        in_combined_authority=share,
        in_region=share,
        in_deprived_area=NONE,
        with_sme=share,
        with_vcse=NONE,
        by_sector=(),
        by_service_area=(),
        top_suppliers=(),
        top_suppliers_share=NONE,
        leakage=(),
        data_quality=DataQuality(NONE, NONE, NONE, NONE, NONE),
    )


@pytest.fixture
def spend(monkeypatch):
    """Each member's spend analysis, by organisation pk (cwb's analyses need imported files)."""
    by_organisation: dict[int, tuple[YearAnalysis, ...]] = {}

    def member_years(organisation):
        years = by_organisation.get(organisation.pk, ())
        return years, datetime(2025, 5, 1, 12, tzinfo=UTC) if years else None

    monkeypatch.setattr(selectors, "_member_years", member_years)
    return by_organisation


@pytest.fixture
def network(charter, coordinator, partner_user, world):
    """Rotherham, the hospital and a college, all joined; the college signed too."""
    college = new_partner("Rotherham College (test)")
    college_user = UserFactory(email="dean@college.test")
    MembershipFactory(user=college_user, organisation=college, role=Role.PARTNER_CONTRIBUTOR)
    college_signatory = sign(
        charter.partnership, college, Sector.EDUCATION, by=coordinator, email=college_user.email
    )
    link = services.network_start(
        partnership=charter.partnership, name="Rotherham Anchors", by=coordinator
    )
    for signatory, person in ((charter.signatory, partner_user), (college_signatory, college_user)):
        place = services.network_invite_signatory(link=link, signatory=signatory, by=coordinator)
        cwb_services.anchor_network_join(place=place, by=person)
    return link.network


def place(network, organisation):
    return AnchorNetworkMember.objects.get(network=network, organisation=organisation)


def share_all(network, topic, level, by):
    for member in network.members.all():
        services.sharing_update(place=member, choices={topic: level}, by=by)


def test_only_anchor_institutions_that_signed_are_invited(
    charter, coordinator, world, supplier_user
):
    link = services.network_start(partnership=charter.partnership, name="Anchors", by=coordinator)
    business = sign(
        charter.partnership,
        world.supplier,
        Sector.BUSINESS,
        by=coordinator,
        email=supplier_user.email,
    )
    with pytest.raises(ValidationError, match="not an anchor institution"):
        services.network_invite_signatory(link=link, signatory=business, by=coordinator)
    assert list(selectors.anchor_signatories_to_invite(link)) == [charter.signatory]


def test_members_pool_spend_by_default_and_nobody_is_named(network, spend, world):
    for organisation in network.members.values_list("organisation", flat=True):
        spend[organisation] = (year(1000, 400),)
    view = selectors.network_view(network, None)
    total = view.spend_rows[0]
    assert total.total.value == 300_000
    assert [c.note for c in total.cells] == ["In the combined figure only"] * 3
    local = view.spend_rows[1]
    assert (local.total.value, local.total.percent) == (120_000, Decimal("40.00"))


def by_name(view, row):
    return {m.organisation.name: c.value for m, c in zip(view.members, row.cells, strict=True)}


def notes(view, row):
    return {m.organisation.name: c.note for m, c in zip(view.members, row.cells, strict=True)}


def test_members_sharing_by_name_are_shown_side_by_side_with_the_total(
    network, spend, coordinator, world
):
    spend[world.council.pk] = (year(1000, 100),)
    spend[world.partner.pk] = (year(2000, 200),)
    spend[network.members.get(organisation__name__contains="College").organisation_id] = (
        year(3000, 300),
    )
    share_all(network, "spend", "named", coordinator)
    view = selectors.network_view(network, "2024-25")
    total = view.spend_rows[0]
    assert by_name(view, total) == {
        "Rotherham Metropolitan Borough Council": 100_000,
        "Rotherham College (test)": 300_000,
        "Rotherham Hospital Trust": 200_000,
    }
    assert total.total.value == 600_000
    assert total.as_of.endswith("(the latest imported by 1 May 2025)")
    assert {c.as_of for c in total.cells} == {"imported by 1 May 2025"}


def test_a_combined_figure_from_fewer_than_three_members_is_withheld(network, spend, world):
    spend[world.council.pk] = (year(1000, 400),)
    spend[world.partner.pk] = (year(500, 100),)
    view = selectors.network_view(network, None)
    total = view.spend_rows[0]
    assert not total.total.shown
    assert total.total.note == "Fewer than 3 members share this (2 do)"
    assert notes(view, total)["Rotherham College (test)"] == "No figures for 2024-25"


def test_a_named_figure_is_withheld_when_the_one_pooled_member_could_be_worked_out(
    network, spend, world, coordinator, partner_user
):
    for organisation in network.members.values_list("organisation", flat=True):
        spend[organisation] = (year(1000, 400),)
    services.sharing_update(
        place=place(network, world.council), choices={"spend": "named"}, by=coordinator
    )
    services.sharing_update(
        place=place(network, world.partner), choices={"spend": "named"}, by=partner_user
    )
    view = selectors.network_view(network, None)
    total = view.spend_rows[0]
    assert total.total.shown
    assert not any(cell.shown for cell in total.cells)
    assert "1 member shares this only in the combined figure" in total.cells[0].note


def test_jobs_and_apprenticeships_are_shared_only_when_a_member_says_so(
    network, spend, charter, partner_user, coordinator
):
    view = selectors.network_view(network, "2024-25")
    assert [r.label for r in view.jobs_rows] == ["Local jobs pledged for the year"]
    (pledged,) = view.jobs_rows
    assert [c.note for c in pledged.cells] == ["Not shared", "Not shared", "Not shared"]
    assert pledged.total.note == "Fewer than 3 members share this (0 do)"
    services.sharing_update(
        place=place(network, charter.signatory.organisation),
        choices={"jobs": "named"},
        by=partner_user,
    )
    view = selectors.network_view(network, "2024-25")
    (pledged,) = view.jobs_rows
    assert by_name(view, pledged)["Rotherham Hospital Trust"] == Decimal(20)
    assert pledged.unit == "people"


def test_reviewed_progress_counts_in_the_network_and_self_reported_does_not(
    network, spend, charter, partner_user, coordinator
):
    services.sharing_update(
        place=place(network, charter.signatory.organisation),
        choices={"jobs": "named"},
        by=partner_user,
    )
    progress_return = services.progress_return_start(
        pledge=charter.target, financial_year=2024, by=partner_user, today=date(2026, 12, 7)
    )
    services.progress_return_save(
        progress_return=progress_return,
        progress="on_track",
        reported_quantity=Decimal(14),
        narrative="Fourteen started",
        by=partner_user,
    )
    services.progress_return_submit(progress_return=progress_return, by=partner_user)
    labels = [r.label for r in selectors.network_view(network, "2024-25").jobs_rows]
    assert "Local jobs reviewed in the year's progress returns" not in labels
    services.progress_return_review(
        progress_return=progress_return,
        decision="accept",
        reviewed_quantity=Decimal(12),
        note="",
        by=coordinator,
    )
    view = selectors.network_view(network, "2024-25")
    rows = {r.label: r for r in view.jobs_rows}
    reviewed = rows["Local jobs reviewed in the year's progress returns"]
    assert by_name(view, reviewed)["Rotherham Hospital Trust"] == 12
    assert reviewed.cells[2].as_of.startswith("reviewed by ")


def test_spend_is_never_unshared_while_a_member_stays(network, coordinator, world):
    with pytest.raises(ValidationError, match="leave the network"):
        services.sharing_update(
            place=place(network, world.council), choices={"spend": "none"}, by=coordinator
        )


def test_leaving_the_network_forgets_what_the_member_shared(network, partner_user, world):
    member = place(network, world.partner)
    services.sharing_update(place=member, choices={"jobs": "named"}, by=partner_user)
    cwb_services.anchor_network_remove(place=member, by=partner_user)
    assert not NetworkSharing.objects.exists()


def test_public_downloads_hold_the_combined_figures_and_no_member_names(network, spend, world):
    for organisation in network.members.values_list("organisation", flat=True):
        spend[organisation] = (year(1000, 400),)
    view = selectors.network_view(network, None)
    rows = exports.network_rows(view, named=False)
    assert rows[0] == ["topic", "label", "unit", "combined", "as of", "withheld because"]
    assert rows[1][:4] == ["spend", "Total spend", "£", "3000.00"]
    data = exports.network_data(view, named=False)
    assert "members" not in data["spend_pence"][0]
    assert world.partner.name not in str(rows)


def test_joint_actions_are_led_by_a_member(network, coordinator, world):
    with pytest.raises(ValidationError, match="Choose a member of the network"):
        services.joint_action_create(
            network=network,
            by=coordinator,
            title="Joint recruitment",
            lead_organisation=world.other_council,
            lead_person="HR lead",
            due_on=date(2027, 1, 1),
        )
    with pytest.raises(ValidationError, match="on or before the due date"):
        services.joint_action_create(
            network=network,
            by=coordinator,
            title="Joint recruitment",
            lead_organisation=world.partner,
            lead_person="HR lead",
            starts_on=date(2027, 2, 1),
            due_on=date(2027, 1, 1),
        )


def test_members_choose_what_they_share_on_the_network_page(
    network, client_for, partner_user, world, spend
):
    client = client_for(partner_user)
    response = client.post(
        f"/partnerships/networks/{network.pk}/sharing/", {"spend": "named", "jobs": "pooled"}
    )
    assert response.status_code == 302
    assert selectors.sharing_levels(place(network, world.partner)) == {
        "spend": "named",
        "jobs": "pooled",
    }
    page = client.get(f"/partnerships/networks/{network.pk}/").content.decode()
    assert "shares spend by name" in page


def test_a_withdrawn_signatory_keeps_its_history_date(charter):
    assert charter.signatory.signed_on == SIGNED_ON


def test_each_members_real_living_wage_accreditation_as_it_records_it(
    network, client_for, coordinator, partner_user, world, spend
):
    fairwork_services.accreditation_event_add(
        council=world.council,
        status="accredited",
        happened_on=date(2021, 9, 1),
        note="Accredited",
        by=coordinator,
    )
    fairwork_services.own_accreditation_declare(
        employer=world.partner,
        accredited_since=date(2023, 5, 1),
        evidence_url="",
        evidence_note="Our licence",
        ended_on=None,
        by=partner_user,
    )
    view = selectors.network_view(network, None)
    statuses = {m.organisation.name: m.living_wage for m in view.members}
    assert statuses["Rotherham College (test)"] is None
    assert statuses[world.partner.name].accredited
    assert statuses[world.council.name].accredited_since == date(2021, 9, 1)
    assert view.living_wage_employers == 2

    page = client_for(partner_user).get(f"/partnerships/networks/{network.pk}/")
    text = page.content.decode()
    assert "Real Living Wage: self-declared</strong> since 1 May 2023" in text
    assert "2 of the 3 members are accredited" in text
    assert "Not recorded" in text

    named = exports.network_rows(view, named=True)[-1]
    assert named[:3] == ["real living wage", "Accredited Real Living Wage employers", "members"]
    assert "Self-declared, since 2023-05-01" in named
    assert "2 of 3" in named
    public = exports.network_rows(view, named=False)
    assert public[-1][:4] == [
        "real living wage",
        "Accredited Real Living Wage employers",
        "members",
        "2 of 3",
    ]
    assert world.partner.name not in str(public)
    assert "by_member" not in exports.network_data(view, named=False)["real_living_wage"]
    by_member = exports.network_data(view, named=True)["real_living_wage"]["by_member"]
    assert sorted(m["accredited"] for m in by_member) == [False, True, True]
