"""A return counting people, jobs or apprenticeships: a fractional head count is saved (a
period's target can itself be a fraction of a person) but the whole-person counting rule flags
it with its figures for the verifier; FTE stays fractional and unflagged."""

from __future__ import annotations

import pytest

from commonweal.frameworks.models import Measure
from commonweal.monitoring.figures import return_check
from tests.contracts.builders import build_contract, build_measures
from tests.monitoring.helpers import file_return

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(world, contract_manager):
    measures = build_measures(world.council)
    # RM3 counts care leavers given jobs, in people; RM1 stays in FTE.
    Measure.objects.filter(pk=measures.carbon.pk).update(unit="people")
    return build_contract(
        world.council, world.supplier, measures, contract_manager=contract_manager
    )


def test_half_a_person_is_flagged_for_the_verifier_and_half_an_fte_is_not(contract, supplier_user):
    supplier_return = file_return(
        contract, "2025-26 Q1", {"RM1": "1.5", "RM3": "2.5"}, by=supplier_user, submit=False
    )
    findings = [finding for finding, _ in return_check(supplier_return.pk).findings]
    split = [f for f in findings if f.rule_code == "whole-person-units"]
    assert len(split) == 1 and "counts 2.5 people under RM3" in split[0].message
