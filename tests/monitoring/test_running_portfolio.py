"""The running portfolio: the council's whole portfolio kept in the process and brought up to
date by reading again only the contracts that changed, never mixing two moments' figures."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commonweal.contracts.models import Contract
from commonweal.monitoring import figures, running, worklists
from commonweal.monitoring.dashboard import build_portfolio
from commonweal.monitoring.models import SupplierReturn
from commonweal.monitoring.selectors import settings_for, thresholds_of
from commonweal.monitoring.services import contract_page_changed, settings_update
from tests.contracts.builders import build_measures
from tests.home.test_home_pages import work
from tests.monitoring.helpers import file_return
from tests.monitoring.test_dashboard import add_contracts

pytestmark = pytest.mark.django_db


@pytest.fixture
def measures(world):
    return build_measures(world.council)


@pytest.fixture
def three_contracts(world, measures, supplier_user, contract_manager):
    add_contracts(
        world, measures, 3, supplier_user=supplier_user, contract_manager=contract_manager
    )
    return list(world.council.contracts.order_by("reference"))


def read(world):
    council = world.council
    return running.read(council.pk, timezone.localdate(), thresholds_of(settings_for(council)))


def added_up_in_the_database(world):
    council = world.council
    return build_portfolio(
        figures.council_figures_as_of(council.pk, timezone.localdate()),
        thresholds_of(settings_for(council)),
    )


def verify_q2(contract, contract_manager):
    from tests.monitoring.helpers import decide

    decide(
        contract.returns.get(period__label="2025-26 Q2"),
        {"RM1": ("verified", None, "")},
        by=contract_manager,
    )


def test_after_a_verification_the_next_read_shows_the_new_verified_total(
    world, three_contracts, client_for, viewer, contract_manager
):
    client = client_for(viewer)
    # Verified per contract: RM1 0.5 FTE → £5,000 and RM2 40 h → £677.20; three: £17,031.60.
    assert "£17,031.60" in client.get(reverse("monitoring:dashboard")).content.decode()
    assert "£17,031.60" in client.get(reverse("home:home")).content.decode()
    verify_q2(three_contracts[1], contract_manager)
    # Another 0.5 FTE verified on one contract: £5,000 more, £22,031.60, on the very next read.
    dashboard = client.get(reverse("monitoring:dashboard")).content.decode()
    assert "£22,031.60" in dashboard
    assert "as at" not in dashboard
    assert "£22,031.60" in client.get(reverse("home:home")).content.decode()


def test_the_running_sums_are_exactly_those_added_up_in_the_database(
    world, three_contracts, contract_manager
):
    assert read(world).portfolio == added_up_in_the_database(world)
    verify_q2(three_contracts[0], contract_manager)
    verify_q2(three_contracts[2], contract_manager)
    # Totals, every group, units, ratings and the largest shortfalls, to the penny.
    assert read(world).portfolio == added_up_in_the_database(world)


def test_a_changed_contract_is_read_again_alone(
    world, three_contracts, contract_manager, monkeypatch, django_assert_max_num_queries
):
    read(world)
    rows_read: list[int] = []
    rows_of = running.RunningPortfolio._rows

    def counted(self, contract_ids):
        found = rows_of(self, contract_ids)
        rows_read.extend(contract for contract, rows in found.items() for _ in rows)
        return found

    monkeypatch.setattr(running.RunningPortfolio, "_rows", counted)
    verify_q2(three_contracts[1], contract_manager)
    with django_assert_max_num_queries(12):
        after = read(world)
    # Only the verified contract's three commitments were read; the others' sums were kept.
    assert rows_read == [three_contracts[1].pk] * 3
    assert after.portfolio.totals.verified_pence == 2_203_160


def test_nothing_is_read_again_while_nothing_changed(
    world, three_contracts, django_assert_num_queries
):
    first = read(world)
    day, thresholds = timezone.localdate(), thresholds_of(settings_for(world.council))
    # The figures stamp alone.
    with django_assert_num_queries(1):
        again = running.read(world.council.pk, day, thresholds)
    assert again.portfolio is first.portfolio


def test_a_change_saved_while_reading_makes_the_read_start_again(
    world, three_contracts, contract_manager, monkeypatch
):
    read(world)
    verify_q2(three_contracts[0], contract_manager)
    rows_of = running.RunningPortfolio._rows
    saved_meanwhile = []

    def with_a_change_saved_meanwhile(self, contract_ids):
        found = rows_of(self, contract_ids)
        if not saved_meanwhile:
            saved_meanwhile.append(True)
            verify_q2(three_contracts[2], contract_manager)
        return found

    monkeypatch.setattr(running.RunningPortfolio, "_rows", with_a_change_saved_meanwhile)
    # The first read saw one verification, the stamp then moved: read again, both show.
    reading = read(world)
    assert reading.as_at is None
    assert reading.portfolio.totals.verified_pence == 2_703_160
    assert reading.portfolio == added_up_in_the_database(world)


def test_while_another_reader_updates_the_last_figures_show_with_their_time(
    world, three_contracts, client_for, viewer, contract_manager
):
    client = client_for(viewer)
    client.get(reverse("monitoring:dashboard"))
    state = running._states[world.council.pk]
    verify_q2(three_contracts[0], contract_manager)
    with state.lock:  # another thread is bringing the figures up to date
        page = client.get(reverse("monitoring:dashboard")).content.decode()
        home = client.get(reverse("home:home")).content.decode()
    read_at = timezone.localtime(state.shown.read_at).strftime("%H:%M")
    assert "£17,031.60" in page and "£22,031.60" not in page
    assert f"These figures are as at {read_at}" in page
    assert "£17,031.60" in home and f"These figures are as at {read_at}" in home
    page = client.get(reverse("monitoring:dashboard")).content.decode()
    assert "£22,031.60" in page and "as at" not in page


def test_new_thresholds_rate_every_commitment_again(world, three_contracts, council_admin):
    before = {rag: count for rag, _, _, count in read(world).portfolio.rag_counts}
    settings_update(council=world.council, by=council_admin, rag_amber_at="0.01")
    after = {rag: count for rag, _, _, count in read(world).portfolio.rag_counts}
    assert after != before
    assert read(world).portfolio == added_up_in_the_database(world)


def test_a_filtered_dashboard_is_added_up_in_the_database(
    world, three_contracts, client_for, viewer
):
    page = (
        client_for(viewer)
        .get(reverse("monitoring:dashboard") + "?directorate=Place")
        .content.decode()
    )
    # RMBC-000 and RMBC-002 are in Place: verified 2 × £5,677.20 = £11,354.40.
    assert "£11,354.40" in page


def lists_in_the_database(world):
    return worklists.worklists_of(
        Contract.objects.filter(council=world.council), today=timezone.localdate()
    )


def test_the_running_lists_are_exactly_those_read_from_the_database(
    world, three_contracts, contract_manager, supplier_user
):
    before = read(world).lists
    assert before == lists_in_the_database(world)
    # Each contract has Q1 queried and Q2 submitted: six returns waiting; later periods with
    # no return are overdue.
    assert before.waiting_count == 6 and before.overdue_count > 0
    assert before.directorates == ["Adult Care", "Place"]
    verify_q2(three_contracts[1], contract_manager)
    # A return sent for the soonest overdue period: it leaves the overdue list, joins the queue.
    soonest = before.overdue[0]
    contract = Contract.objects.get(pk=soonest.contract_id)
    file_return(contract, soonest.label, {"RM1": "0.5"}, by=supplier_user)
    after = read(world).lists
    assert after == lists_in_the_database(world)
    assert after.waiting_count == 6 - 1 + 1
    assert after.overdue_count == before.overdue_count - 1
    assert soonest.period_id not in [p.period_id for p in after.overdue]


def test_a_draft_return_leaves_its_period_overdue(world, three_contracts, supplier_user):
    before = read(world).lists
    soonest = before.overdue[0]
    contract = Contract.objects.get(pk=soonest.contract_id)
    file_return(contract, soonest.label, {"RM1": "0.5"}, by=supplier_user, submit=False)
    after = read(world).lists
    assert after == lists_in_the_database(world)
    assert after.overdue[0] == soonest and after.overdue_count == before.overdue_count


def test_a_return_with_no_submission_time_is_listed_first_both_ways(world, three_contracts):
    # As returns loaded in bulk are: waiting, but with no time they were sent.
    loaded = three_contracts[2].returns.get(period__label="2025-26 Q2")
    read(world)
    with transaction.atomic():
        SupplierReturn.objects.filter(pk=loaded.pk).update(submitted_at=None)
        contract_page_changed(three_contracts[2])
    lists = read(world).lists
    assert lists == lists_in_the_database(world)
    assert lists.waiting[0].return_id == loaded.pk and lists.waiting[0].submitted_at is None


def test_a_filtered_dashboard_lists_its_overdue_periods_and_every_filter_choice(
    world, three_contracts, client_for, viewer
):
    whole = read(world).lists
    page = (
        client_for(viewer)
        .get(reverse("monitoring:dashboard") + "?directorate=Adult Care")
        .content.decode()
    )
    # RMBC-001 alone is in Adult Care: a third of the council's overdue periods.
    assert f"{whole.overdue_count // 3} returns overdue" in page
    assert "RMBC-001" in page and "RMBC-000</a>" not in page
    # The filter still offers every directorate.
    assert '<option value="Place">' in page


def test_the_council_admins_home_page_counts_the_returns_to_verify_as_they_change(
    world, three_contracts, client_for, council_admin, contract_manager
):
    client = client_for(council_admin)
    page = client.get(reverse("home:home")).content.decode()
    assert work(page, "returns-to-verify") == 6
    verify_q2(three_contracts[0], contract_manager)
    assert work(client.get(reverse("home:home")).content.decode(), "returns-to-verify") == 5
    state = running._states[world.council.pk]
    verify_q2(three_contracts[1], contract_manager)
    with state.lock:  # another thread is bringing the figures up to date
        page = client.get(reverse("home:home")).content.decode()
    # The count read before the second verification, saying when it was read.
    read_at = timezone.localtime(state.shown.read_at).strftime("%H:%M")
    assert work(page, "returns-to-verify") == 5
    assert f"As at {read_at}; changes saved since then are being added." in page
    page = client.get(reverse("home:home")).content.decode()
    assert work(page, "returns-to-verify") == 4 and "As at" not in page
