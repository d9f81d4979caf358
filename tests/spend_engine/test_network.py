"""Pooling anchor network members' figures, with the arithmetic written out."""

from decimal import Decimal

from commonweal.spend_engine.analysis import DataQuality, Share, YearAnalysis
from commonweal.spend_engine.network import NetworkPooling

NONE = Share(0, None)


def year(financial_year: str, total: int, borough: int, sme: int) -> YearAnalysis:
    def share(pence: int) -> Share:
        return Share(pence, None)  # a member's own percentages are not used when pooling

    return YearAnalysis(
        financial_year=financial_year,
        payment_count=10,
        total_pence=total,
        in_borough=share(borough),
        in_combined_authority=share(borough),
        in_region=share(total),
        in_deprived_area=NONE,
        with_sme=share(sme),
        with_vcse=NONE,
        by_sector=(),
        by_service_area=(),
        top_suppliers=(),
        top_suppliers_share=NONE,
        leakage=(),
        data_quality=DataQuality(NONE, NONE, NONE, NONE, NONE),
    )


def test_pooled_shares_are_worked_out_from_the_summed_pence_not_averaged():
    # Council £900 (£90 in borough, 10%); hospital £50 (£50, 100%); college £50 (£0, 0%).
    # Pooled: £140 of £1,000 = 14.00% in the borough (an average of the shares would say 36.67%).
    members = [
        year("2024-25", 90000, 9000, 45000),
        year("2024-25", 5000, 5000, 0),
        year("2024-25", 5000, 0, 5000),
    ]
    pooled = NetworkPooling().pool("2024-25", members)
    assert pooled is not None
    assert (pooled.member_count, pooled.payment_count, pooled.total_pence) == (3, 30, 100000)
    assert pooled.in_borough == Share(14000, Decimal("14.00"))
    # SME: 45,000 + 0 + 5,000 = 50,000 of 100,000 = 50.00%
    assert pooled.with_sme == Share(50000, Decimal("50.00"))
    assert pooled.in_region == Share(100000, Decimal("100.00"))
    assert pooled.with_vcse == Share(0, Decimal("0.00"))


def test_a_year_with_fewer_members_than_the_minimum_is_not_shown():
    members = [year("2024-25", 100, 10, 0), year("2024-25", 100, 10, 0), year("2023-24", 1, 1, 1)]
    assert NetworkPooling().pool("2024-25", members) is None, "two members: either reads the other"
    assert NetworkPooling(minimum_members=2).pool("2024-25", members) is not None


def test_a_pooled_year_with_no_spend_has_no_percentages():
    members = [year("2024-25", 0, 0, 0)] * 3
    pooled = NetworkPooling().pool("2024-25", members)
    assert pooled is not None and pooled.in_borough == Share(0, None)
