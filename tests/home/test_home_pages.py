"""Each person's home page shows what is waiting for them, with counts that link to the lists,
and where the programme stands."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonweal.commissioning import services as planning
from commonweal.reporting import services
from commonweal.tenders import services as tendering
from tests.reporting.builders import build_programme
from tests.tenders.conftest import declare_no_conflict, pass_deadline, submitted_offer

pytestmark = pytest.mark.django_db


def work(page: str, key: str) -> int:
    """The count shown for one kind of work."""
    found = re.search(rf'id="work-{key}".*?<span[^>]*>(\d+)</span>', page, re.S)
    assert found, f"no {key} on the page"
    return int(found.group(1))


@pytest.fixture
def programme(world, council_admin, council_officer, contract_manager, supplier_user):
    return build_programme(
        world,
        admin=council_admin,
        officer=council_officer,
        manager=contract_manager,
        supplier_user=supplier_user,
    )


def test_each_role_sees_its_own_work(
    programme,
    client_for,
    council_admin,
    council_officer,
    contract_manager,
    viewer,
    supplier_user,
    other_council_officer,
):
    # Contract manager: B's 2025-26 Q2 return waits for verification; the programme's
    # commitments rated red are on their contracts (they manage A and B).
    page = client_for(contract_manager).get(reverse("home:home")).content.decode()
    assert work(page, "returns-to-verify") == 1
    assert work(page, "queries-answered") == 0
    assert work(page, "red-commitments") >= 1
    assert "Where the programme stands" in page

    # Programme lead (council admin): the overdue terms of reference and the at-risk
    # accreditation; this year's headline figures.
    page = client_for(council_admin).get(reverse("home:home")).content.decode()
    assert work(page, "actions") == 2
    assert "Real Living Wage accreditation" in page and "at risk" in page
    assert "committed" in page and "verified to date" in page

    # Commissioner: owns the overdue action; the five tenders were planned as theirs but
    # issued, so none is in planning.
    page = client_for(council_officer).get(reverse("home:home")).content.decode()
    assert work(page, "procurements-in-planning") == 0
    assert work(page, "actions") == 1
    planning.procurement_create(
        council=programme.council,
        by=council_officer,
        title="Parks grounds maintenance",
        category="services",
        cpv_code="77313000-7",
        estimated_value_pence=30_000_000,
        duration_months=24,
        directorate="Regeneration",
        commissioner=council_officer,
        route="open",
    )
    page = client_for(council_officer).get(reverse("home:home")).content.decode()
    assert work(page, "procurements-in-planning") == 1
    assert "Parks grounds maintenance" in page

    # Councillor: the latest published report.
    page = client_for(viewer).get(reverse("home:home")).content.decode()
    assert "No progress report has been published yet" in page
    report = services.report_start(council=programme.council, year="2025-26", by=council_admin)
    services.report_publish(report=report, by=council_admin)
    page = client_for(viewer).get(reverse("home:home")).content.decode()
    assert reverse("reporting:report-version", args=[report.pk, 1]) in page
    assert 'id="work-' not in page

    # Supplier: returns to send (A's and B's later periods).
    page = client_for(supplier_user).get(reverse("home:home")).content.decode()
    assert work(page, "returns-due") >= 1

    # Another council's officer sees none of it.
    page = client_for(other_council_officer).get(reverse("home:home")).content.decode()
    assert "Real Living Wage accreditation" not in page
    assert work(page, "actions") == 0


def test_an_evaluator_sees_the_tenders_to_score(
    world, tender, client_for, council_officer, evaluator, supplier_user
):
    submitted_offer(tender, world.supplier, supplier_user, {("LE1", 1): 1})
    pass_deadline(tender)
    tendering.tender_open(tender=tender, by=council_officer)
    tendering.evaluator_assign(tender=tender, evaluator=evaluator, by=council_officer)
    declare_no_conflict(tender, evaluator)
    page = client_for(evaluator).get(reverse("home:home")).content.decode()
    assert work(page, "tenders-to-score") == 1
    assert reverse("tenders:evaluation", args=[tender.pk]) in page


def test_tenders_closing_soon(world, tender, client_for, council_officer):
    page = client_for(council_officer).get(reverse("home:home")).content.decode()
    assert work(page, "tenders-closing") == 1
    tender.deadline = timezone.now() + timedelta(days=40)
    tender.save(update_fields=["deadline"])
    page = client_for(council_officer).get(reverse("home:home")).content.decode()
    assert work(page, "tenders-closing") == 0


def test_people_not_signed_in_see_the_start_page(db):
    page = Client().get(reverse("home:home")).content.decode()
    assert "Sign in" in page


def test_fair_work_shows_as_findings_to_act_on_and_where_the_council_stands(
    world, client_for, council_admin, contract_manager, council_officer, viewer, supplier_user
):
    from datetime import date

    from commonweal.fairwork import services as fair_work
    from tests.fairwork.builders import care_contract, wage_return

    # Before any fair work: no findings item, no fair work lines.
    page = client_for(council_admin).get(reverse("home:home")).content.decode()
    assert 'id="work-wage-findings"' not in page and "Fair work and equality" not in page

    # A care return paying £12.00 an hour when £12.60 was due: one open finding.
    contract = care_contract(world, contract_manager)
    wage_return(contract, "2025-26 Q1", by=supplier_user, outside="12.00")
    fair_work.wage_checks_run(council=world.council, today=date(2026, 6, 1))
    fair_work.accreditation_event_add(
        council=world.council,
        status="accredited",
        happened_on=date(2025, 9, 1),
        note="",
        by=council_admin,
    )
    criterion = fair_work.criterion_add(
        council=world.council,
        module="workforce",
        reference="4.1",
        text="Fair pay",
        by=council_admin,
    )
    fair_work.assessment_add(
        criterion=criterion,
        level="achieving",
        narrative="Assessed at the equality board",
        owner="Head of HR",
        assessed_on=date(2025, 10, 1),
        by=council_admin,
        today=timezone.localdate(),
    )
    for person in (council_admin, contract_manager):
        page = client_for(person).get(reverse("home:home")).content.decode()
        assert work(page, "wage-findings") == 1
        assert reverse("fairwork:findings") + "?status=open" in page
    # The commissioner manages no contracts: no findings item.
    page = client_for(council_officer).get(reverse("home:home")).content.decode()
    assert 'id="work-wage-findings"' not in page
    # Everyone at the council, councillors too, sees where it stands. Only the workforce
    # module has a criterion; the other three have none, so no level.
    page = client_for(viewer).get(reverse("home:home")).content.decode()
    assert "Real Living Wage accreditation:" in page and "accredited</a>" in page
    assert "1 of 4 modules at Achieving or above" in page


@pytest.mark.parametrize("made", [0, 4, 5, 6, 12])
def test_a_list_is_counted_in_the_database_only_when_its_first_few_fill_it(
    made, django_assert_num_queries
):
    from commonweal.accounts.models import User
    from commonweal.home.selectors import SHOWN, _first_and_count

    for n in range(made):
        User.objects.create_user(email=f"listed{n}@example.invalid", password=None, full_name="L")
    people = User.objects.filter(email__startswith="listed").order_by("email")
    with django_assert_num_queries(1 if made < SHOWN else 2):
        first, count = _first_and_count(people)
    assert (first, count) == (list(people[:SHOWN]), made)
