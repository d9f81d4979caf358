"""Supplier register: linkage over all imported spend, creditor file precedence, search, and
the review queue whose decisions are reused on the next run."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.urls import reverse

from commonweal.core.models import Job
from commonweal.cwb import services
from commonweal.cwb.models import (
    CreditorRecord,
    RegisterSupplier,
    SupplierLinkDecision,
    SupplierNameLink,
    SupplierReviewPair,
)
from tests.cwb.conftest import add_creditor, import_spend_file, past_the_job
from tests.downloads import csv_text
from tests.workbooks import FORMATS, write_workbook

pytestmark = pytest.mark.django_db

ROWS = [
    ("01/04/2024", "DON VALLEY CATERING LTD", "1001", "Children", "1000.00"),
    ("15/04/2024", "Don Valley Catering Limited", "1001", "Children", "500.00"),
    ("20/04/2024", "DON VALLEY CATERERS", "5005", "Children", "75.00"),
    ("02/05/2024", "NORTHERN INFRASTRUCTURE GROUP PLC", "2002", "Place", "25000.00"),
    ("03/05/2024", "WENTWORTH COMMUNITY TRANSPORT", "3003", "Adult Care", "250.00"),
    ("04/05/2024", "REDACTED PERSONAL DATA", "", "Adult Care", "90.00"),
]


def import_spend(organisation, by, spend_csv, rows=ROWS, name="spend.csv", publisher=None):
    return import_spend_file(organisation, by, spend_csv(name, rows), publisher)


@pytest.fixture
def linked(world, council_officer, client_for, spend_csv):
    import_spend(world.council, council_officer, spend_csv)
    client = client_for(council_officer)
    response = client.post(reverse("cwb:supplier-link"))
    job = Job.objects.filter(kind="supplier_linkage").get()
    assert response["Location"] == reverse("accounts:job-detail", args=[job.pk])
    assert job.status == Job.Status.SUCCEEDED, job.error
    return client


def supplier_named(name):
    return SupplierNameLink.objects.get(raw_name=name).register_supplier


def upload_creditors(client, content: bytes, name: str = "creditors.csv"):
    """Upload a creditor file as a person does (see ``past_the_job``)."""
    response = client.post(
        reverse("cwb:creditor-upload"), {"creditor_file": SimpleUploadedFile(name, content)}
    )
    return past_the_job(client, response)


def test_linking_builds_one_register_supplier_per_cluster_of_names(world, linked):
    don_valley = supplier_named("DON VALLEY CATERING LTD")
    assert supplier_named("Don Valley Catering Limited") == don_valley
    assert don_valley.spend_pence == 150000
    assert (
        SupplierNameLink.objects.get(raw_name="Don Valley Catering Limited").method == "identifier"
    )
    page = linked.get(reverse("cwb:supplier-list")).content.decode()
    assert "NORTHERN INFRASTRUCTURE GROUP PLC" in page and "£25,000.00" in page
    detail = linked.get(reverse("cwb:supplier-detail", args=[don_valley.pk])).content.decode()
    assert "Don Valley Catering Limited" in detail and "1001" in detail


def test_the_register_is_searchable_by_name_supplier_id_and_company_number(world, linked):
    northern = supplier_named("NORTHERN INFRASTRUCTURE GROUP PLC")
    RegisterSupplier.objects.filter(pk=northern.pk).update(company_number="01234567")
    for query in ("northern infra", "2002", "1234567", "01234567"):
        page = linked.get(reverse("cwb:supplier-list"), {"q": query}).content.decode()
        assert "NORTHERN INFRASTRUCTURE GROUP PLC" in page, query
        assert "WENTWORTH COMMUNITY TRANSPORT" not in page, query


def test_the_suppliers_csv_has_one_row_per_published_name_and_supplier_id(world, linked):
    response = linked.get(reverse("cwb:supplier-list"), {"format": "csv"})
    lines = csv_text(response).splitlines()
    assert (
        lines[0]
        == "raw_name,source_supplier_id,register_supplier_id,company_number,charity_number,method,probability"
    )
    assert len(lines) == 1 + 6
    assert any(line.startswith("Don Valley Catering Limited,1001,S") for line in lines)


def test_the_creditor_file_gives_postcodes_and_declarations_that_outrank_inference(
    world, council_officer, linked
):
    content = (
        b"Supplier ID,Supplier Name,Postcode,Company Number,SME,VCSE\n"
        b"1001,Don Valley Catering Ltd,s601qp,1234567,Yes,No\n"
        b"3003,Wentworth Community Transport,S62 7TW,,Yes,Yes\n"
    )
    response = upload_creditors(linked, content)
    assert response.status_code == 302
    assert CreditorRecord.objects.get(source_supplier_id="1001").postcode == "S60 1QP"
    linked.post(reverse("cwb:supplier-link"))
    don_valley = supplier_named("DON VALLEY CATERING LTD")
    assert don_valley.postcode == "S60 1QP"
    assert don_valley.company_number == "01234567"
    assert don_valley.is_sme is True and don_valley.sme_source == "self-declared (creditor file)"
    wentworth = supplier_named("WENTWORTH COMMUNITY TRANSPORT")
    assert wentworth.is_vcse is True


def test_the_creditor_file_says_which_payees_are_public_bodies_or_individuals(world, linked):
    content = (
        b"Supplier ID,Supplier Name,Creditor Type\n"
        b"1001,Don Valley Catering Ltd,Limited Company\n"
        b"2002,Northern Infrastructure Group plc,Public Sector\n"
        b"3003,Wentworth Community Transport,\n"
        b"5005,Mr D Valley,  private   INDIVIDUAL \n"
    )
    upload_creditors(linked, content)
    types = dict(CreditorRecord.objects.values_list("source_supplier_id", "creditor_type"))
    assert types == {
        "1001": "organisation",
        "2002": "public_body",
        "3003": "",
        "5005": "individual",
    }
    linked.post(reverse("cwb:supplier-link"))
    northern = supplier_named("NORTHERN INFRASTRUCTURE GROUP PLC")
    assert northern.is_public_body is True
    assert northern.public_body_source == "self-declared (creditor file)"
    assert northern.is_individual is False
    don_valley = supplier_named("DON VALLEY CATERING LTD")
    assert (don_valley.is_public_body, don_valley.is_individual) == (False, False)
    caterers = supplier_named("DON VALLEY CATERERS")
    assert caterers.is_individual is True and caterers.individual_source == (
        "self-declared (creditor file)"
    )
    redacted = supplier_named("REDACTED PERSONAL DATA")
    assert redacted.is_individual is True
    assert redacted.individual_source == "redacted in spend file"
    page = linked.get(reverse("cwb:supplier-detail", args=[northern.pk])).content.decode()
    assert "Public body" in page and "(self-declared (creditor file))" in page


def test_a_creditor_file_with_an_unknown_payee_type_is_refused_whole(world, linked):
    content = b"Supplier ID,Type\n1001,Company\n2002,Alien\n"
    response = upload_creditors(linked, content)
    assert (
        "creditors.csv: row 3, column &#x27;Type&#x27;: &#x27;Alien&#x27; is not a payee type we "
        "know" in response.content.decode()
    )
    assert not CreditorRecord.objects.exists()


def test_vat_numbers_in_the_creditor_file_link_supplier_ids_as_one_supplier(world, linked):
    assert supplier_named("DON VALLEY CATERERS") != supplier_named("DON VALLEY CATERING LTD")
    content = (
        b"Supplier ID,Supplier Name,VAT Number\n"
        b"1001,Don Valley Catering Ltd,GB 123 4567 89\n"
        b"5005,Don Valley Caterers,123456789\n"
        b"2002,Northern Infrastructure Group plc,n/a\n"
    )
    assert upload_creditors(linked, content).status_code == 302
    assert CreditorRecord.objects.get(source_supplier_id="1001").vat_number == "123456789"
    assert CreditorRecord.objects.get(source_supplier_id="2002").vat_number == ""
    linked.post(reverse("cwb:supplier-link"))
    assert supplier_named("DON VALLEY CATERERS") == supplier_named("DON VALLEY CATERING LTD")
    assert SupplierNameLink.objects.get(raw_name="DON VALLEY CATERERS").method == "identifier"


def test_a_previous_name_on_companies_house_links_the_old_and_new_names(world, linked, tmp_path):
    from django.core.management import call_command

    assert supplier_named("DON VALLEY CATERERS") != supplier_named("DON VALLEY CATERING LTD")
    path = tmp_path / "BasicCompanyData-part1.csv"
    path.write_text(
        "CompanyName, CompanyNumber,RegAddress.PostCode,CompanyCategory,CompanyStatus,"
        "PreviousName_1.CONDATE,PreviousName_1.CompanyName\n"
        '"DON VALLEY CATERING LTD","01234567","S60 1QP","Private Limited Company","Active",'
        '"01/02/2019","DON VALLEY CATERERS LIMITED"\n',
        encoding="utf-8",
    )
    call_command("refdata", "load", "companies-house", str(path), "--version", "2026-11")
    linked.post(reverse("cwb:supplier-link"))
    assert supplier_named("DON VALLEY CATERERS") == supplier_named("DON VALLEY CATERING LTD")
    assert SupplierNameLink.objects.get(raw_name="DON VALLEY CATERERS").method == "name_rule"


def test_a_creditor_file_with_a_vat_number_that_is_not_one_is_refused_whole(world, linked):
    content = b"Supplier ID,VAT Number\n1001,GB123456789\n2002,GB12345\n"
    page = upload_creditors(linked, content).content.decode()
    assert (
        "creditors.csv: row 3, column &#x27;VAT Number&#x27;: &#x27;GB12345&#x27; is not a UK "
        "VAT number" in page
    )
    assert not CreditorRecord.objects.exists()


def test_a_creditor_file_with_a_bad_postcode_is_refused_whole(world, linked):
    content = b"Supplier ID,Postcode\n1001,S60 1QP\n2002,NOT A POSTCODE\n"
    response = upload_creditors(linked, content)
    page = response.content.decode()
    assert (
        "creditors.csv: row 3, column &#x27;Postcode&#x27;: &#x27;NOT A POSTCODE&#x27; is not a UK postcode"
        in page
    )
    assert not CreditorRecord.objects.exists()


def test_a_creditor_file_with_a_title_above_its_header_is_read_with_its_row_numbers(world, linked):
    content = b"Creditor list at 1 April 2024\n\nSupplier ID,Postcode\n1001,S60 1QP\n2002,XX\n"
    response = upload_creditors(linked, content)
    assert "creditors.csv: row 5, column &#x27;Postcode&#x27;: &#x27;XX&#x27;" in (
        response.content.decode()
    )


def test_a_supplier_on_two_rows_with_different_details_is_refused_but_a_repeat_is_not(
    world, linked
):
    repeated = b"Supplier ID,Postcode\n1001,S60 1QP\n2002,S1 2HH\n1001,S60 1QP\n"
    response = upload_creditors(linked, repeated)
    assert response.status_code == 302
    assert CreditorRecord.objects.count() == 2
    two_addresses = b"Supplier ID,Postcode\n1001,S60 1QP\n2002,S1 2HH\n1001,LS1 4AP\n"
    response = upload_creditors(linked, two_addresses)
    assert (
        "creditors.csv: supplier ID &#x27;1001&#x27; is on row 2 and row 4 with different "
        "details; keep one row per supplier" in response.content.decode()
    )
    assert CreditorRecord.objects.count() == 2  # the earlier file's records stand


@pytest.mark.parametrize(
    ("file_name", "content"),
    [
        # Excel's "CSV" on a UK machine: Windows-1252, with an accented name.
        (
            "creditors.csv",
            "Supplier ID,Supplier Name,Postcode\n1001,Café Rouge,S60 1QP\n".encode("cp1252"),
        ),
        ("creditors.csv", "Supplier ID;Supplier Name;Postcode\n1001;Café Rouge;S60 1QP\n".encode()),
        (
            "creditors.txt",
            "Supplier ID\tSupplier Name\tPostcode\n1001\tCafé Rouge\tS60 1QP\n".encode("utf-16"),
        ),
    ],
)
def test_a_creditor_file_is_read_in_the_encodings_and_delimiters_finance_systems_export(
    world, linked, file_name, content
):
    response = upload_creditors(linked, content, file_name)
    assert response.status_code == 302, response.content.decode()[-2000:]
    record = CreditorRecord.objects.get()
    assert (record.source_supplier_id, record.name, record.postcode) == (
        "1001",
        "Café Rouge",
        "S60 1QP",
    )


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_creditor_workbook_is_read_with_whole_numbers_as_ids(world, linked, tmp_path, suffix):
    path = write_workbook(
        tmp_path / f"creditors{suffix}",
        {"Suppliers": [["Supplier ID", "Postcode", "SME"], [1001.0, "S60 1QP", "Yes"]]},
    )
    response = upload_creditors(linked, path.read_bytes(), path.name)
    assert response.status_code == 302
    record = CreditorRecord.objects.get()
    assert (record.source_supplier_id, record.postcode, record.declared_sme) == (
        "1001",
        "S60 1QP",
        True,
    )


def test_a_creditor_workbook_without_rows_is_refused_saying_so(world, linked, tmp_path):
    path = write_workbook(tmp_path / "creditors.ods", {"Suppliers": []})
    response = upload_creditors(linked, path.read_bytes(), path.name)
    assert "creditors.ods: no visible worksheet of the workbook has rows" in (
        response.content.decode()
    )


def test_a_binary_creditor_file_is_refused_saying_so(world, linked):
    response = upload_creditors(linked, b"\x00\x01\x02binary")
    assert "creditors.csv: this is not a text (CSV) file" in response.content.decode()
    assert not CreditorRecord.objects.exists()


def test_review_decisions_are_stored_and_reused_on_the_next_link_run(
    world, council_officer, linked
):
    pair = SupplierReviewPair.objects.get(
        Q(name_a="DON VALLEY CATERERS") | Q(name_b="DON VALLEY CATERERS")
    )
    page = linked.get(reverse("cwb:review-queue")).content.decode()
    assert "DON VALLEY CATERERS" in page
    assert pair.reason and pair.reason in page, "the reviewer is told why they are asked"
    response = linked.post(reverse("cwb:review-decide", args=[pair.pk]), {"decision": "accept"})
    assert response.status_code == 302
    decision = SupplierLinkDecision.objects.get()
    assert decision.decision == "accept" and decision.method == "human review"
    assert decision.reviewer == council_officer and decision.probability == pair.probability
    assert decision.decided_at is not None
    assert not SupplierReviewPair.objects.filter(pk=pair.pk).exists()

    linked.post(reverse("cwb:supplier-link"))
    valey = SupplierNameLink.objects.get(raw_name="DON VALLEY CATERERS")
    assert valey.method == "human"
    assert valey.register_supplier == supplier_named("DON VALLEY CATERING LTD")
    assert not SupplierReviewPair.objects.filter(
        Q(name_a="DON VALLEY CATERERS") | Q(name_b="DON VALLEY CATERERS")
    ).exists()
    run = world.council.supplier_link_runs.order_by("-pk").first()
    assert run.decisions_applied == 1


def test_a_pair_has_one_decision_whichever_way_round_it_was_shown(world, council_officer, linked):
    first = SupplierReviewPair.objects.create(
        organisation=world.council,
        link_run=world.council.supplier_link_runs.first(),
        name_a="Acme Ltd",
        name_b="ACME (SP PMTS ONLY) LIMITED TRADING",
        probability="0.9",
    )
    services.supplier_pair_decide(pair=first, decision="accept", by=council_officer)
    second = SupplierReviewPair.objects.create(
        organisation=world.council,
        link_run=world.council.supplier_link_runs.first(),
        name_a="ACME (SP PMTS ONLY) LIMITED TRADING",
        name_b="Acme Ltd",
        probability="0.9",
    )
    services.supplier_pair_decide(pair=second, decision="reject", by=council_officer)
    decision = SupplierLinkDecision.objects.get()
    assert decision.decision == "reject"
    assert decision.name_a < decision.name_b


def test_a_rejected_pair_stays_apart_and_is_not_asked_again(world, linked):
    pair = SupplierReviewPair.objects.get(
        Q(name_a="DON VALLEY CATERERS") | Q(name_b="DON VALLEY CATERERS")
    )
    linked.post(reverse("cwb:review-decide", args=[pair.pk]), {"decision": "reject"})
    linked.post(reverse("cwb:supplier-link"))
    assert supplier_named("DON VALLEY CATERERS") != supplier_named("DON VALLEY CATERING LTD")
    assert not SupplierReviewPair.objects.filter(
        Q(name_a="DON VALLEY CATERERS") | Q(name_b="DON VALLEY CATERERS")
    ).exists()


def test_imports_and_decisions_since_the_last_linkage_are_shown_until_linked_again(
    world, council_officer, linked, spend_csv
):
    later = import_spend(
        world.council,
        council_officer,
        spend_csv,
        rows=[("01/06/2024", "MAGNA TRUST", "6006", "Place", "1234.50")],
        name="june.csv",
    )
    pair = SupplierReviewPair.objects.get(
        Q(name_a="DON VALLEY CATERERS") | Q(name_b="DON VALLEY CATERERS")
    )
    linked.post(reverse("cwb:review-decide", args=[pair.pk]), {"decision": "accept"})

    register = linked.get(reverse("cwb:supplier-list")).content.decode()
    assert (
        "1 import of spend (£1,234.50) finished: its supplier names are not in the register"
        in register
    )
    assert "1 decision on pairs of names was made and is not applied yet" in register
    assert register.count("Link supplier names again") == 1
    queue = linked.get(reverse("cwb:review-queue")).content.decode()
    assert "1 decision on pairs of names was made" in queue
    detail = linked.get(reverse("cwb:import-detail", args=[later.pk])).content.decode()
    assert "supplier names are not in the register" in detail
    assert "Link supplier names again" in detail

    linked.post(reverse("cwb:supplier-link"))
    for url in (
        reverse("cwb:supplier-list"),
        reverse("cwb:review-queue"),
        reverse("cwb:import-detail", args=[later.pk]),
    ):
        assert "Since suppliers were last linked" not in linked.get(url).content.decode()


def test_an_import_before_any_linkage_says_the_register_is_not_built(
    world, council_officer, client_for, spend_csv, viewer
):
    run = import_spend(world.council, council_officer, spend_csv)
    url = reverse("cwb:import-detail", args=[run.pk])
    page = client_for(council_officer).get(url).content.decode()
    assert "The supplier register has not been built yet" in page
    assert "Link supplier names</button>" in page
    read_only = client_for(viewer).get(url).content.decode()
    assert "The supplier register has not been built yet" in read_only
    assert "<button" not in read_only.split("has not been built yet")[1].split("</div>")[0]


def test_a_supplier_id_links_names_only_within_the_publisher_that_numbered_them(
    world, council_officer, client_for, spend_csv
):
    # A combined authority's officer might import two councils' files into one register.
    for file_name, name, publisher in (
        ("ours.csv", "ACME CLEANING LTD", None),
        ("theirs.csv", "ZENITH LIFTS PLC", "Doncaster Council"),
        ("theirs-later.csv", "ZENITH LIFT SERVICES", "  doncaster   COUNCIL "),
    ):
        rows = [("01/04/2024", name, "1001", "Place", "10.00")]
        import_spend(world.council, council_officer, spend_csv, rows, file_name, publisher)
    add_creditor(world.council, "1001", postcode="S60 1QP")
    client_for(council_officer).post(reverse("cwb:supplier-link"))
    acme, zenith = supplier_named("ACME CLEANING LTD"), supplier_named("ZENITH LIFTS PLC")
    assert acme != zenith
    assert supplier_named("ZENITH LIFT SERVICES") == zenith, "one publisher, however typed"
    assert acme.postcode == "S60 1QP" and zenith.postcode == "", "our creditor file numbers ours"


def test_a_redaction_published_under_several_suppliers_ids_does_not_join_them(
    world, council_officer, client_for, spend_csv
):
    rows = [
        ("01/04/2024", "NOMAD OPENING DOORS", "568571", "Adult Care", "100.00"),
        ("02/04/2024", "REDACTED PERSONAL DATA", "568571", "Adult Care", "900.00"),
        ("03/04/2024", "ITS MY LIFE LTD", "558028", "Adult Care", "100.00"),
        ("04/04/2024", "REDACTED PERSONAL DATA", "558028", "Adult Care", "900.00"),
    ]
    import_spend(world.council, council_officer, spend_csv, rows)
    client_for(council_officer).post(reverse("cwb:supplier-link"))
    nomad, its_my_life = supplier_named("NOMAD OPENING DOORS"), supplier_named("ITS MY LIFE LTD")
    assert nomad != its_my_life
    # The redacted payments belong to the supplier of their ID, which keeps its own name.
    assert (nomad.display_name, nomad.spend_pence) == ("NOMAD OPENING DOORS", 100000)


# --- personas ---------------------------------------------------------------------------------


def test_viewers_read_the_register_but_cannot_link_or_decide(world, linked, client_for, viewer):
    client = client_for(viewer)
    pair = SupplierReviewPair.objects.first()
    assert client.get(reverse("cwb:supplier-list")).status_code == 200
    assert client.get(reverse("cwb:review-queue")).status_code == 200
    assert "Link supplier names" not in client.get(reverse("cwb:supplier-list")).content.decode()
    assert client.post(reverse("cwb:supplier-link")).status_code == 403
    assert (
        client.post(
            reverse("cwb:review-decide", args=[pair.pk]), {"decision": "accept"}
        ).status_code
        == 403
    )
    assert client.get(reverse("cwb:creditor-upload")).status_code == 403
    assert not SupplierLinkDecision.objects.exists()


def test_outsiders_get_404_for_our_suppliers_and_pairs(
    world, linked, client_for, other_council_officer, supplier_user, partner_user
):
    supplier = RegisterSupplier.objects.first()
    pair = SupplierReviewPair.objects.first()
    for person in (other_council_officer, supplier_user, partner_user):
        client = client_for(person)
        assert client.get(reverse("cwb:supplier-detail", args=[supplier.pk])).status_code == 404
        assert (
            client.post(
                reverse("cwb:review-decide", args=[pair.pk]), {"decision": "reject"}
            ).status_code
            == 404
        )
    other = client_for(other_council_officer).get(reverse("cwb:supplier-list")).content.decode()
    assert supplier.display_name not in other
    assert client_for(supplier_user).get(reverse("cwb:supplier-list")).status_code == 404
    assert not SupplierLinkDecision.objects.exists()


# --- replacing the creditor records is explicit (issue 18, item 4) ---------------------------


def test_a_creditor_file_with_a_header_and_no_rows_is_refused_and_the_records_stand(world, linked):
    add_creditor(world.council, "1001", name="Don Valley Catering Ltd")
    response = upload_creditors(linked, b"Supplier ID,Supplier Name,Postcode\n\n")
    assert response.status_code == 200
    assert (
        "creditors.csv: there are no suppliers under the header row; nothing was changed"
        in response.content.decode()
    )
    assert list(CreditorRecord.objects.values_list("source_supplier_id", flat=True)) == ["1001"]


def test_a_creditor_file_that_would_remove_suppliers_lists_them_and_waits_for_confirmation(
    world, linked
):
    add_creditor(world.council, "1001", name="Don Valley Catering Ltd")
    add_creditor(world.council, "2002", name="Northern Infrastructure Group plc")
    add_creditor(world.council, "3003", name="Wentworth Community Transport")
    response = upload_creditors(linked, b"Supplier ID,Postcode\n1001,S60 1QP\n4004,S1 2HH\n")
    assert response.status_code == 200
    page = response.content.decode()
    assert "This file would remove 2 suppliers from your creditor records" in page
    assert "Northern Infrastructure Group plc" in page and "Wentworth Community Transport" in page
    assert "Don Valley Catering Ltd" not in page
    # Nothing has changed yet.
    assert set(CreditorRecord.objects.values_list("source_supplier_id", flat=True)) == {
        "1001",
        "2002",
        "3003",
    }
    response = linked.post(reverse("cwb:creditor-confirm"))
    assert response["Location"] == reverse("cwb:supplier-list")
    assert set(CreditorRecord.objects.values_list("source_supplier_id", flat=True)) == {
        "1001",
        "4004",
    }
    # The kept file is gone once used; confirming again does nothing.
    assert linked.post(reverse("cwb:creditor-confirm"))["Location"] == reverse(
        "cwb:creditor-upload"
    )


def test_a_confirmation_given_for_other_removals_is_asked_again(world, council_officer, linked):
    add_creditor(world.council, "1001", name="Don Valley Catering Ltd")
    add_creditor(world.council, "2002", name="Northern Infrastructure Group plc")
    upload_creditors(linked, b"Supplier ID\n1001\n")
    # Meanwhile the records change: the file would now remove another supplier too.
    add_creditor(world.council, "3003", name="Wentworth Community Transport")
    response = linked.post(reverse("cwb:creditor-confirm"))
    assert response.status_code == 200
    assert "This file would remove 2 suppliers" in response.content.decode()
    assert CreditorRecord.objects.count() == 3


def test_the_service_refuses_removals_that_were_not_confirmed(world, council_officer, tmp_path):
    add_creditor(world.council, "1001", name="Don Valley Catering Ltd")
    add_creditor(world.council, "2002", name="Northern Infrastructure Group plc")
    path = tmp_path / "creditors.csv"
    path.write_bytes(b"Supplier ID\n1001\n")
    with pytest.raises(services.CreditorRemovalsUnconfirmed) as refused:
        services.creditor_file_import(
            organisation=world.council, path=path, name="creditors.csv", by=council_officer
        )
    assert refused.value.removed == [("2002", "Northern Infrastructure Group plc")]
    assert CreditorRecord.objects.count() == 2
    count = services.creditor_file_import(
        organisation=world.council,
        path=path,
        name="creditors.csv",
        by=council_officer,
        confirmed_removals={"2002"},
    )
    assert count == 1 and CreditorRecord.objects.get().source_supplier_id == "1001"


def test_a_viewer_may_not_confirm_a_creditor_file(world, client_for, viewer):
    assert client_for(viewer).post(reverse("cwb:creditor-confirm")).status_code == 403


def decide_don_valley(client, decision="accept"):
    pair = SupplierReviewPair.objects.get(
        Q(name_a="DON VALLEY CATERERS") | Q(name_b="DON VALLEY CATERERS")
    )
    client.post(reverse("cwb:review-decide", args=[pair.pk]), {"decision": decision})
    return SupplierLinkDecision.objects.get()


def test_every_decision_is_listed_and_a_wrong_one_can_be_changed(world, linked, council_officer):
    decision = decide_don_valley(linked)
    page = linked.get(reverse("cwb:review-decisions")).content.decode()
    assert "DON VALLEY CATERERS" in page and "Same supplier" in page
    assert "Make it different suppliers" in page
    searched = linked.get(reverse("cwb:review-decisions"), {"q": "zenith"}).content.decode()
    assert "No decision is on a name matching" in searched
    response = linked.post(
        reverse("cwb:review-decision-change", args=[decision.pk]), {"decision": "reject"}
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert (decision.decision, decision.method) == ("reject", "human review (changed)")
    assert decision.reviewer == council_officer
    again = linked.post(
        reverse("cwb:review-decision-change", args=[decision.pk]),
        {"decision": "reject"},
        follow=True,
    ).content.decode()
    assert "already decided as &#x27;Different suppliers&#x27;" in again
    linked.post(reverse("cwb:supplier-link"))
    assert supplier_named("DON VALLEY CATERERS") != supplier_named("DON VALLEY CATERING LTD")


def test_viewers_see_decisions_but_cannot_change_them_and_outsiders_get_404(
    world, linked, client_for, viewer, other_council_officer, supplier_user
):
    decision = decide_don_valley(linked)
    change = reverse("cwb:review-decision-change", args=[decision.pk])
    reader = client_for(viewer)
    page = reader.get(reverse("cwb:review-decisions")).content.decode()
    assert "DON VALLEY CATERERS" in page and "Make it different suppliers" not in page
    assert reader.post(change, {"decision": "reject"}).status_code == 403
    for person in (other_council_officer, supplier_user):
        assert client_for(person).post(change, {"decision": "reject"}).status_code == 404
    other = client_for(other_council_officer).get(reverse("cwb:review-decisions"))
    assert "DON VALLEY CATERERS" not in other.content.decode()
    assert client_for(supplier_user).get(reverse("cwb:review-decisions")).status_code == 404
    decision.refresh_from_db()
    assert decision.decision == "accept"


def test_a_creditor_workbook_is_read_and_its_removals_confirmed_by_background_jobs(
    world, linked, tmp_path
):
    add_creditor(world.council, "1001", name="Don Valley Catering Ltd")
    add_creditor(world.council, "2002", name="Northern Infrastructure Group plc")
    path = write_workbook(tmp_path / "creditors.xlsx", {"Suppliers": [["Supplier ID"], [1001]]})
    response = linked.post(
        reverse("cwb:creditor-upload"),
        {"creditor_file": SimpleUploadedFile(path.name, path.read_bytes())},
    )
    reading = Job.objects.get(kind="creditor_file")
    assert response["Location"] == reverse("accounts:job-detail", args=[reading.pk]) + "?follow=1"
    assert reading.result_url == reverse("cwb:creditor-confirm")
    page = linked.get(reading.result_url).content.decode()
    assert "Northern Infrastructure Group plc" in page
    assert CreditorRecord.objects.count() == 2  # nothing changed before the confirmation
    linked.post(reverse("cwb:creditor-confirm"))
    confirming = Job.objects.filter(kind="creditor_file").exclude(pk=reading.pk).get()
    assert confirming.result_url == reverse("cwb:supplier-list")
    assert list(CreditorRecord.objects.values_list("source_supplier_id", flat=True)) == ["1001"]
