"""Suggesting the payment date and amount columns of a file whose headers do not name them."""

import pytest

from commonweal.spend_engine.columns_by_value import PaymentRowNotHeader, suggest_columns
from commonweal.spend_engine.ingest import read_values
from commonweal.spend_engine.layouts import detect_mapping


def suggested(headers, rows):
    """{field: header} of the suggestions for a file with these headers and first rows."""
    found = suggest_columns(detect_mapping(headers), rows)
    return {field: suggestion.header for field, suggestion in found.items()}


def test_the_date_and_amount_columns_are_suggested_from_their_values():
    rows = [
        ("08/10/2025", "ACME LTD", "17594.47", "Place"),
        ("20/08/2025", "BETA LTD", "£1,185.60", "People"),
        ("2025-01-20", "GAMMA LTD", "(250.00)", "Place"),
    ]
    assert suggested(["Txn Dt", "Payee", "Val", "Dept"], rows) == {
        "payment_date": "Txn Dt",
        "amount_pence": "Val",
    }


def test_dates_with_month_names_written_month_first_and_amounts_with_a_decimal_comma_fit():
    rows = [
        ("01-Apr-24", "4/13/2024", "1185,60", "ACME LTD"),
        ("1st April 2024", "4/14/2024", "250,00", "ACME LTD"),
        ("02-Apr-2024", "4/15/2024", "-12,5", "ACME LTD"),
    ]
    # Two columns of dates: neither is suggested, the person chooses.
    assert suggested(["Posted", "Settled", "Money", "Payee"], rows) == {"amount_pence": "Money"}
    one_date = [(row[1], row[2], row[3]) for row in rows]
    assert suggested(["Settled", "Money", "Payee"], one_date) == {
        "payment_date": "Settled",
        "amount_pence": "Money",
    }


def test_a_column_of_bare_numbers_is_never_suggested_as_the_date():
    # Excel serial dates look like references and amounts, so the person chooses.
    rows = [("45383", "ACME LTD", "10.00"), ("45384", "BETA LTD", "20.00")] * 2
    assert suggested(["Day", "Payee", "Val"], rows) == {"amount_pence": "Val"}
    assert suggested(["Day", "Payee", "Val"], [("20240401", "ACME LTD", "1.00")] * 3) == {
        "amount_pence": "Val"
    }


def test_whole_numbers_alone_are_not_suggested_as_the_amount():
    rows = [("01/04/2024", "ACME LTD", "100234", "750")] * 3
    assert suggested(["When", "Payee", "Ref", "Val"], rows) == {"payment_date": "When"}


def test_two_columns_of_amounts_suggest_neither():
    rows = [("01/04/2024", "ACME LTD", "100.00", "120.00")] * 3
    assert suggested(["When", "Payee", "Net Val", "Gross Val"], rows) == {"payment_date": "When"}


def test_a_column_with_a_value_that_does_not_read_is_not_suggested():
    rows = [
        ("01/04/2024", "ACME LTD", "100.00"),
        ("31/02/2024", "ACME LTD", "see note"),
        ("02/04/2024", "ACME LTD", "20.00"),
    ]
    assert suggested(["When", "Payee", "Val"], rows) == {}


def test_too_few_filled_cells_say_nothing():
    rows = [("01/04/2024", "ACME LTD", "100.00"), ("", "BETA LTD", "")]
    assert suggested(["When", "Payee", "Val"], rows) == {}


def test_fields_the_headers_name_are_left_alone_and_their_columns_are_not_suggested():
    rows = [("01/04/2024", "02/04/2024", "ACME LTD", "10.00")] * 3
    # "Payment Date" is known; "Invoiced" also holds dates but is not needed for anything.
    assert suggested(["Invoiced", "Payment Date", "Payee", "Val"], rows) == {"amount_pence": "Val"}


def test_columns_without_a_header_of_their_own_are_not_suggested():
    rows = [("01/04/2024", "ACME LTD", "10.00", "10.00")] * 3
    # A column is chosen by its header: a blank or repeated one cannot be told apart.
    assert suggested(["", "Payee", "Val", "Val"], rows) == {}


@pytest.mark.parametrize(
    ("value", "is_date", "is_amount"),
    [
        ("01/04/2024", True, False),
        ("2024-04-01 00:00:00", True, False),
        ("31/02/2024", False, False),
        ("01/04/1850", False, False),
        ("£1,185.60", False, True),
        ("1185,60", False, True),
        ("(250.00)", False, True),
        ("N/A", False, False),
    ],
)
def test_values_are_read_as_the_import_reads_them(value, is_date, is_amount):
    reading = read_values([value])[value]
    assert (reading.is_date, reading.is_amount) == (is_date, is_amount)


@pytest.mark.parametrize(
    ("cells", "payment"),
    [
        (["01/04/2024", "ACME LTD", "100.00"], ("01/04/2024", "100.00")),
        (["2024-04-01", "ACME LTD", "1250", ""], ("2024-04-01", "1250")),
        (["Date", "Supplier", "Amount"], None),
        (["Txn Dt", "Payee", "Val", "Dept"], None),
        (["Payments over £500", "April 2024", "Rotherham"], None),
        (["45383", "ACME LTD", "100.00"], None),  # a serial date could be a reference
    ],
)
def test_a_row_offered_as_the_header_is_found_to_hold_a_payment(cells, payment):
    assert PaymentRowNotHeader().payment_in(cells) == payment
