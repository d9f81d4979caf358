"""factory_boy factories for the records most tests need."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from commonweal.accounts.models import Membership, Organisation, User
from commonweal.accounts.roles import OrganisationKind, Role

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
