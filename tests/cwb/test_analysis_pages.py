"""The spend analysis dashboard: headline shares worked by hand, charts with their data,
exports, and each organisation seeing only its own spend."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from commonweal.cwb import services, tasks
from commonweal.cwb.models import CreditorRecord, ReferenceDataLoad
from tests.cwb.conftest import import_spend_file
from tests.downloads import csv_text

pytestmark = pytest.mark.django_db


def import_a_later_payment(analysed, council_officer, spend_csv) -> None:
    """£400 to a new payee in June 2024, imported after the suppliers were linked."""
    rows = [("20/06/2024", "NEW PAYEE LTD", "", "Place", "400.00")]
    import_spend_file(analysed.council, council_officer, spend_csv("later.csv", rows), "Rotherham")


def test_the_dashboard_shows_the_shares_worked_by_hand(client_for, council_officer, analysed):
    page = client_for(council_officer).get(reverse("cwb:analysis"), {"year": "2024-25"})
    html = page.content.decode()
    # Total 1,500 + 25,000 + 250 + 2,000 + 1,250 = £30,000.00
    assert "£30,000.00" in html
    # Borough (Rotherham): 1,500 + 250 = 1,750 -> 5.83%; SME (declared): the same two.
    assert "£1,750.00" in html and "5.83%" in html
    # Combined authority: 1,750 + Sheffield 2,000 = 3,750 -> 12.50%
    assert "£3,750.00" in html and "12.50%" in html
    # Region: 3,750 + Leeds 25,000 = 28,750 -> 95.83%
    assert "£28,750.00" in html and "95.83%" in html
    # Deprived (deciles 1-2): Don Valley only, 1,500 -> 5.00%; VCSE: Wentworth 250 -> 0.83%
    assert "5.00%" in html and "0.83%" in html
    # Year on year against 2023-24 (Don Valley £1,000, all in the borough): 5.83 - 100.00
    assert "-94.17 points" in html
    assert "Show the data" in html
    assert reverse("cwb:analysis-chart", args=["2024-25", "local-shares"]) in html
    assert "counts nothing yet" not in html, "every supplier's area has a decile"


def test_a_deprived_area_share_without_deprivation_data_is_flagged(
    client_for, council_officer, analysed
):
    ReferenceDataLoad.objects.filter(kind="deprivation").delete()
    services.supplier_link_start(
        organisation=analysed.council, by=council_officer, enqueue=tasks.link_suppliers_task.enqueue
    )
    html = client_for(council_officer).get(reverse("cwb:analysis")).content.decode()
    assert "so “With suppliers in deprived areas” counts nothing yet" in html
    assert "commonweal refdata load deprivation FILE" in html


def test_local_shares_without_any_supplier_postcode_are_flagged_and_zero_shows_as_zero(
    client_for, council_officer, analysed
):
    CreditorRecord.objects.filter(organisation=analysed.council).update(postcode="")
    services.supplier_link_start(
        organisation=analysed.council, by=council_officer, enqueue=tasks.link_suppliers_task.enqueue
    )
    html = client_for(council_officer).get(reverse("cwb:analysis")).content.decode()
    assert "No supplier paid this year has a known postcode" in html
    assert "commonweal refdata load companies-house FILE" in html
    assert "£0.00 (0.00%)" in html, "a share of nothing is 0.00%, not unknown"


def test_spend_imported_after_the_last_linkage_is_pointed_out(
    client_for, council_officer, analysed, spend_csv
):
    client = client_for(council_officer)
    page = client.get(reverse("cwb:analysis"), {"year": "2024-25"}).content.decode()
    assert "imported after suppliers were last linked" not in page
    import_a_later_payment(analysed, council_officer, spend_csv)
    page = client.get(reverse("cwb:analysis"), {"year": "2024-25"}).content.decode()
    assert "£400.00 of this year's spend was imported after suppliers were last linked" in page
    assert reverse("cwb:supplier-list") in page


def test_a_year_on_year_change_is_flagged_until_spend_imported_since_linkage_is_classified(
    client_for, council_officer, analysed, spend_csv
):
    client = client_for(council_officer)
    unfair = "Not a fair comparison yet"
    page = client.get(reverse("cwb:analysis"), {"year": "2024-25"}).content.decode()
    assert "Change since 2023-24" in page and unfair not in page
    import_a_later_payment(analysed, council_officer, spend_csv)
    page = client.get(reverse("cwb:analysis"), {"year": "2024-25"}).content.decode()
    assert f"{unfair}: spend imported since suppliers were last linked counts as not local" in page
    # An earlier year's late spend makes the later year's comparison unfair too.
    rows = [("20/06/2023", "ANOTHER PAYEE LTD", "", "Place", "50.00")]
    services.supplier_link_start(
        organisation=analysed.council, by=council_officer, enqueue=tasks.link_suppliers_task.enqueue
    )
    import_spend_file(analysed.council, council_officer, spend_csv("older.csv", rows), "Rotherham")
    page = client.get(reverse("cwb:analysis"), {"year": "2024-25"}).content.decode()
    assert "imported after suppliers were last linked" not in page, "this year is classified"
    assert unfair in page
    services.supplier_link_start(
        organisation=analysed.council, by=council_officer, enqueue=tasks.link_suppliers_task.enqueue
    )
    page = client.get(reverse("cwb:analysis"), {"year": "2024-25"}).content.decode()
    assert unfair not in page


def test_charts_are_svg_images(client_for, council_officer, analysed):
    response = client_for(council_officer).get(
        reverse("cwb:analysis-chart", args=["2024-25", "by-service-area"])
    )
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.decode().lstrip().startswith("<svg")


def test_exports_as_csv_and_xlsx(client_for, council_officer, analysed):
    client = client_for(council_officer)
    download = csv_text(client.get(reverse("cwb:analysis"), {"year": "2024-25", "format": "csv"}))
    assert "Headline,In your borough,1750.00,5.83" in download
    assert "Top suppliers,1. NORTHERN INFRASTRUCTURE GROUP PLC,25000.00,83.33" in download
    assert "Data quality,Supplier has a postcode,30000.00,100.00" in download
    assert "Data quality,Supplier's area has a deprivation decile,30000.00,100.00" in download
    response = client.get(reverse("cwb:analysis"), {"year": "2024-25", "format": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Headline",
        "By sector",
        "By service area",
        "Top suppliers",
        "Leakage",
        "Data quality",
    ]
    assert book["Top suppliers"]["B2"].value == "NORTHERN INFRASTRUCTURE GROUP PLC"


def test_the_analysis_says_what_to_do_first(client_for, council_officer, world):
    html = client_for(council_officer).get(reverse("cwb:analysis")).content.decode()
    assert "Import a spend file first" in html


def test_viewers_read_and_outsiders_see_only_their_own(
    client_for, viewer, other_council_officer, partner_user, supplier_user, analysed
):
    assert "£30,000.00" in client_for(viewer).get(reverse("cwb:analysis")).content.decode()
    for person in (other_council_officer, partner_user):
        client = client_for(person)
        html = client.get(reverse("cwb:analysis")).content.decode()
        assert "£30,000.00" not in html and "Import a spend file first" in html
        chart = reverse("cwb:analysis-chart", args=["2024-25", "local-shares"])
        assert client.get(chart).status_code == 404
    assert client_for(supplier_user).get(reverse("cwb:analysis")).status_code == 404


def test_the_analysis_is_worked_out_once_until_its_inputs_change(
    client_for, council_officer, analysed, spend_csv, monkeypatch
):
    from commonweal.cwb import analyses

    runs = []
    real = analyses.analyse_spend
    monkeypatch.setattr(analyses, "analyse_spend", lambda *a, **k: runs.append(1) or real(*a, **k))
    client = client_for(council_officer)
    for _ in range(3):
        assert client.get(reverse("cwb:analysis"), {"year": "2024-25"}).status_code == 200
    assert len(runs) == 1
    import_a_later_payment(analysed, council_officer, spend_csv)
    page = client.get(reverse("cwb:analysis"), {"year": "2024-25"}).content.decode()
    assert len(runs) == 2
    assert "£30,400.00" in page
