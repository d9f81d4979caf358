"""The local economy journey in the browser: an officer imports a spend file whose date and
amount headings Commonweal does not know, takes the columns suggested from their values, and
reads the result."""

from __future__ import annotations

from tests.browser.support import (
    BROWSER,
    assert_govuk_frontend_ready,
    assert_no_browser_problems,
    assert_no_serious_accessibility_violations,
)

pytestmark = BROWSER


def test_an_officer_imports_a_file_in_unknown_words_taking_the_suggested_columns(
    page, problems, signed_in_as, council_officer, tmp_path
):
    signed_in_as(council_officer)
    spend = tmp_path / "txn.csv"
    spend.write_text(
        "Txn Dt,Payee,Val,Ref\n"
        "01/04/2024,ACME LTD,10.00,R1\n"
        '02/04/2024,BETA LTD,"£1,020.50",R2\n'
        "03/04/2024,GAMMA LTD,(5.00),R3\n",
        encoding="utf-8",
    )
    page.goto("/local-economy/imports/new/")
    page.set_input_files("#id_spend_files", str(spend))
    page.get_by_role("button", name="Continue").click()

    page.get_by_role("heading", name="Choose the columns to use").wait_for()
    assert page.locator("#id_payment_date").input_value() == "Txn Dt"
    assert page.locator("#id_amount_pence").input_value() == "Val"
    assert page.locator("#id_supplier_name").input_value() == "Payee"
    hint = page.locator("#id_payment_date-hint").inner_text()
    assert hint.startswith("Suggested “Txn Dt”: every value in the first rows reads as a date")
    assert_govuk_frontend_ready(page)
    assert_no_browser_problems(problems)
    assert_no_serious_accessibility_violations(page)

    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Import these files").click()
    page.get_by_role("link", name="See the result").click()
    # £10.00 + £1,020.50 - £5.00 (a credit note in brackets)
    page.get_by_text("£1,025.50").first.wait_for()
    assert "Every row was imported." in page.locator("main").inner_text()
    assert_no_browser_problems(problems)
