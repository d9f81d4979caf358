"""Carbon commitments valued by the year they are saved in.

Until now every contract year of a carbon commitment was valued at the measure's single DESNZ
figure (the 2025 central value). Contracts now value each contract year at the central carbon
value of the calendar year it falls in, counting year 1 as the year the contract starts
(valuation.CarbonValuedByDeliveryYear). This re-works the stored values of existing carbon
commitments the same way, so a line never has two answers, and clears the stored delivery
figures so that `migrate` works them all out again afterwards (monitoring's post_migrate hook),
which also marks every contract page and dashboard as changed. A commitment with a year the
series does not cover keeps its old values and is named in the output: nothing is guessed.
"""

from typing import Any

from django.db import migrations

CARBON_UNITS = {"tco2e"}


def revalue_carbon_commitments(apps: Any, schema_editor: Any) -> None:
    from commonweal import valuation
    from commonweal.valuation.money import pounds_to_pence
    from commonweal.valuation.official_series import carbon_values, gdp_deflator

    Commitment = apps.get_model("contracts", "Commitment")
    DeliveryFigures = apps.get_model("monitoring", "DeliveryFigures")
    series = carbon_values()
    commitments = [
        commitment
        for commitment in Commitment.objects.filter(
            measure__value_type="monetised", measure__proxy__source_url=series.source_url
        ).select_related(
            "measure__proxy",
            "measure__outcome__theme",
            "contract__measure_set_version__deflator",
        )
        if commitment.measure.unit.strip().lower() in CARBON_UNITS
    ]
    changed = 0
    for commitment in commitments:
        measure, contract = commitment.measure, commitment.contract
        proxy = measure.proxy
        spec = valuation.MeasureSpec(
            code=measure.code,
            title=measure.title,
            unit=measure.unit,
            value_type=valuation.ValueType.MONETISED,
            theme=measure.outcome.theme.name,
            outcome=measure.outcome.name,
            proxy=valuation.ProxyValue(
                amount_per_unit=proxy.amount_per_unit,
                price_year=proxy.price_year,
                source_title=proxy.source_title,
                source_url=proxy.source_url,
                licence=proxy.licence,
            ),
        )
        version = contract.measure_set_version
        if version is not None and version.deflator is not None:
            deflator = valuation.DeflatorSeries(
                index_by_year={p.year: p.index for p in version.deflator.points.all()},
                source_title=version.deflator.source_title,
                source_url=version.deflator.source_url,
                licence=version.deflator.licence,
            )
        else:
            deflator = gdp_deflator()
        start = contract.start_date.year
        years = list(commitment.years.order_by("contract_year"))
        try:
            result = valuation.value_commitments(
                [
                    valuation.CommitmentLine(
                        str(year.contract_year),
                        measure.code,
                        year.contract_year,
                        year.quantity,
                        deadweight=commitment.deadweight,
                        attribution=commitment.attribution,
                    )
                    for year in years
                ],
                {measure.code: spec},
                price_year=contract.price_year,
                deflator=deflator,
                contract_value=None,
                rules=(),
                carbon=valuation.CarbonValuedByDeliveryYear(
                    series, start, f"the contract starts in {start}"
                ),
            )
        except ValueError as error:
            print(f"  Contract {contract.reference}, {measure.code} kept its values: {error}")
            continue
        for year in years:
            value = result.line(str(year.contract_year)).value
            year.value_pence = pounds_to_pence(value) if value is not None else None
            year.save(update_fields=["value_pence"])
        commitment.committed_value_pence = sum(
            (y.value_pence for y in years if y.value_pence is not None), 0
        )
        commitment.save(update_fields=["committed_value_pence"])
        changed += 1
    if changed:
        DeliveryFigures.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0006_return_lowest_hourly_rates"),
        ("contracts", "0004_real_living_wage_clause"),
        ("frameworks", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(revalue_carbon_commitments, migrations.RunPython.noop),
    ]
