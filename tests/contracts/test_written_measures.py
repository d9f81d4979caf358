"""A written (qualitative) measure is described in words, never committed as a number: the
add-a-contract form gives it no boxes, and the service and the register import refuse a
quantity for it, naming the measure (and the row)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commonweal.contracts.models import Contract
from commonweal.contracts.services import CommitmentInput, contract_create
from tests.contracts.builders import build_measures
from tests.factories import LocalMeasureSetItemFactory, MeasureFactory

pytestmark = pytest.mark.django_db

WRITTEN = "RM9 is a written measure: it is described in words in the contract, not committed"


@pytest.fixture
def measures(world):
    measures = build_measures(world.council)
    plan = MeasureFactory(
        outcome=measures.jobs.outcome,
        code="RM9",
        title="How the supplier will support the partnership's plan",
        unit="qualitative",
        value_type="qualitative",
        position=9,
    )
    LocalMeasureSetItemFactory(set_version=measures.version, measure=plan, position=9)
    measures.plan = plan
    return measures


def test_the_form_gives_a_written_measure_no_boxes_and_names_it(
    world, measures, client_for, council_officer
):
    client = client_for(council_officer)
    details = {
        "title": "Home care",
        "reference": "RMBC-HC-1",
        "supplier": world.supplier.pk,
        "value": "300000",
        "start_date_day": "1",
        "start_date_month": "4",
        "start_date_year": "2025",
        "end_date_day": "31",
        "end_date_month": "3",
        "end_date_year": "2026",
        "price_year": "2025",
        "reporting_frequency": "quarterly",
        "measure_set_version": measures.version.pk,
    }
    assert client.post(reverse("contracts:create"), details).status_code == 302
    page = client.get(reverse("contracts:create-commitments")).content.decode()
    assert f'name="m{measures.jobs.pk}_y1"' in page
    assert f'name="m{measures.plan.pk}_y1"' not in page
    assert "Written measures are described in words" in page and "RM9 How the supplier" in page


def test_the_service_refuses_a_number_for_a_written_measure_and_writes_nothing(world, measures):
    with pytest.raises(ValidationError) as error:
        contract_create(
            council=world.council,
            supplier=world.supplier,
            title="Cleaning",
            reference="RMBC-1",
            value_pence=10_000_000,
            start_date=date(2025, 4, 1),
            end_date=date(2026, 3, 31),
            directorate="Place",
            contract_manager=None,
            measure_set_version=measures.version,
            price_year=2025,
            commitments=[CommitmentInput(measures.plan, {1: Decimal(1)})],
            source="award",
            by=None,
        )
    assert WRITTEN in str(error.value)
    assert not Contract.objects.exists()


def test_the_register_import_refuses_a_written_measure_by_row(
    world, measures, client_for, council_officer
):
    csv = (
        "reference,title,supplier,value,start_date,end_date,directorate,contract_manager_email,"
        "measure_code,contract_year,quantity\n"
        "RMBC-10,School meals,Don Valley Catering Ltd,500000,2025-04-01,2027-03-31,,,RM1,1,2\n"
        "RMBC-10,School meals,Don Valley Catering Ltd,500000,2025-04-01,2027-03-31,,,RM9,1,1\n"
    )
    page = (
        client_for(council_officer)
        .post(
            reverse("contracts:import"),
            {
                "file": SimpleUploadedFile("register.csv", csv.encode()),
                "price_year": "2025",
                "measure_set_version": measures.version.pk,
            },
        )
        .content.decode()
    )
    assert "Nothing has been imported" in page and WRITTEN in page
    assert not Contract.objects.exists()
