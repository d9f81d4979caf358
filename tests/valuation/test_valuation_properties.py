"""Properties that must hold for any input, checked with generated cases."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from commonweal.valuation import (
    CommitmentLine,
    DeflatorSeries,
    Lm3Assumptions,
    LocalRecipient,
    MeasureSpec,
    ProxyValue,
    RecipientKind,
    ValuationResult,
    ValueType,
    local_multiplier_3,
    value_commitments,
)

DEFLATOR = DeflatorSeries(
    {2021: Decimal("100.0"), 2023: Decimal("107.3"), 2025: Decimal("113.9")},
    "Test GDP deflators",
    "",
    "OGL-UK-3.0",
)


def _monetised(code: str, amount: str, year: int, theme: str, outcome: str) -> MeasureSpec:
    return MeasureSpec(
        code,
        code,
        "units",
        ValueType.MONETISED,
        theme,
        outcome,
        ProxyValue(Decimal(amount), year, "Test proxies", "", "CC0-1.0"),
    )


MEASURES = {
    measure.code: measure
    for measure in (
        _monetised("M1", "30000", 2021, "Jobs", "Work"),
        _monetised("M2", "16.93", 2023, "Social", "Communities"),
        _monetised("M3", "0.137", 2025, "Growth", "Local spend"),
        _monetised("M4", "245", 2021, "Environment", "Carbon"),
        MeasureSpec("R1", "R1", "tCO2e", ValueType.RECORD_ONLY, "Environment", "Carbon"),
        MeasureSpec("Q1", "Q1", "plans", ValueType.QUALITATIVE, "Social", "Wellbeing"),
    )
}
MONETISED_CODES = ["M1", "M2", "M3", "M4"]

shares = st.decimals(min_value=0, max_value=1, places=2)
quantities = st.decimals(min_value=0, max_value=100000, places=3)


@st.composite
def offers(draw: st.DrawFn, codes: list[str] = MONETISED_CODES) -> list[CommitmentLine]:
    count = draw(st.integers(min_value=0, max_value=25))
    return [
        CommitmentLine(
            line_ref=f"L{index}",
            measure_code=draw(st.sampled_from(codes)),
            contract_year=draw(st.integers(min_value=1, max_value=5)),
            quantity=draw(quantities),
            deadweight=draw(shares),
            attribution=draw(shares),
        )
        for index in range(count)
    ]


def _value(lines: list[CommitmentLine]) -> ValuationResult:
    return value_commitments(
        lines, MEASURES, price_year=2025, deflator=DEFLATOR, contract_value=Decimal("1000000")
    )


@given(offers())
def test_every_total_equals_the_sum_of_its_line_values(lines: list[CommitmentLine]) -> None:
    result = _value(lines)
    line_sum = sum((line.value for line in result.lines if line.value is not None), Decimal(0))
    assert result.total_value == line_sum
    for breakdown in (
        result.by_theme,
        result.by_outcome,
        result.by_measure,
        result.by_contract_year,
    ):
        assert sum(breakdown.values(), Decimal(0)) == result.total_value


@given(
    st.sampled_from(MONETISED_CODES),
    quantities,
    shares,
    shares,
    st.integers(min_value=2, max_value=1000),
)
def test_scaling_a_quantity_scales_its_value_within_pence_rounding(
    code: str, quantity: Decimal, deadweight: Decimal, attribution: Decimal, factor: int
) -> None:
    # Each line value is the exact value rounded to the penny, so it is within ½p of exact.
    # value(k × q) is within ½p of k × exact, and k × value(q) within k × ½p of it, so the two
    # differ by at most (k + 1) × ½p.
    def valued(amount: Decimal) -> Decimal:
        line = CommitmentLine("L1", code, 1, amount, deadweight, attribution)
        value = _value([line]).line("L1").value
        assert value is not None
        return value

    difference = abs(valued(quantity * factor) - factor * valued(quantity))
    assert difference <= Decimal("0.005") * (factor + 1)


@given(
    offers(),
    st.lists(
        st.tuples(st.sampled_from(["R1", "Q1"]), quantities, st.integers(min_value=1, max_value=5)),
        max_size=10,
    ),
)
def test_record_only_and_qualitative_lines_never_change_the_pound_totals(
    lines: list[CommitmentLine], unvalued: list[tuple[str, Decimal, int]]
) -> None:
    extra = [
        CommitmentLine(f"X{index}", code, year, quantity)
        for index, (code, quantity, year) in enumerate(unvalued)
    ]
    before = _value(lines)
    after = _value(lines + extra)
    assert after.total_value == before.total_value
    assert after.by_theme == before.by_theme
    assert after.by_contract_year == before.by_contract_year
    assert after.value_per_pound == before.value_per_pound


money = st.decimals(min_value=0, max_value=10_000_000, places=2)


@given(
    st.lists(
        st.tuples(st.sampled_from(list(RecipientKind)), money, st.one_of(st.none(), shares)),
        max_size=20,
    ),
    st.decimals(min_value="0.01", max_value=10_000_000, places=2),
    shares,
    shares,
    st.booleans(),
)
def test_lm3_stays_between_one_and_three(
    recipients: list[tuple[RecipientKind, Decimal, Decimal | None]],
    headroom: Decimal,
    supplier_share: Decimal,
    staff_share: Decimal,
    include_payroll: bool,
) -> None:
    local = [
        LocalRecipient(f"R{index}", kind, amount, share)
        for index, (kind, amount, share) in enumerate(recipients)
    ]
    # R1 is at least the local spend, as it must be: all local spend plus some headroom.
    total_spend = sum((recipient.amount_received for recipient in local), Decimal(0)) + headroom
    result = local_multiplier_3(
        boundary_name="Borough",
        period="2024-25",
        total_spend=total_spend,
        local_recipients=local,
        include_payroll=include_payroll,
        assumptions=Lm3Assumptions(supplier_share, staff_share, basis="generated"),
    )
    assert Decimal(1) <= result.lm3 <= Decimal(3)
    assert result.round_3 <= result.round_2 <= result.round_1
