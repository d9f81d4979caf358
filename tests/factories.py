"""factory_boy factories for the records most tests need."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from commonweal.accounts.models import Membership, Organisation, User
from commonweal.accounts.roles import OrganisationKind, Role
from commonweal.frameworks.models import (
    Framework,
    FrameworkVersion,
    LocalMeasureSet,
    LocalMeasureSetItem,
    LocalMeasureSetVersion,
    Measure,
    Outcome,
    ProxyValue,
    Theme,
    VersionStatus,
)
from commonweal.valuation.official_series import carbon_values

factory.Faker._DEFAULT_LOCALE = "en_GB"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.django.Password("correct horse battery staple")


class CouncilFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.COUNCIL
    name = factory.Sequence(lambda n: f"Council {n}")
    gss_code = factory.Sequence(lambda n: f"E06{n:06d}")


class SupplierFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.SUPPLIER
    name = factory.Faker("company")
    is_sme = True


class PartnerFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.ANCHOR_PARTNER
    name = factory.Sequence(lambda n: f"Anchor partner {n}")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(CouncilFactory)
    role = Role.COMMISSIONER


# --- Measures frameworks and local measure sets ------------------------------------------------
# A published framework version with its measures, and a council's published set of them. The
# defaults are test values, never National TOMs or HACT: every proxy says it is a test proxy.


class FrameworkFactory(DjangoModelFactory):
    class Meta:
        model = Framework

    owner = factory.SubFactory(CouncilFactory)
    slug = factory.Sequence(lambda n: f"test-framework-{n}")
    name = "Test framework"
    publisher = "Test"
    licence = "OGL v3.0"


class FrameworkVersionFactory(DjangoModelFactory):
    class Meta:
        model = FrameworkVersion

    framework = factory.SubFactory(FrameworkFactory)
    year = 2025
    in_force_from = factory.LazyAttribute(lambda version: date(version.year, 4, 1))
    price_base_year = factory.SelfAttribute("year")
    status = VersionStatus.PUBLISHED


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme

    version = factory.SubFactory(FrameworkVersionFactory)
    code = factory.Sequence(lambda n: f"T{n}")
    name = "Jobs"


class OutcomeFactory(DjangoModelFactory):
    class Meta:
        model = Outcome

    theme = factory.SubFactory(ThemeFactory)
    code = factory.Sequence(lambda n: f"O{n}")
    name = "Local jobs"


class MeasureFactory(DjangoModelFactory):
    class Meta:
        model = Measure

    outcome = factory.SubFactory(OutcomeFactory)
    version = factory.SelfAttribute("outcome.theme.version")
    code = factory.Sequence(lambda n: f"M{n}")
    title = "Local people employed"
    unit = "FTE"
    value_type = "monetised"
    tags = factory.List([])


class ProxyValueFactory(DjangoModelFactory):
    class Meta:
        model = ProxyValue

    measure = factory.SubFactory(MeasureFactory)
    amount_per_unit = Decimal("10000")
    price_year = factory.SelfAttribute("measure.version.year")
    source_title = "Test proxy values"
    licence = "OGL v3.0"


class LocalMeasureSetFactory(DjangoModelFactory):
    class Meta:
        model = LocalMeasureSet

    owner = factory.SubFactory(CouncilFactory)
    name = "Rotherham measures"


class LocalMeasureSetVersionFactory(DjangoModelFactory):
    class Meta:
        model = LocalMeasureSetVersion

    measure_set = factory.SubFactory(LocalMeasureSetFactory)
    number = 1
    status = VersionStatus.PUBLISHED
    in_force_from = date(2025, 4, 1)


class LocalMeasureSetItemFactory(DjangoModelFactory):
    class Meta:
        model = LocalMeasureSetItem

    set_version = factory.SubFactory(LocalMeasureSetVersionFactory)
    measure = factory.SubFactory(MeasureFactory)
    position = 0


def published_set(
    council: Organisation, measures: list[Measure], **version: object
) -> LocalMeasureSetVersion:
    """The council's published local measure set of these measures, in this order."""
    set_version = LocalMeasureSetVersionFactory(measure_set__owner=council, **version)
    for position, measure in enumerate(measures):
        LocalMeasureSetItemFactory(set_version=set_version, measure=measure, position=position)
    return set_version


def desnz_carbon_measure(outcome: Outcome) -> Measure:
    """The open measures' carbon measure (CW-ENV-01, tCO2e) under `outcome`, valued with the
    shipped DESNZ series' central 2025 value (£273.06 per tCO2e in 2022 prices), so the rule
    that values carbon by the year it is saved in applies to it."""
    series = carbon_values()
    carbon = MeasureFactory(
        outcome=outcome,
        code="CW-ENV-01",
        title="Carbon emissions saved",
        unit="tCO2e",
        value_type="monetised",
        tags=["environment"],
    )
    ProxyValueFactory(
        measure=carbon,
        amount_per_unit=series.value_for(2025),
        price_year=series.price_year,
        source_title=series.source_title,
        source_url=series.source_url,
        licence=series.licence,
    )
    return carbon
