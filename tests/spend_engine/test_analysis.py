"""CLES-style analysis on a hand-built dataset, with the arithmetic written out."""

from datetime import date
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq

from commonweal.financial_years import financial_year_label
from commonweal.spend_engine.analysis import Share, analyse_spend, percent_of


def build(tmp_path, top_n=2):
    # 2023-24: A £600 (local SME, sector X), B £300 (not local, sector X), C £100 (redacted)
    #          plus a £-50 credit note from B on 31 March 2024  -> total 600+300+100-50 = 950
    # 2024-25: A £500, B £500 (1 April 2024 starts the new year) -> total 1000
    rows = [
        (date(2023, 4, 3), 60000, "A LTD", "Place", False),
        (date(2023, 9, 1), 30000, "B LTD", "People", False),
        (date(2023, 10, 1), 10000, "REDACTED PERSONAL DATA", "People", True),
        (date(2024, 3, 31), -5000, "B LTD", "People", False),
        (date(2024, 4, 1), 50000, "A LTD", "Place", False),
        (date(2025, 3, 31), 50000, "B  LTD", "Place", False),
    ]
    spend = pa.table(
        {
            "payment_date": [r[0] for r in rows],
            "amount_pence": pa.array([r[1] for r in rows], pa.int64()),
            "supplier_name": [r[2] for r in rows],
            "service_area": [r[3] for r in rows],
            "is_redacted": [r[4] for r in rows],
        }
    )
    pq.write_table(spend, tmp_path / "spend.parquet")
    classification = pa.table(
        {
            "supplier_key": ["a", "b", "REDACTED PERSONAL DATA"],
            "postcode": ["S60 1AA", "LS1 1AA", None],
            "in_borough": [True, False, None],
            "in_combined_authority": [True, False, None],
            "in_region": [True, True, None],
            "in_deprived_area": [True, False, None],
            "is_sme": [True, False, None],
            "is_vcse": [False, False, None],
            "is_individual_or_redacted": [None, None, True],
            "register_matched": [True, False, False],
            "sector": ["X", "X", None],
        }
    )
    links = pa.table(
        {"supplier_name": ["A LTD", "B LTD", "B  LTD"], "supplier_key": ["a", "b", "b"]}
    )
    return analyse_spend(
        [tmp_path / "spend.parquet"], classification, supplier_links=links, top_n=top_n
    )


def test_it_splits_spend_by_april_to_march_financial_year(tmp_path):
    result = build(tmp_path)
    assert [(y.financial_year, y.total_pence) for y in result.years] == [
        ("2023-24", 95000),
        ("2024-25", 100000),
    ]


def test_it_reports_local_spend_in_pence_and_percent(tmp_path):
    first = build(tmp_path).years[0]
    # in borough: A only = 60000 of 95000 = 63.157...% -> 63.16
    assert (first.in_borough.pence, first.in_borough.percent) == (60000, Decimal("63.16"))
    # in region: A + B = 60000 + 30000 - 5000 = 85000 -> 89.47%
    assert (first.in_region.pence, first.in_region.percent) == (85000, Decimal("89.47"))
    assert first.with_sme.pence == 60000
    assert first.in_deprived_area.pence == 60000
    assert first.with_vcse.pence == 0


def test_it_ranks_top_suppliers_and_lists_leakage_where_local_suppliers_exist(tmp_path):
    first = build(tmp_path).years[0]
    assert [(s.rank, s.supplier_key, s.pence) for s in first.top_suppliers] == [
        (1, "a", 60000),
        (2, "b", 25000),
    ]
    assert first.top_suppliers_share.pence == 85000
    # Sector X: B (not local) 25000, A (local) 60000, one local supplier in X.
    assert [
        (lk.sector, lk.non_local_pence, lk.local_pence, lk.local_supplier_count)
        for lk in first.leakage
    ] == [("X", 25000, 60000, 1)]


def test_payments_to_redacted_individuals_are_not_ranked_as_a_supplier(tmp_path):
    first = build(tmp_path, top_n=3).years[0]
    assert [s.supplier_key for s in first.top_suppliers] == ["a", "b"]
    assert first.data_quality.redacted.pence == 10000


def test_it_breaks_spend_down_by_sector_and_service_area(tmp_path):
    first = build(tmp_path).years[0]
    assert [(r.label, r.pence) for r in first.by_sector] == [("X", 85000), ("Unknown", 10000)]
    assert [(r.label, r.pence) for r in first.by_service_area] == [
        ("Place", 60000),
        ("People", 35000),
    ]


def test_the_data_quality_panel_reports_shares_of_spend_value(tmp_path):
    quality = build(tmp_path).years[0].data_quality
    assert quality.register_matched.pence == 60000
    assert quality.with_postcode.pence == 85000
    # redacted: 10000 of 95000 = 10.526% -> 10.53
    assert (quality.redacted.pence, quality.redacted.percent) == (10000, Decimal("10.53"))
    assert quality.unclassified.pence == 0
    # A known decile for A (60000) and B (25000); none for the redacted payee: 85000 of 95000
    assert quality.with_deprivation_decile == Share(85000, Decimal("89.47"))


def test_year_on_year_changes_are_in_pence_and_percentage_points(tmp_path):
    change = build(tmp_path).year_on_year[0]
    # 2024-25 in borough: 50000 / 100000 = 50.00%; 2023-24: 63.16% -> -13.16 points
    assert (change.financial_year, change.previous_year) == ("2024-25", "2023-24")
    assert change.total_change_pence == 5000
    assert change.in_borough_change_points == Decimal("-13.16")


def test_percentages_are_undefined_when_the_total_is_not_positive():
    assert percent_of(5, 0) is None
    assert percent_of(1, 3) == Decimal("33.33")
    assert financial_year_label(2099) == "2099-00"


def test_a_supplier_is_ranked_under_the_name_it_was_paid_most_under(tmp_path):
    rows = [("ACME", 10000), ("ACME LTD", 30000), ("ACME", 5000)]
    pq.write_table(
        pa.table(
            {
                "payment_date": [date(2024, 5, 1)] * 3,
                "amount_pence": pa.array([r[1] for r in rows], pa.int64()),
                "supplier_name": [r[0] for r in rows],
                "service_area": ["Place"] * 3,
                "is_redacted": [False] * 3,
            }
        ),
        tmp_path / "spend.parquet",
    )
    links = pa.table({"supplier_name": ["ACME", "ACME LTD"], "supplier_key": ["a", "a"]})
    flags = [
        "in_borough",
        "in_combined_authority",
        "in_region",
        "in_deprived_area",
        "is_sme",
        "is_vcse",
        "is_individual_or_redacted",
        "register_matched",
    ]
    classification = pa.table(
        {
            "supplier_key": ["a"],
            "postcode": pa.array([None], pa.string()),
            "sector": ["X"],
            **{flag: pa.array([None], pa.bool_()) for flag in flags},
        }
    )
    (year,) = analyse_spend(
        [tmp_path / "spend.parquet"], classification, supplier_links=links
    ).years
    (top,) = year.top_suppliers
    assert (top.supplier_name, top.pence) == ("ACME LTD", 45000)
