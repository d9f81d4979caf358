"""A tender whose measure set version chose the council's own carbon values, or a DESNZ path
other than central, values carbon offers with them, and its pages say which values are in
force (issue 21, point 7)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from commonweal.frameworks.models import CarbonPoint, CarbonSeries, LocalMeasureSetVersion
from commonweal.tenders import selectors
from commonweal.tenders.evaluation import method_summary
from tests.tenders.conftest import submitted_offer
from tests.tenders.test_carbon_by_year import carbon_tender  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

SOURCE = "Rotherham MBC Climate Emergency Action Plan, annex B"
OFFER = {("CW-ENV-01", 1): 10, ("CW-ENV-01", 2): 10, ("CW-ENV-01", 3): 10}


def choose(tender, **choice) -> None:
    LocalMeasureSetVersion.objects.filter(pk=tender.measure_set_version_id).update(**choice)
    tender.refresh_from_db()


def council_series(council) -> CarbonSeries:
    series = CarbonSeries.objects.create(
        owner=council,
        slug="rotherham-carbon",
        name="Rotherham carbon values 2026",
        price_year=2022,
        source_title=SOURCE,
        licence="Open Government Licence v3.0",
    )
    for year, value in ((2022, "250.00"), (2023, "255.00"), (2024, "260.00")):
        CarbonPoint.objects.create(series=series, year=year, value=Decimal(value))
    return series


def test_an_offer_is_valued_with_the_council_series_and_the_page_names_it(
    carbon_tender,  # noqa: F811
    world,
    supplier_user,
    client_for,
):
    choose(carbon_tender, carbon_series=council_series(world.council))
    offer = submitted_offer(carbon_tender, world.supplier, supplier_user, OFFER)

    # Year 1 counts as the tender's price year, 2022; the council's values are in 2022 prices:
    #   10 × 250 + 10 × 255 + 10 × 260 = 7,650.00 (with the DESNZ central path, 7,948.60).
    result = selectors.value_draft(offer)
    assert [line.value for line in result.lines] == [
        Decimal("2500.00"),
        Decimal("2550.00"),
        Decimal("2600.00"),
    ]
    assert result.line("CW-ENV-01-Y3").proxy.source_title == f"{SOURCE}, value for 2024"

    page = client_for(supplier_user).get(reverse("tenders:offer", args=[carbon_tender.pk]))
    text = page.content.decode()
    assert (
        f"Carbon savings are valued at the values in Rotherham carbon values 2026 ({SOURCE}, "
        "2022 prices)" in text
    )
    method = " ".join(method_summary(selectors.evaluation_settings(carbon_tender)))
    assert "Rotherham carbon values 2026" in method and "DESNZ" not in method


@pytest.mark.parametrize(
    ("path", "values", "total"),
    [
        # DESNZ 2022–2024 (valuation/reference/carbon_values.csv), 10 t a year, 2022 prices.
        ("low", ("1304.80", "1324.70", "1344.80"), "3974.30"),
        ("high", ("3914.40", "3974.00", "4034.50"), "11922.90"),
    ],
)
def test_an_offer_is_valued_on_the_desnz_path_the_version_chose(
    carbon_tender,  # noqa: F811
    world,
    supplier_user,
    path,
    values,
    total,
):
    choose(carbon_tender, carbon_path=path)
    offer = submitted_offer(carbon_tender, world.supplier, supplier_user, OFFER)
    result = selectors.value_draft(offer)
    assert [line.value for line in result.lines] == [Decimal(v) for v in values]
    assert result.total_value == Decimal(total)
    method = " ".join(method_summary(selectors.evaluation_settings(carbon_tender)))
    assert f"Carbon savings are valued at the {path} DESNZ carbon value" in method
