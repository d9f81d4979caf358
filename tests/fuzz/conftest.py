"""The world every fuzz test imports into: personas, a measure set, a tender a supplier has
joined, a draft return, an Equality Framework assessment, a partner's draft progress return, and the small upload limits of ``bad_files``."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from commonweal.fairwork import services as fairwork_services
from commonweal.partnership import services as partnership_services
from commonweal.tenders import services as tender_services
from tests.commissioning.builders import planned_procurement
from tests.contracts.builders import build_contract, build_measures
from tests.fuzz.bad_files import FUZZ_BACKGROUND_BYTES, FUZZ_LIMITS
from tests.monitoring.helpers import file_return
from tests.partnership.conftest import charter, coordinator  # noqa: F401 (fixtures used here)


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.COMMONWEAL_UPLOAD_LIMITS = FUZZ_LIMITS
    settings.COMMONWEAL_UPLOAD_BACKGROUND_BYTES = FUZZ_BACKGROUND_BYTES
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.fixture
def measures(world):
    return build_measures(world.council)


@pytest.fixture
def tender(world, council_officer, supplier_user, client_for):
    procurement = planned_procurement(world.council, council_officer)
    tender = tender_services.tender_issue(
        procurement=procurement, deadline=timezone.now() + timedelta(days=14), by=council_officer
    )
    client_for(supplier_user).post(reverse("tenders:join", args=[tender.share_token]))
    return tender


@pytest.fixture
def assessment(world, council_admin):
    """An Equality Framework criterion assessed today, to attach evidence to."""
    criterion = fairwork_services.criterion_add(
        council=world.council,
        module="workforce",
        reference="4.1",
        text="The workforce reflects the area",
        by=council_admin,
    )
    return fairwork_services.assessment_add(
        criterion=criterion,
        level="developing",
        narrative="Assessed",
        owner="Head of HR",
        assessed_on=date.today(),
        by=council_admin,
        today=date.today(),
    )


@pytest.fixture
def draft_return(world, measures, supplier_user, contract_manager):
    contract = build_contract(
        world.council, world.supplier, measures, contract_manager=contract_manager
    )
    return file_return(contract, "2025-26 Q1", {"RM1": "0.5"}, by=supplier_user, submit=False)


@pytest.fixture
def progress_return(charter, partner_user):  # noqa: F811 (the fixture imported above)
    """A partner's draft return on its commitment pledge, to attach evidence to."""
    return partnership_services.progress_return_start(
        pledge=charter.commitment, financial_year=2024, by=partner_user, today=date(2026, 12, 7)
    )
