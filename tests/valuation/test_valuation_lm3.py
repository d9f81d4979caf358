from decimal import Decimal

import pytest

from commonweal.valuation import (
    Lm3Assumptions,
    LocalRecipient,
    RecipientKind,
    local_multiplier_3,
)

ASSUMPTIONS = Lm3Assumptions(
    supplier_local_respend_share=Decimal("0.30"),
    staff_local_respend_share=Decimal("0.50"),
    basis="council's stated assumption pending a supplier survey",
)

RECIPIENTS = [
    LocalRecipient("A", RecipientKind.SUPPLIER, Decimal("200000"), Decimal("0.40")),
    LocalRecipient("B", RecipientKind.SUPPLIER, Decimal("100000"), Decimal("0.25")),
    LocalRecipient("C", RecipientKind.SUPPLIER, Decimal("50000")),
    LocalRecipient("staff", RecipientKind.STAFF, Decimal("150000")),
]


def test_golden_case_with_payroll_included() -> None:
    # R1 = £1,000,000 total spend (payroll included).
    # R2 = £200,000 + £100,000 + £50,000 suppliers + £150,000 local staff wages = £500,000.
    # R3 = A £200,000 × 0.40 = £80,000 (survey) + B £100,000 × 0.25 = £25,000 (survey)
    #    + C £50,000 × 0.30 = £15,000 (assumed) + staff £150,000 × 0.50 = £75,000 (assumed)
    #    = £195,000.
    # LM3 = (1,000,000 + 500,000 + 195,000) ÷ 1,000,000 = 1.695 → 1.70 (half up).
    # Survey coverage = (£200,000 + £100,000) ÷ £500,000 = 0.6.
    result = local_multiplier_3(
        boundary_name="Rotherham (E08000018)",
        period="2024-25",
        total_spend=Decimal("1000000"),
        local_recipients=RECIPIENTS,
        include_payroll=True,
        assumptions=ASSUMPTIONS,
    )
    assert result.round_2 == Decimal("500000.00")
    assert result.round_3 == Decimal("195000.00")
    assert result.lm3 == Decimal("1.70")
    assert result.survey_coverage == Decimal("0.6000")
    assert result.payroll_included
    assert [
        (a.kind, a.local_respend_share, a.applied_to_value, a.recipient_refs)
        for a in (result.assumptions_used)
    ] == [
        (RecipientKind.SUPPLIER, Decimal("0.30"), Decimal("50000"), ("C",)),
        (RecipientKind.STAFF, Decimal("0.50"), Decimal("150000"), ("staff",)),
    ]
    assert result.assumptions_used[0].description == (
        "Assumed 0.30 of £50,000.00 received by 1 supplier recipient(s) without a survey "
        "response is re-spent locally (council's stated assumption pending a supplier survey)"
    )
    assert result.working[-1] == (
        "LM3 = (£1,000,000.00 + £500,000.00 + £195,000.00) ÷ £1,000,000.00 = 1.70 "
        "(rounded half up to 2 places)"
    )


def test_golden_case_with_payroll_left_out() -> None:
    # R2 = £350,000 suppliers only; R3 = £80,000 + £25,000 + £15,000 = £120,000.
    # LM3 = (1,000,000 + 350,000 + 120,000) ÷ 1,000,000 = 1.47.
    # Coverage = £300,000 ÷ £350,000 = 0.857142… → 0.8571.
    result = local_multiplier_3(
        boundary_name="Rotherham (E08000018)",
        period="2024-25",
        total_spend=Decimal("1000000"),
        local_recipients=RECIPIENTS,
        include_payroll=False,
        assumptions=ASSUMPTIONS,
    )
    assert (result.round_2, result.round_3, result.lm3) == (
        Decimal("350000.00"),
        Decimal("120000.00"),
        Decimal("1.47"),
    )
    assert result.survey_coverage == Decimal("0.8571")
    assert [a.kind for a in result.assumptions_used] == [RecipientKind.SUPPLIER]


def test_no_local_spend_gives_the_minimum_of_one() -> None:
    result = local_multiplier_3(
        boundary_name="Borough",
        period="2024-25",
        total_spend=Decimal("5000"),
        local_recipients=[],
        include_payroll=True,
        assumptions=ASSUMPTIONS,
    )
    assert result.lm3 == Decimal("1.00")
    assert result.survey_coverage is None
    assert result.assumptions_used == ()


def test_all_spend_local_and_all_respent_locally_gives_the_maximum_of_three() -> None:
    result = local_multiplier_3(
        boundary_name="Borough",
        period="2024-25",
        total_spend=Decimal("5000"),
        local_recipients=[LocalRecipient("A", RecipientKind.SUPPLIER, Decimal("5000"), Decimal(1))],
        include_payroll=True,
        assumptions=ASSUMPTIONS,
    )
    assert result.lm3 == Decimal("3.00")


def test_local_spend_above_total_spend_is_refused() -> None:
    with pytest.raises(
        ValueError, match="R2\\) of £6,000.00 exceeds total spend \\(R1\\) of £5,000.00"
    ):
        local_multiplier_3(
            boundary_name="Borough",
            period="2024-25",
            total_spend=Decimal("5000"),
            local_recipients=[LocalRecipient("A", RecipientKind.SUPPLIER, Decimal("6000"))],
            include_payroll=True,
            assumptions=ASSUMPTIONS,
        )


def test_a_surveyed_share_above_one_is_refused_naming_the_recipient() -> None:
    with pytest.raises(ValueError, match="Recipient A: surveyed local re-spend share"):
        local_multiplier_3(
            boundary_name="Borough",
            period="2024-25",
            total_spend=Decimal("5000"),
            local_recipients=[
                LocalRecipient("A", RecipientKind.SUPPLIER, Decimal("10"), Decimal("1.5"))
            ],
            include_payroll=True,
            assumptions=ASSUMPTIONS,
        )


def test_assumptions_must_state_their_basis() -> None:
    with pytest.raises(ValueError, match="must state their basis"):
        Lm3Assumptions(Decimal("0.3"), Decimal("0.5"), basis=" ")
