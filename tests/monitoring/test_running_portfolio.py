"""The running portfolio: the council's whole portfolio kept in the process and brought up to
date by reading again only the contracts that changed, never mixing two moments' figures."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from commonweal.monitoring import figures, running
from commonweal.monitoring.dashboard import build_portfolio
from commonweal.monitoring.selectors import settings_for, thresholds_of
from commonweal.monitoring.services import settings_update
from tests.contracts.builders import build_measures
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
    read_at = timezone.localtime(state.shown[2]).strftime("%H:%M")
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
