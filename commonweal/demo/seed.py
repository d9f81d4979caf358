"""Seeds the demo tenant: Rotherham and its South Yorkshire neighbours, partners and suppliers.

Real geography codes (ONS GSS); invented people, partners' staff and suppliers. Every page says
the data is demo data while the demo runs.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db import transaction

from commonweal.accounts import services
from commonweal.accounts.models import Organisation, User
from commonweal.accounts.roles import OrganisationKind, Role
from commonweal.demo.commissioning import seed_demo_data as seed_commissioning_demo
from commonweal.demo.cwb import seed_demo_data as seed_cwb_demo
from commonweal.demo.fairwork import seed_demo_data as seed_fairwork_demo
from commonweal.demo.fairwork_pledges import seed_demo_data as seed_fairwork_pledges_demo
from commonweal.demo.frameworks import seed_demo_data as seed_frameworks_demo
from commonweal.demo.monitoring import seed_demo_data as seed_monitoring_demo
from commonweal.demo.partnership import seed_demo_data as seed_partnership_demo
from commonweal.demo.partnership import seed_region
from commonweal.demo.registers import seed_demo_registers
from commonweal.demo.reporting import seed_demo_data as seed_reporting_demo
from commonweal.demo.tenders import seed_demo_data as seed_tenders_demo

DEMO_COUNCIL_CODE = "E08000018"

SOUTH_YORKSHIRE = [
    ("Barnsley Metropolitan Borough Council", "E08000016"),
    ("City of Doncaster Council", "E08000017"),
    ("Rotherham Metropolitan Borough Council", "E08000018"),
    ("Sheffield City Council", "E08000019"),
]

ANCHOR_PARTNERS = [
    ("Rotherham Hospital Trust (demo)", "S60 2UD"),
    ("Rotherham College (demo)", "S65 1EG"),
    ("Rotherham Housing Partnership (demo)", "S60 1AE"),
]

# (name, postcode, is_sme, is_vcse, charity number)
SUPPLIERS = [
    ("Don Valley Catering Ltd (demo)", "S60 1QP", True, False, ""),
    ("Rother Facilities Services Ltd (demo)", "S61 1DJ", True, False, ""),
    ("Wentworth Community Transport (demo)", "S62 7TW", True, True, "1000001"),
    ("Maltby Youth Trust (demo)", "S66 8AA", True, True, "1000002"),
    ("Northern Infrastructure Group plc (demo)", "LS1 4AP", False, False, ""),
    ("Pennine Care Services Ltd (demo)", "S70 2TA", True, False, ""),
]


@dataclass(frozen=True)
class DemoPerson:
    persona: str
    full_name: str
    email: str
    password: str
    organisation: str
    role: str


def demo_exists() -> bool:
    return Organisation.objects.filter(gss_code=DEMO_COUNCIL_CODE).exists()


def _password() -> str:
    return "-".join(secrets.token_hex(3) for _ in range(3))


@transaction.atomic
def seed_demo() -> list[DemoPerson]:
    """Create the demo organisations and one person per persona. Returns their credentials."""
    combined = services.organisation_create(
        by=None,
        kind=OrganisationKind.COMBINED_AUTHORITY,
        name="South Yorkshire Mayoral Combined Authority",
        gss_code="E47000002",
    )
    councils = {
        code: services.organisation_create(
            by=None,
            kind=OrganisationKind.COUNCIL,
            name=name,
            gss_code=code,
            combined_authority=combined,
        )
        for name, code in SOUTH_YORKSHIRE
    }
    rotherham = councils[DEMO_COUNCIL_CODE]
    partners = [
        services.organisation_create(
            by=None, kind=OrganisationKind.ANCHOR_PARTNER, name=name, postcode=postcode
        )
        for name, postcode in ANCHOR_PARTNERS
    ]
    suppliers = [
        services.organisation_create(
            by=None,
            kind=OrganisationKind.SUPPLIER,
            name=name,
            postcode=postcode,
            is_sme=is_sme,
            is_vcse=is_vcse,
            charity_number=charity_number,
        )
        for name, postcode, is_sme, is_vcse, charity_number in SUPPLIERS
    ]

    people_spec = [
        ("Council admin", "Asha Patel", "admin@rotherham.demo", rotherham, Role.COUNCIL_ADMIN),
        (
            "Commissioner (charter coordinator)",
            "Ben Carter",
            "commissioner@rotherham.demo",
            rotherham,
            Role.COMMISSIONER,
        ),
        ("Evaluator", "Chloe Evans", "evaluator@rotherham.demo", rotherham, Role.EVALUATOR),
        (
            "Contract manager",
            "Dan Hughes",
            "contracts@rotherham.demo",
            rotherham,
            Role.CONTRACT_MANAGER,
        ),
        (
            "Councillor (viewer)",
            "Cllr Erin Shaw",
            "councillor@rotherham.demo",
            rotherham,
            Role.VIEWER,
        ),
        (
            "Supplier admin (SME)",
            "Femi Adeyemi",
            "femi@donvalley.demo",
            suppliers[0],
            Role.SUPPLIER_ADMIN,
        ),
        (
            "Supplier admin (charity)",
            "Grace Lee",
            "grace@wentworth.demo",
            suppliers[2],
            Role.SUPPLIER_ADMIN,
        ),
        (
            "Supplier admin (large firm)",
            "Harry Moss",
            "harry@northern.demo",
            suppliers[4],
            Role.SUPPLIER_ADMIN,
        ),
        (
            "Partner contributor",
            "Imran Khan",
            "imran@hospital.demo",
            partners[0],
            Role.PARTNER_CONTRIBUTOR,
        ),
        (
            "Officer of another council",
            "Jo Walsh",
            "officer@sheffield.demo",
            councils["E08000019"],
            Role.COMMISSIONER,
        ),
        (
            "Combined authority officer",
            "Kemi Adebayo",
            "officer@southyorkshire-ca.demo",
            combined,
            Role.COUNCIL_ADMIN,
        ),
    ]
    people: list[DemoPerson] = []
    for persona, full_name, email, organisation, role in people_spec:
        password = _password()
        user = User.objects.create_user(email=email, password=password, full_name=full_name)
        services.membership_create(user=user, organisation=organisation, role=role, by=None)
        people.append(DemoPerson(persona, full_name, email, password, organisation.name, role))
    # Suppliers' remaining organisations get an admin each, so every supplier can be signed into.
    for supplier in suppliers:
        if not supplier.memberships.exists():
            slug = supplier.name.split()[0].lower()
            user = User.objects.create_user(
                email=f"admin@{slug}.demo", password=_password(), full_name=f"{supplier.name} admin"
            )
            services.membership_create(
                user=user, organisation=supplier, role=Role.SUPPLIER_ADMIN, by=None
            )
    seed_frameworks_demo(rotherham)
    seed_cwb_demo(council=rotherham, partners=partners)
    seed_demo_registers()
    seed_commissioning_demo(council=rotherham)
    seed_tenders_demo(council=rotherham)
    seed_monitoring_demo(council=rotherham)
    seed_fairwork_demo(council=rotherham)
    seed_partnership_demo(
        council=rotherham, coordinator=User.objects.get(email="commissioner@rotherham.demo")
    )
    seed_fairwork_pledges_demo(council=rotherham)
    seed_region(
        authority=combined,
        councils=councils,
        officer=User.objects.get(email="officer@southyorkshire-ca.demo"),
    )
    seed_reporting_demo(council=rotherham)
    return people
