"""Stored figures: worked out on every write, identical to the contract's own working."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from commonweal.contracts.services import commitment_vary
from commonweal.monitoring import dashboard, figures
from commonweal.monitoring.models import DeliveryFigures
from commonweal.valuation import RagThresholds
from tests.contracts.builders import build_contract, build_measures
from tests.monitoring.helpers import decide, file_return

pytestmark = pytest.mark.django_db


@pytest.fixture
def measures(world):
    return build_measures(world.council)


def _deliver(contract, supplier_user, contract_manager):
    q1 = file_return(
        contract, "2025-26 Q1", {"RM1": "0.5", "RM2": "120", "RM3": "2.5"}, by=supplier_user
    )
    q2 = file_return(
        contract, "2025-26 Q2", {"RM1": "0.5", "RM2": "100", "RM3": "3"}, by=supplier_user
    )
    decide(
        q1,
        {
            "RM1": ("verified", None, ""),
            "RM2": ("part_verified", "110", "10 hours were on another contract"),
            "RM3": ("verified", None, ""),
        },
        by=contract_manager,
    )
    decide(
        q2,
        {
            "RM1": ("rejected", None, "No payroll evidence"),
            "RM2": ("verified", None, ""),
            "RM3": ("queried", None, "Which site is this?"),
        },
        by=contract_manager,
    )


@pytest.mark.parametrize(
    "today",
    [date(2025, 5, 1), date(2025, 6, 30), date(2025, 9, 30), date(2025, 12, 31), date(2027, 4, 1)],
)
def test_stored_figures_match_the_contracts_own_working_on_any_day(
    world, measures, supplier_user, contract_manager, today
):
    contract = build_contract(world.council, world.supplier, measures)
    _deliver(contract, supplier_user, contract_manager)
    own = figures.contract_figures(contract, today=today, thresholds=RagThresholds())
    stored = {
        row.commitment_id: row
        for row in figures.council_figures_as_of(world.council.pk, today).filter(contract=contract)
    }
    assert len(stored) == 3  # exactly one row per commitment on any day
    for line in own.commitments:
        row = stored[line.commitment.pk]
        assert (row.target_to_date, row.claimed_to_date, row.verified_to_date) == (
            line.target_to_date,
            line.claimed_to_date,
            line.verified_to_date,
        )
        assert (row.target_pence, row.claimed_pence, row.verified_pence) == (
            line.target_pence,
            line.claimed_pence,
            line.verified_pence,
        )
        assert row.committed_pence == line.committed_pence


def test_the_golden_contract_adds_up_in_sql_to_the_hand_working(
    world, measures, supplier_user, contract_manager
):
    # The golden contract of test_golden_figures as of 31 Dec 2025 (Q3 ended, no Q3 return):
    # target £15,000 + £5,079 = £20,079; claimed £10,000 + £3,724.60 = £13,724.60;
    # verified £5,000 + £3,555.30 = £8,555.30; committed £53,544. RM1 red (33.33%),
    # RM2 amber (exactly 70.00%), RM3 red (33.33%).
    contract = build_contract(world.council, world.supplier, measures)
    _deliver(contract, supplier_user, contract_manager)
    rows = figures.council_figures_as_of(world.council.pk, date(2025, 12, 31))
    portfolio = dashboard.build_portfolio(rows, RagThresholds())
    totals = portfolio.totals
    assert (totals.committed_pence, totals.target_pence) == (5_354_400, 2_007_900)
    assert (totals.claimed_pence, totals.verified_pence) == (1_372_460, 855_530)
    counts = {value: count for value, _, _, count in portfolio.rag_counts}
    assert counts == {"red": 2, "amber": 1, "green": 0, "not_yet_due": 0}
    # Largest shortfall: RM1 £15,000 − £5,000 = £10,000, then RM2 £5,079 − £3,555.30.
    assert [row.shortfall_pence for row in portfolio.shortfalls] == [1_000_000, 152_370]


def test_a_share_exactly_on_a_threshold_takes_the_better_rating(world):
    # 0.63 ÷ 0.70 is exactly 0.9, which floating point would put a hair below 0.9.
    assert figures.verified_share(Decimal("0.63"), Decimal("0.70")) == Decimal("0.9")
    assert figures.verified_share(Decimal("2"), Decimal("3")) == Decimal("0.666666")
    assert figures.verified_share(Decimal("1"), Decimal("0")) is None


def test_a_variation_moves_the_committed_figures_on_the_dashboard_at_once(
    world, measures, client_for, viewer, contract_manager
):
    contract = build_contract(world.council, world.supplier, measures)
    client = client_for(viewer)
    assert "£53,544.00" in client.get(reverse("monitoring:dashboard")).content.decode()
    jobs = contract.commitments.get(measure__code="RM1")
    # RM1 goes from 2 + 2 FTE to 3 + 2 FTE: £10,000 more committed.
    commitment_vary(
        commitment=jobs,
        quantities_by_year={1: Decimal("3"), 2: Decimal("2")},
        reason="Second site opened",
        agreed_on=date(2025, 7, 1),
        by=contract_manager,
    )
    assert "£63,544.00" in client.get(reverse("monitoring:dashboard")).content.decode()


def test_refresh_figures_rebuilds_every_contracts_rows(
    world, measures, supplier_user, contract_manager
):
    contract = build_contract(world.council, world.supplier, measures)
    _deliver(contract, supplier_user, contract_manager)
    before = list(DeliveryFigures.objects.order_by("commitment_id", "from_date").values())
    DeliveryFigures.objects.all().delete()
    out = StringIO()
    call_command("monitoring", "refresh-figures", stdout=out)
    assert "Figures worked out for 1 contract(s)" in out.getvalue()
    after = list(DeliveryFigures.objects.order_by("commitment_id", "from_date").values())
    strip = [{k: v for k, v in row.items() if k != "id"} for row in before]
    assert [{k: v for k, v in row.items() if k != "id"} for row in after] == strip
    # 3 commitments × (1 row before any period ends + 8 quarters).
    assert len(after) == 27


def test_rag_filter_lists_only_those_commitments(
    world, measures, client_for, viewer, supplier_user, contract_manager
):
    # As of today every commitment of the golden contract is far behind: all three are red.
    contract = build_contract(world.council, world.supplier, measures)
    _deliver(contract, supplier_user, contract_manager)
    client = client_for(viewer)
    red = client.get(reverse("monitoring:dashboard-lines"), {"rag": "red"}).content.decode()
    assert "3 commitments" in red
    for rag in ("green", "purple"):
        page = client.get(reverse("monitoring:dashboard-lines"), {"rag": rag}).content.decode()
        assert "RMBC-" not in page


def test_migrate_works_out_figures_a_database_from_before_them_lacks(
    world, measures, supplier_user, contract_manager
):
    contract = build_contract(world.council, world.supplier, measures)
    _deliver(contract, supplier_user, contract_manager)
    DeliveryFigures.objects.all().delete()  # as after upgrading: contracts, no stored figures
    out = StringIO()
    call_command("migrate", verbosity=1, stdout=out)
    assert "Delivery figures worked out for 1 contract(s): 27 row(s)" in out.getvalue()
    assert DeliveryFigures.objects.count() == 27
