"""Header detection across the real header variants of Sheffield and Wakefield spend files."""

import pytest

from commonweal.spend_engine.layouts import MappingError, detect_mapping, normalise_header

WAKEFIELD_2018 = [
    "Organisation Name",
    "Organisation Code",
    "Effective Date",
    "Directorate",
    "Service (Sercop)",
    "SERCOP URI",
    "Supplier Name",
    "Supplier ID",
    "Company Registraation Number",
    "Charity Registration Number",
    "VCSE Grant",
    "Payment Date",
    "Transaction No",
    "Seq No",
    "Amount",
    "Irrecoverable VAT",
    "Purpose of Spend",
    "Type",
    "Procurement Classification",
    "Class Code",
    "Procurement Classification",
    "Class Code",
    "Thomson Classification",
    "Thomson Desc.",
    "Contract",
]
SHEFFIELD_B = [
    "Body Name",
    "Portfolio",
    "Organisation Code",
    "Org Code Description",
    "Object Code",
    "Object Code Description",
    "GL Date",
    "Invoice No",
    "Value",
    "Supplier",
    "Category",
    "Category Description",
    "Supplier No",
]


def test_it_ignores_case_spaces_and_punctuation_in_headers():
    assert normalise_header("\ufeffComp. reg. no") == "compregno"
    assert detect_mapping(["PAYMENT DATE", "amount (£)", "supplier_name"]).columns == {
        "payment_date": 0,
        "amount_pence": 1,
        "supplier_name": 2,
    }


def test_it_reads_the_misspelt_wakefield_company_registration_header():
    mapping = detect_mapping(WAKEFIELD_2018)
    assert mapping.header_for("company_number") == "Company Registraation Number"
    assert mapping.header_for("amount_pence") == "Amount"
    assert mapping.header_for("service_area") == "Directorate"


def test_it_uses_the_first_of_two_duplicate_columns_and_says_so():
    mapping = detect_mapping(WAKEFIELD_2018)
    assert mapping.columns["spend_category"] == 18
    assert "repeated header 'Procurement Classification'" in mapping.report()


def test_it_maps_sheffield_variant_b_value_supplier_and_portfolio():
    mapping = detect_mapping(SHEFFIELD_B)
    assert mapping.as_saved()["amount_pence"] == "Value"
    assert mapping.as_saved()["supplier_name"] == "Supplier"
    assert mapping.as_saved()["service_area"] == "Portfolio"
    assert mapping.as_saved()["payment_date"] == "GL Date"


def test_it_reports_a_missing_amount_column():
    mapping = detect_mapping(["Payment Date", "Supplier Name", "Purpose"])
    assert mapping.missing_required == ("amount_pence",)
    assert "missing required field: amount_pence" in mapping.report()


def test_it_leaves_equally_strong_candidates_unmapped_as_ambiguous():
    mapping = detect_mapping(["Date", "Amount", "Supplier Name", "Department", "Directorate"])
    assert "service_area" not in mapping.columns
    assert mapping.ambiguous["service_area"] == ("Department", "Directorate")


def test_a_saved_mapping_overrides_detection():
    mapping = detect_mapping(["Date", "Amount", "Gross", "Payee"], {"amount_pence": "Gross"})
    assert mapping.header_for("amount_pence") == "Gross"
    assert mapping.header_for("supplier_name") == "Payee"
    assert "(set by saved mapping)" in mapping.report()


def test_a_saved_mapping_naming_an_absent_column_is_an_error():
    with pytest.raises(MappingError, match="no such column"):
        detect_mapping(["Date", "Amount", "Payee"], {"amount_pence": "Net"})


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Payment Date (dd/mm/yyyy)", "payment_date"),
        ("Date Paid (dd/mm/yyyy)", "payment_date"),
        ("Date of Transaction", "payment_date"),
        ("Amount Paid (£)", "amount_pence"),
        ("AmountPaid", "amount_pence"),
        ("Payment Value", "amount_pence"),
        ("Amount exc VAT", "amount_pence"),
        ("Name of Supplier", "supplier_name"),
        ("Supplier (Beneficiary) Name", "supplier_name"),
        ("Creditor Account Number", "source_supplier_id"),
        ("Supplier Ref", "source_supplier_id"),
        ("Vendor Code", "source_supplier_id"),
    ],
)
def test_a_header_no_alias_names_is_recognised_from_its_words(header, field):
    mapping = detect_mapping([header])
    assert mapping.columns == {field: 0}
    assert mapping.by_rule == (field,)
    assert "(recognised from its words, not a known header)" in mapping.report()


@pytest.mark.parametrize(
    "header",
    [
        "Invoice Date",
        "Date Received",
        "VAT Amount",
        "Irrecoverable VAT Value",
        "Contract Value",
        "Paid To",
        "Supplier Postcode",
        "Supplier Type",
        "Supplier VAT Registration",
        "Supplier Payment Amount",  # fits both the supplier and the amount: too vague
        "Update",
    ],
)
def test_a_header_whose_words_do_not_say_which_field_is_left_alone(header):
    assert detect_mapping([header]).columns == {}


def test_an_alias_outranks_a_header_recognised_from_its_words():
    mapping = detect_mapping(["Amount Paid (£)", "Amount", "Payment Date", "Posting Date (ISO)"])
    assert mapping.header_for("amount_pence") == "Amount"
    assert mapping.header_for("payment_date") == "Payment Date"
    assert mapping.by_rule == ()


def test_two_headers_recognised_from_their_words_for_one_field_are_left_to_the_importer():
    mapping = detect_mapping(["Value Paid", "Total Spend (£)", "Supplier Name", "Date"])
    assert "amount_pence" not in mapping.columns
    assert mapping.ambiguous["amount_pence"] == ("Value Paid", "Total Spend (£)")


def test_it_maps_the_local_government_association_transparency_template():
    header = [
        "Body Name",
        "Body",
        "Service Area Categorisation",
        "Responsible Unit",
        "Expenses Type",
        "ProClass",
        "ProClass Description",
        "Date",
        "Transaction Number",
        "Amount",
        "Supplier Name",
        "Supplier ID",
        "VAT Registration Number",
        "Irrecoverable VAT",
        "Purpose of Expenditure",
        "Merchant Category",
    ]
    mapping = detect_mapping(header)
    assert {name: header[i] for name, i in mapping.columns.items()} == {
        "payment_date": "Date",
        "amount_pence": "Amount",
        "supplier_name": "Supplier Name",
        "source_supplier_id": "Supplier ID",
        "vat_number": "VAT Registration Number",
        "irrecoverable_vat_pence": "Irrecoverable VAT",
        "transaction_ref": "Transaction Number",
        "service_area": "Service Area Categorisation",
        "purpose": "Purpose of Expenditure",
        "spend_category": "ProClass Description",
        "merchant_category": "Merchant Category",
    }
    assert not mapping.ambiguous and not mapping.by_rule


def test_with_net_and_gross_amounts_published_the_net_amount_is_the_spend():
    header = ["Date", "Supplier", "Description", "Net", "VAT", "Gross"]
    assert detect_mapping(header).columns["amount_pence"] == 3
    assert detect_mapping(["Payment Run Date", "Supplier Name", "Total Payment"]).is_complete
