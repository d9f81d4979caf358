"""The spend import journey: upload, columns, check, background import, result, history.

Persona rules: council editors and partner contributors import; viewers only read; another
council's officer, suppliers and partners get 404 for our imports.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commonweal.core.models import Job
from commonweal.cwb import paths, services
from commonweal.cwb.models import PublisherMapping, SpendImportFile, SpendImportRun
from tests.cwb.conftest import ROTHERHAM_ROWS, choose_columns_and_import, upload
from tests.downloads import csv_text
from tests.workbooks import FORMATS, write_password_protected, write_workbook

pytestmark = pytest.mark.django_db


def import_through_the_pages(client, *paths_):
    response = upload(client, *paths_)
    assert response.status_code == 302, response.content.decode()[:3000]
    run = SpendImportRun.objects.get(status=SpendImportRun.Status.DRAFT)
    assert response["Location"] == reverse("cwb:import-check", args=[run.pk])
    response = client.post(reverse("cwb:import-check", args=[run.pk]))
    assert response.status_code == 302
    return SpendImportRun.objects.get(pk=run.pk), response


def test_an_officer_uploads_checks_and_imports_a_file_and_sees_the_rejected_rows(
    client_for, council_officer, spend_csv
):
    client = client_for(council_officer)
    path = spend_csv("rotherham-2024-04.csv", ROTHERHAM_ROWS)
    response = upload(client, path)
    run = SpendImportRun.objects.get()
    check = client.get(response["Location"]).content.decode()
    assert "Check the files before importing" in check
    assert "DON VALLEY CATERING LTD" in check
    assert "from “Payment Date”" in check

    response = client.post(reverse("cwb:import-check", args=[run.pk]))
    job = Job.objects.get()
    assert response["Location"] == reverse("accounts:job-detail", args=[job.pk])
    assert job.status == Job.Status.SUCCEEDED
    assert job.result_url == reverse("cwb:import-detail", args=[run.pk])
    run.refresh_from_db()
    assert run.status == SpendImportRun.Status.COMPLETED
    assert (run.rows_read, run.rows_accepted, run.rows_rejected) == (5, 4, 1)
    # 1185.60 + 500.00 + 25000.00 - 250.00
    assert run.total_pence == 2643560
    assert str(run.first_payment_date) == "2024-04-01"
    assert run.created_by == council_officer
    assert run.job == job

    page = client.get(reverse("cwb:import-detail", args=[run.pk])).content.decode()
    assert "£26,435.60" in page
    assert "31/13/2024" in page and "not a recognised date" in page
    assert "rotherham-2024-04.csv" in page
    csv_response = client.get(reverse("cwb:import-rejects", args=[run.pk]))
    assert csv_response.status_code == 200
    body = csv_text(csv_response)
    assert body.splitlines()[0] == "file,row,column,value,reason"
    assert "rotherham-2024-04.csv,6,Payment Date,31/13/2024" in body

    history = client.get(reverse("cwb:import-list")).content.decode()
    assert run.reference in history and "Imported" in history


def test_the_check_step_warns_about_columns_chosen_from_the_words_of_unknown_headers(
    client_for, council_officer, spend_csv
):
    client = client_for(council_officer)
    header = "Date Paid (dd/mm/yyyy),Name of Supplier,Supplier ID,Directorate,Amount\n"
    response = upload(client, spend_csv("unlisted.csv", ROTHERHAM_ROWS, header=header))
    check = client.get(response["Location"]).content.decode()
    assert (
        "We chose the columns for the payment date and the supplier name from the words in "
        "their headers, not from a header we know. Check them in the rows below."
    ) in check
    assert "from “Name of Supplier”" in check
    header = "Payment Date,Supplier Name,Supplier Ref,Directorate,Amount\n"
    response = upload(client, spend_csv("ref.csv", ROTHERHAM_ROWS, header=header))
    check = client.get(response["Location"]).content.decode()
    assert "We chose the column for the supplier ID from the words in its header" in check


def test_the_job_page_shows_the_progress_stage_of_the_import(
    client_for, council_officer, spend_csv
):
    client = client_for(council_officer)
    run, _ = import_through_the_pages(client, spend_csv("a.csv", ROTHERHAM_ROWS))
    job = Job.objects.get()
    page = client.get(reverse("accounts:job-detail", args=[job.pk])).content.decode()
    assert "Recording the result" in page or "Finished" in page
    assert job.rows_done == 5


def test_reimporting_the_same_file_is_refused_with_a_clear_message(
    client_for, council_officer, spend_csv
):
    client = client_for(council_officer)
    path = spend_csv("april.csv", ROTHERHAM_ROWS)
    run, _ = import_through_the_pages(client, path)
    renamed = path.with_name("april-copy.csv")
    renamed.write_bytes(path.read_bytes())
    response = upload(client, renamed)
    assert response.status_code == 200
    page = response.content.decode()
    assert "april-copy.csv has already been imported" in page
    assert f"import {run.reference}" in page
    assert SpendImportRun.objects.count() == 1


def test_a_file_with_unknown_headers_gets_a_column_step_whose_choice_is_remembered(
    client_for, council_officer, spend_csv
):
    client = client_for(council_officer)
    # Supplier and reference are recognised; the date and amount columns are not.
    header = "When,Beneficiary,Cost,Payment Reference,Spare\n"
    rows = [
        ("01/04/2024", "ACME LTD", "10.00", "R1", ""),
        ("02/04/2024", "BETA LTD", "20.00", "R2", ""),
    ]
    first = spend_csv("odd.csv", rows, header=header)
    response = upload(client, first, publisher="Odd Council")
    run = SpendImportRun.objects.get()
    # The check page sends the person to the column step, which previews the first rows.
    assert client.get(response["Location"])["Location"] == reverse(
        "cwb:import-columns", args=[run.pk]
    )
    page = client.get(reverse("cwb:import-columns", args=[run.pk])).content.decode()
    assert "Choose the columns to use" in page and "ACME LTD" in page
    assert "We could not find the column that holds the payment date and the amount." in page

    response = client.post(reverse("cwb:import-columns", args=[run.pk]), {"payment_date": "When"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Select the column that holds the amount" in page
    assert "There is a problem" in page

    run = choose_columns_and_import(
        client,
        run,
        {"payment_date": "When", "supplier_name": "Beneficiary", "amount_pence": "Cost"},
    )
    saved = PublisherMapping.objects.get(publisher="Odd Council")
    assert saved.mapping["amount_pence"] == "Cost"
    assert run.status == SpendImportRun.Status.COMPLETED and run.total_pence == 3000

    second = spend_csv(
        "odd-may.csv", [("01/05/2024", "GAMMA LTD", "5.00", "R3", "")], header=header
    )
    response = upload(client, second, publisher="Odd Council")
    later = SpendImportRun.objects.exclude(pk=run.pk).get()
    check = client.get(response["Location"])
    assert check.status_code == 200, "the saved columns fit, so no column step"
    assert "from “Cost”" in check.content.decode()
    client.post(reverse("cwb:import-check", args=[later.pk]))
    later.refresh_from_db()
    assert later.total_pence == 500


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"  \n", "the file is empty"),
        (b"", "bad.csv is empty"),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "the workbook cannot be read"),
        (b"colour,shape\nred,round\n", "no header row found in the first 50 rows"),
        (b"PK\x03\x04broken", "the workbook cannot be read"),
        (b"<html><table><tr><td>Amount</td></tr></table></html>", "this is a web page (HTML)"),
        (
            b"01/04/2024,ACME LTD,100.00\n02/04/2024,BETA LTD,200.00\n",
            "row 1 holds a payment (01/04/2024, 100.00), not column headings, so the file has "
            "no header row",
        ),
    ],
)
def test_malformed_uploads_show_a_precise_error_and_keep_nothing(
    client_for, council_officer, tmp_path, content, message
):
    path = tmp_path / ("bad.xlsx" if content.startswith(b"PK") else "bad.csv")
    path.write_bytes(content)
    client = client_for(council_officer)
    response = client.post(
        reverse("cwb:import-new"),
        {"publisher": "Rotherham", "spend_files": [SimpleUploadedFile(path.name, content)]},
    )
    if content.startswith((b"PK", b"\xd0\xcf")):  # a workbook is checked by a background job
        response = client.get(response["Location"])
        assert Job.objects.get().status == Job.Status.FAILED
    assert message in response.content.decode()
    assert path.name in response.content.decode()
    assert response.status_code == 200
    assert not SpendImportRun.objects.exists()
    for kept in (paths.data_dir() / "spend-uploads", paths.data_dir() / "uploads" / "spend-files"):
        assert not kept.exists() or not any(kept.iterdir())


def test_a_file_whose_every_row_is_rejected_fails_and_leaves_nothing(
    client_for, council_officer, spend_csv
):
    client = client_for(council_officer)
    rows = [("not a date", "ACME LTD", "1", "Place", "10.00")] * 3
    run, response = import_through_the_pages(client, spend_csv("all-bad.csv", rows))
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert "all 3 rows were rejected" in job.error
    assert job.result_url == reverse("cwb:import-new"), "the job page offers to try again"
    run.refresh_from_db()
    assert run.status == SpendImportRun.Status.FAILED
    assert not SpendImportFile.objects.filter(counts=True).exists()
    assert not (paths.spend_output_dir(run.organisation_id) / str(run.pk)).exists()
    assert not paths.spend_uploads_dir(run.pk).exists()
    page = client.get(reverse("cwb:import-detail", args=[run.pk])).content.decode()
    assert "Nothing was imported" in page and "all 3 rows were rejected" in page
    # The same file, corrected, is not blocked by the failed attempt.
    fixed = spend_csv("all-bad.csv", rows)
    assert upload(client, fixed).status_code == 302


def test_an_upload_left_unconfirmed_is_listed_for_editors_to_carry_on_with(
    client_for, council_officer, viewer, spend_csv
):
    upload(client_for(council_officer), spend_csv("a.csv", ROTHERHAM_ROWS))
    run = SpendImportRun.objects.get()
    page = client_for(council_officer).get(reverse("cwb:import-list")).content.decode()
    assert "Not confirmed" in page and "Check and import" in page
    assert reverse("cwb:import-detail", args=[run.pk]) in page
    # Viewers cannot carry on with it, so it is not theirs to see.
    assert run.reference not in client_for(viewer).get(reverse("cwb:import-list")).content.decode()


def test_a_draft_can_be_discarded(client_for, council_officer, spend_csv):
    client = client_for(council_officer)
    upload(client, spend_csv("a.csv", ROTHERHAM_ROWS))
    run_id = SpendImportRun.objects.get().pk
    response = client.post(reverse("cwb:import-discard", args=[run_id]))
    assert response.status_code == 302
    assert not SpendImportRun.objects.exists()
    assert not paths.spend_uploads_dir(run_id).exists()


def test_an_editor_withdraws_an_import_and_its_payments_leave_every_figure(
    client_for, council_officer, spend_csv
):
    client = client_for(council_officer)
    april, _ = import_through_the_pages(client, spend_csv("april.csv", ROTHERHAM_ROWS))
    client.post(reverse("cwb:supplier-link"))
    may_rows = [("01/05/2024", "MAY SUPPLIES LTD", "7007", "Place", "300.00")]
    may, _ = import_through_the_pages(client, spend_csv("may.csv", may_rows))
    assert "£26,735.60" in client.get(reverse("cwb:analysis")).content.decode()

    detail = client.get(reverse("cwb:import-detail", args=[may.pk])).content.decode()
    assert reverse("cwb:import-withdraw", args=[may.pk]) in detail
    confirm = client.get(reverse("cwb:import-withdraw", args=[may.pk])).content.decode()
    assert "1 payments totalling £300.00" in confirm and "may.csv" in confirm
    response = client.post(reverse("cwb:import-withdraw", args=[may.pk]))
    assert response["Location"] == reverse("cwb:import-detail", args=[may.pk])

    may.refresh_from_db()
    assert may.status == SpendImportRun.Status.WITHDRAWN and may.withdrawn_by == council_officer
    assert not (paths.spend_output_dir(may.organisation_id) / str(may.pk)).exists()
    # 1185.60 + 500.00 + 25000.00 - 250.00, as before May was imported
    assert "£26,435.60" in client.get(reverse("cwb:analysis")).content.decode()
    detail = client.get(reverse("cwb:import-detail", args=[may.pk])).content.decode()
    assert "Withdrawn by" in detail and "its files can be imported again" in detail
    audit = LogEntry.objects.get_for_object(may).filter(action=LogEntry.Action.UPDATE).first()
    assert audit.changes_dict["status"] == ["completed", "withdrawn"]
    assert audit.actor == council_officer
    # Its file may be imported again; the other import is untouched.
    again, _ = import_through_the_pages(client, spend_csv("may.csv", may_rows))
    assert again.status == SpendImportRun.Status.COMPLETED, again.error
    april.refresh_from_db()
    assert april.status == SpendImportRun.Status.COMPLETED


def test_an_import_repeating_payments_of_another_says_so_until_one_is_withdrawn(
    client_for, council_officer, spend_csv
):
    client = client_for(council_officer)
    april, _ = import_through_the_pages(client, spend_csv("april.csv", ROTHERHAM_ROWS))
    extra = ("01/06/2024", "NEW LTD", "9", "Place", "5.00")
    year, _ = import_through_the_pages(client, spend_csv("year.csv", [*ROTHERHAM_ROWS, extra]))
    year.refresh_from_db()
    page = client.get(reverse("cwb:import-detail", args=[year.pk])).content.decode()
    assert "4 of this import's 5 payments are also in import" in page
    assert reverse("cwb:import-detail", args=[april.pk]) in page
    client.post(reverse("cwb:import-withdraw", args=[april.pk]))
    page = client.get(reverse("cwb:import-detail", args=[year.pk])).content.decode()
    assert "are also in import" not in page


def test_files_of_one_import_that_repeat_each_other_are_named_in_a_warning(
    client_for, council_officer, spend_csv
):
    client = client_for(council_officer)
    run, _ = import_through_the_pages(
        client,
        spend_csv("april.csv", ROTHERHAM_ROWS),
        spend_csv("year.csv", [*ROTHERHAM_ROWS, ("01/06/2024", "NEW LTD", "9", "Place", "5.00")]),
    )
    run.refresh_from_db()
    assert run.repeated_within == [["april.csv", "year.csv", 4]]
    page = client.get(reverse("cwb:import-detail", args=[run.pk])).content.decode()
    assert "4 payments in year.csv are also in april.csv, imported with it" in page


def test_the_register_says_an_import_it_read_was_withdrawn_until_linked_again(
    client_for, council_officer, imported_run
):
    client = client_for(council_officer)
    client.post(reverse("cwb:supplier-link"))
    client.post(reverse("cwb:import-withdraw", args=[imported_run.pk]))
    page = client.get(reverse("cwb:supplier-list")).content.decode()
    assert "1 import of spend was withdrawn: the register still holds its supplier names" in page
    client.post(reverse("cwb:supplier-link"))
    assert "was withdrawn" not in client.get(reverse("cwb:supplier-list")).content.decode()


def test_only_a_finished_import_can_be_withdrawn_and_only_once(
    client_for, council_officer, imported_run, spend_csv
):
    client = client_for(council_officer)
    upload(client, spend_csv("draft.csv", ROTHERHAM_ROWS[:1]))
    draft = SpendImportRun.objects.get(status=SpendImportRun.Status.DRAFT)
    assert client.get(reverse("cwb:import-withdraw", args=[draft.pk])).status_code == 404
    client.post(reverse("cwb:import-withdraw", args=[imported_run.pk]))
    assert client.post(reverse("cwb:import-withdraw", args=[imported_run.pk])).status_code == 404


# --- personas ---------------------------------------------------------------------------------


@pytest.fixture
def imported_run(client_for, council_officer, spend_csv):
    run, _ = import_through_the_pages(
        client_for(council_officer), spend_csv("a.csv", ROTHERHAM_ROWS)
    )
    return run


def test_viewers_read_imports_but_cannot_upload_or_withdraw(client_for, viewer, imported_run):
    client = client_for(viewer)
    assert client.get(reverse("cwb:import-list")).status_code == 200
    detail = client.get(reverse("cwb:import-detail", args=[imported_run.pk]))
    assert detail.status_code == 200 and "Withdraw this import" not in detail.content.decode()
    assert client.get(reverse("cwb:import-new")).status_code == 403
    assert client.post(reverse("cwb:import-withdraw", args=[imported_run.pk])).status_code == 403
    imported_run.refresh_from_db()
    assert imported_run.status == SpendImportRun.Status.COMPLETED
    assert "Import spend files" not in client.get(reverse("cwb:import-list")).content.decode()


def test_other_councils_suppliers_and_partners_get_404_for_our_imports(
    client_for, other_council_officer, supplier_user, partner_user, imported_run
):
    for person in (other_council_officer, supplier_user, partner_user):
        client = client_for(person)
        for url in (
            reverse("cwb:import-detail", args=[imported_run.pk]),
            reverse("cwb:import-rejects", args=[imported_run.pk]),
            reverse("cwb:import-check", args=[imported_run.pk]),
            reverse("cwb:import-columns", args=[imported_run.pk]),
            reverse("cwb:import-withdraw", args=[imported_run.pk]),
        ):
            assert client.get(url).status_code == 404, (person, url)
        assert (
            client.post(reverse("cwb:import-withdraw", args=[imported_run.pk])).status_code == 404
        )
    assert (
        imported_run.reference
        not in client_for(other_council_officer).get(reverse("cwb:import-list")).content.decode()
    )


def test_suppliers_have_no_local_economy_pages(client_for, supplier_user):
    client = client_for(supplier_user)
    for name in ("cwb:overview", "cwb:import-list", "cwb:import-new", "cwb:local-tiers"):
        assert client.get(reverse(name)).status_code == 404, name


def test_an_anchor_partner_imports_its_own_spend_and_sees_only_that(
    client_for, partner_user, council_officer, imported_run, spend_csv
):
    client = client_for(partner_user)
    rows = [("01/04/2024", "HOSPITAL LAUNDRY LTD", "9", "Estates", "300.00")]
    response = upload(client, spend_csv("hospital.csv", rows), publisher="Rotherham Hospital Trust")
    assert response.status_code == 302
    own = SpendImportRun.objects.exclude(pk=imported_run.pk).get()
    client.post(reverse("cwb:import-check", args=[own.pk]))
    history = client.get(reverse("cwb:import-list")).content.decode()
    assert own.reference in history and imported_run.reference not in history
    council_history = client_for(council_officer).get(reverse("cwb:import-list")).content.decode()
    assert own.reference not in council_history


def test_a_file_whose_headers_are_all_unknown_is_mapped_by_hand_and_imported(
    client_for, council_officer, spend_csv
):
    client = client_for(council_officer)
    header = "When,Who,Cost\n"
    path = spend_csv("own-words.csv", [("01/04/2024", "ACME LTD", "10.00")], header=header)
    upload(client, path, publisher="Parish Council")
    run = SpendImportRun.objects.get()
    page = client.get(reverse("cwb:import-columns", args=[run.pk])).content.decode()
    assert "Choose the columns to use" in page and "ACME LTD" in page
    run = choose_columns_and_import(
        client, run, {"payment_date": "When", "supplier_name": "Who", "amount_pence": "Cost"}
    )
    assert run.status == SpendImportRun.Status.COMPLETED, run.error
    assert (run.rows_accepted, run.total_pence) == (1, 1000)
    # The next file in the same words finds its header through the saved columns.
    later = spend_csv("own-words-may.csv", [("01/05/2024", "BETA LTD", "5.00")], header=header)
    response = upload(client, later, publisher="Parish Council")
    assert client.get(response["Location"]).status_code == 200


def test_the_column_step_suggests_the_date_and_amount_columns_from_their_values(
    client_for, council_officer, spend_csv
):
    client = client_for(council_officer)
    rows = [
        ("01/04/2024", "ACME LTD", "10.00", "R1"),
        ("02/04/2024", "BETA LTD", "£1020.50", "R2"),
        ("03/04/2024", "GAMMA LTD", "(5.00)", "R3"),
    ]
    path = spend_csv("txn.csv", rows, header="Txn Dt,Who,Val,Ref\n")
    upload(client, path, publisher="Parish Council")
    run = SpendImportRun.objects.get()
    page = client.get(reverse("cwb:import-columns", args=[run.pk])).content.decode()
    assert "Suggested “Txn Dt”: every value in the first rows reads as a date." in page
    assert "Suggested “Val”: every value in the first rows reads as an amount of money." in page
    assert '<option value="Txn Dt" selected>' in page
    assert '<option value="Val" selected>' in page
    assert "Suggested “Ref”" not in page, "whole numbers could be references"
    # Nothing is imported on a suggestion: the person still chooses and continues.
    assert run.mapping == {}
    run = choose_columns_and_import(
        client, run, {"payment_date": "Txn Dt", "supplier_name": "Who", "amount_pence": "Val"}
    )
    assert (run.rows_accepted, run.total_pence) == (3, 1000 + 102050 - 500)


def test_an_excel_workbook_and_a_csv_are_imported_together(
    client_for, council_officer, spend_csv, tmp_path
):
    from datetime import date

    workbook = write_workbook(
        tmp_path / "may.xlsx",
        {
            "May": [
                ["Spend over £500, May 2024"],  # a title row above the header
                ["Payment Date", "Supplier Name", "Supplier ID", "Directorate", "Amount"],
                [date(2024, 5, 1), "ACME LTD", 77, "Place", 1234.5],
            ]
        },
    )
    client = client_for(council_officer)
    run, _ = import_through_the_pages(client, spend_csv("april.csv", ROTHERHAM_ROWS), workbook)
    run.refresh_from_db()
    assert run.status == SpendImportRun.Status.COMPLETED, run.error
    assert run.rows_accepted == 4 + 1
    assert run.total_pence == 2643560 + 123450
    files = {f.name: f for f in run.files.all()}
    assert files["may.xlsx"].header_row == 2 and files["may.xlsx"].total_pence == 123450


def test_a_file_with_old_mac_line_endings_is_previewed_and_imported(
    client_for, council_officer, tmp_path
):
    path = tmp_path / "mac.csv"
    path.write_bytes(b"Payment Date,Supplier Name,Amount\r01/04/2024,ACME LTD,10.00\r")
    run, _ = import_through_the_pages(client_for(council_officer), path)
    run.refresh_from_db()
    assert run.status == SpendImportRun.Status.COMPLETED, run.error
    assert (run.rows_accepted, run.total_pence) == (1, 1000)


def test_a_file_with_us_dates_and_decimal_commas_is_imported_so_and_the_page_says_so(
    client_for, council_officer, spend_csv
):
    us_rows = [("4/13/2024", "ACME LTD", "1", "Place", '"10,00"')]
    client = client_for(council_officer)
    run, _ = import_through_the_pages(client, spend_csv("us.csv", us_rows))
    run.refresh_from_db()
    assert run.status == SpendImportRun.Status.COMPLETED, run.error
    assert str(run.first_payment_date) == "2024-04-13"
    page = client.get(reverse("cwb:import-detail", args=[run.pk])).content.decode()
    assert "Dates written month first (as 4/13/2024) and read that way" in page
    assert "Amounts written with a decimal comma (as 1185,60) and read that way" in page
    assert run.total_pence == 1000


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_workbook_with_a_worksheet_per_month_is_checked_and_imported_whole(
    client_for, council_officer, tmp_path, suffix
):
    sheets: dict[str, list[list]] = {"Notes": [["Spend over £500, published quarterly"]]}
    for title, amounts in (("April", ["10.00"]), ("May", ["oops", "2.50"])):
        sheets[title] = [["Payment Date", "Supplier Name", "Amount"]]
        sheets[title] += [["01/05/2024", "ACME LTD", amount] for amount in amounts]
    workbook = write_workbook(tmp_path / f"quarter{suffix}", sheets)
    client = client_for(council_officer)
    response = upload(client, workbook)
    assert response.status_code == 302, response.content.decode()[:3000]
    check = client.get(response["Location"]).content.decode()
    assert "The workbook has spend on 2 worksheets: ‘April’ and ‘May’. Each is imported" in check
    assert client.post(response["Location"]).status_code == 302
    run = SpendImportRun.objects.get()
    assert run.status == SpendImportRun.Status.COMPLETED, run.error
    assert (run.rows_accepted, run.rows_rejected, run.total_pence) == (2, 1, 1250)
    (file,) = run.files.all()
    assert file.worksheets == ["April", "May"]
    page = client.get(reverse("cwb:import-detail", args=[run.pk])).content.decode()
    assert "Worksheets: April, May" in page
    assert f"quarter{suffix} [May]" in page  # the rejected row names its worksheet


def test_a_password_protected_workbook_is_refused_saying_so_and_nothing_is_kept(
    client_for, council_officer, tmp_path
):
    path = write_password_protected(
        tmp_path / "locked.xlsx", {"May": [["Payment Date", "Supplier Name", "Amount"]]}, "pw"
    )
    response = upload(client_for(council_officer), path)
    assert (
        "locked.xlsx: the workbook is protected by a password; save a copy without one"
        in response.content.decode()
    )
    assert not SpendImportRun.objects.exists()


def test_a_file_of_another_kind_is_refused_naming_the_kinds_accepted(
    client_for, council_officer, tmp_path
):
    path = tmp_path / "spend.pdf"
    path.write_bytes(b"%PDF-1.7")
    response = upload(client_for(council_officer), path)
    assert (
        "spend.pdf: the file must be a CSV file or a spreadsheet (.xlsx, .xlsm, .xls or .ods)"
        in response.content.decode()
    )
    assert not SpendImportRun.objects.exists()


def test_a_workbook_is_checked_by_a_background_job_and_not_read_again_for_the_next_steps(
    client_for, council_officer, tmp_path, settings, monkeypatch
):
    workbook = write_workbook(
        tmp_path / "may.xlsx",
        {"May": [["Payment Date", "Supplier Name", "Amount"], ["01/05/2024", "ACME LTD", "10.00"]]},
    )
    client = client_for(council_officer)
    response = client.post(
        reverse("cwb:import-new"),
        {
            "publisher": "Rotherham Metropolitan Borough Council",
            "spend_files": [SimpleUploadedFile(workbook.name, workbook.read_bytes())],
        },
    )
    job = Job.objects.get(kind="spend_files_check")
    run = SpendImportRun.objects.get()
    assert response["Location"] == reverse("accounts:job-detail", args=[job.pk]) + "?follow=1"
    assert (job.status, job.title, job.result_url) == (
        Job.Status.SUCCEEDED,
        "Checking 1 spend file",
        reverse("cwb:import-check", args=[run.pk]),
    )
    assert run.files.get().preview["headers"] == ["Payment Date", "Supplier Name", "Amount"]
    assert not list((Path(settings.DATA_DIR) / "uploads" / "spend-files").iterdir())

    def read_again(*args, **kwargs):
        raise AssertionError("the workbook was read again")

    monkeypatch.setattr(services, "preview_file", read_again)
    assert client.get(job.result_url).status_code == 200
    assert client.post(job.result_url).status_code == 302
    run.refresh_from_db()
    assert run.status == SpendImportRun.Status.COMPLETED, run.error
