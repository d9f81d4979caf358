from decimal import Decimal

import pytest

from commonweal.valuation import DeflatorSeries, MissingDeflatorYear


def series(index_by_year: dict[int, Decimal]) -> DeflatorSeries:
    return DeflatorSeries(index_by_year, "Test GDP deflators", "https://example.org", "OGL-UK-3.0")


def test_it_rebases_an_amount_by_the_ratio_of_the_indices() -> None:
    deflator = series({2021: Decimal("100.0"), 2025: Decimal("110.0")})
    # £245 × 110.0 ÷ 100.0 = £269.50
    assert deflator.rebase(Decimal("245"), 2021, 2025) == Decimal("269.5")
    # and back: £269.50 × 100.0 ÷ 110.0 = £245
    assert deflator.rebase(Decimal("269.50"), 2025, 2021) == Decimal("245")


def test_it_leaves_an_amount_alone_when_the_years_are_the_same() -> None:
    deflator = series({2025: Decimal("110.0")})
    assert deflator.rebase(Decimal("16.93"), 2025, 2025) == Decimal("16.93")


def test_it_does_not_round_so_the_caller_rounds_once() -> None:
    deflator = series({2024: Decimal("102.5"), 2025: Decimal("104.9")})
    rebased = deflator.rebase(Decimal("16.93"), 2024, 2025)
    assert rebased == Decimal("17.32640975609756097560975610")


def test_a_missing_year_is_named_with_the_years_the_series_covers() -> None:
    deflator = series({2021: Decimal("100"), 2025: Decimal("110")})
    with pytest.raises(MissingDeflatorYear) as raised:
        deflator.rebase(Decimal("1"), 2019, 2025)
    assert raised.value.year == 2019
    assert str(raised.value) == (
        "Deflator series 'Test GDP deflators' has no index for 2019; it covers 2021–2025"
    )


def test_a_gap_inside_the_series_is_called_a_gap() -> None:
    deflator = series({2021: Decimal("100"), 2025: Decimal("110")})
    with pytest.raises(
        MissingDeflatorYear, match="no index for 2023 \\(a gap inside the series\\)"
    ):
        deflator.factor(2023, 2025)


def test_it_rejects_an_index_of_zero() -> None:
    with pytest.raises(ValueError, match="index for 2021 must be above 0, got 0"):
        series({2021: Decimal("0")})


def test_it_rejects_an_index_given_as_a_float() -> None:
    with pytest.raises(TypeError, match="index for 2021 must be a Decimal"):
        series({2021: 100.0})  # type: ignore[dict-item]


def test_changing_the_source_mapping_later_does_not_change_the_series() -> None:
    source = {2021: Decimal("100"), 2025: Decimal("110")}
    deflator = series(source)
    source[2021] = Decimal("50")
    assert deflator.index_for(2021) == Decimal("100")
