from decimal import Decimal
from pathlib import Path

import pytest

from commonweal.valuation import (
    MeasureSpec,
    ProxyValue,
    ValueType,
    index_measures,
    tags,
)
from commonweal.valuation.money import plain_number, pounds_to_pence


def make_proxy(*, source_title: str = "Essex staff-time rates", licence: str = "OGL-UK-3.0"):
    return ProxyValue(
        amount_per_unit=Decimal("16.93"),
        price_year=2024,
        source_title=source_title,
        source_url="",
        licence=licence,
    )


def make_measure(**overrides: object) -> MeasureSpec:
    fields: dict[str, object] = {
        "code": "VOL1",
        "title": "Staff volunteering hours",
        "unit": "hours",
        "value_type": ValueType.MONETISED,
        "theme": "Social",
        "outcome": "Stronger communities",
        "proxy": make_proxy(),
    }
    fields.update(overrides)
    return MeasureSpec(**fields)  # type: ignore[arg-type]


def test_it_accepts_a_monetised_measure_whose_proxy_names_source_and_licence() -> None:
    measure = make_measure()
    assert measure.proxy is not None
    assert measure.proxy.citation == "Essex staff-time rates, price year 2024, licence OGL-UK-3.0"


def test_it_rejects_a_monetised_measure_without_a_proxy() -> None:
    with pytest.raises(ValueError, match="VOL1 is monetised but has no £ proxy value"):
        make_measure(proxy=None)


def test_it_rejects_a_monetised_measure_whose_proxy_has_no_licence() -> None:
    with pytest.raises(ValueError, match="does not name both a source and a licence"):
        make_measure(proxy=make_proxy(licence=" "))


def test_it_rejects_a_monetised_measure_whose_proxy_has_no_source() -> None:
    with pytest.raises(ValueError, match="does not name both a source and a licence"):
        make_measure(proxy=make_proxy(source_title=""))


def test_it_rejects_a_record_only_measure_that_carries_a_proxy() -> None:
    with pytest.raises(ValueError, match="record_only and so must not carry a £ proxy"):
        make_measure(value_type=ValueType.RECORD_ONLY)


def test_it_rejects_a_tag_the_rules_do_not_know_so_a_typo_cannot_switch_a_rule_off() -> None:
    with pytest.raises(ValueError, match=r"unknown tags \['local_employment'\]"):
        make_measure(tags=frozenset({"local_employment"}))


def test_it_rejects_a_proxy_given_as_a_float() -> None:
    with pytest.raises(TypeError, match="must be a Decimal, got float"):
        ProxyValue(16.93, 2024, "Essex", "", "OGL-UK-3.0")  # type: ignore[arg-type]


def test_it_rejects_a_negative_proxy() -> None:
    with pytest.raises(ValueError, match="at least £0, got -1"):
        ProxyValue(Decimal("-1"), 2024, "Essex", "", "OGL-UK-3.0")


def test_it_rejects_two_measures_with_the_same_code() -> None:
    with pytest.raises(ValueError, match="Two measures share the code 'VOL1'"):
        index_measures([make_measure(), make_measure()])


def test_a_measure_tagged_for_negative_quantities_allows_them() -> None:
    measure = make_measure(tags=frozenset({tags.NEGATIVE_QUANTITIES_ALLOWED}))
    assert measure.allows_negative_quantities()
    assert not make_measure().allows_negative_quantities()


def test_every_tag_has_a_docstring_in_its_module() -> None:
    source = Path(tags.__file__).read_text(encoding="utf-8")
    for tag_name in (
        "LOCAL_EMPLOYMENT",
        "DISADVANTAGED",
        "APPRENTICESHIPS",
        "EMPLOYMENT_AND_SKILLS",
        "TRAINING_HOURS",
        "VOLUNTEERING_HOURS",
        "LOCAL_SUPPLY_CHAIN_SPEND",
        "ENVIRONMENT",
        "NEGATIVE_QUANTITIES_ALLOWED",
    ):
        after = source.split(f"\n{tag_name}: Final = ", 1)[1].split("\n", 2)
        assert after[1].startswith('"""'), tag_name


def test_pounds_become_whole_pence_rounded_half_up():
    assert pounds_to_pence(Decimal("250000")) == 25_000_000
    assert pounds_to_pence(Decimal("12.34")) == 1234
    assert pounds_to_pence(Decimal("12.345")) == 1235


def test_a_plain_number_has_no_trailing_zeros_or_exponent():
    assert plain_number(Decimal("20.0000")) == "20"
    assert plain_number(Decimal("12.5000")) == "12.5"
    assert plain_number(Decimal("1E+2")) == "100"
