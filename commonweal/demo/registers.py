"""The demo's reference data: small Companies House, charity register, postcode and
deprivation fixtures (fixtures/registers/, made by scripts/make_demo_registers.py; their
PROVENANCE.md says what is real), loaded as reference data, after which the demo organisations'
suppliers are linked again so the analysis shows deprived-area spend, sectors, register matches
and a leakage list."""

from __future__ import annotations

from pathlib import Path

from commonweal.accounts.models import Organisation
from commonweal.cwb import services
from commonweal.cwb.models import SupplierLinkRun
from commonweal.cwb.refdata_store import refdata_load
from commonweal.cwb.tasks import link_suppliers_task

FIXTURES = Path(__file__).parent / "fixtures" / "registers"
#: (kind, file, version): the demo's postcodes replace the plain "demo" table seeded before.
DEMO_REFERENCE_FILES = (
    ("companies-house", "BasicCompanyData-demo.csv", "demo"),
    ("charities", "publicextract.charity-demo.txt", "demo"),
    ("postcodes", "postcodes-demo.csv", "demo"),
    ("deprivation", "File_7_IoD2025-demo.csv", "2025"),
)


def seed_demo_registers() -> None:
    """Load the fixtures, then link again every organisation that has linked its suppliers."""
    for kind, name, version in DEMO_REFERENCE_FILES:
        refdata_load(kind=kind, files=[FIXTURES / name], version=version, by=None)
    linked = Organisation.objects.filter(
        pk__in=SupplierLinkRun.objects.values("organisation")
    ).order_by("pk")
    for organisation in linked:
        services.supplier_link_start(
            organisation=organisation,
            by=None,
            enqueue=lambda run_id, job_id: link_suppliers_task.call(run_id, job_id),
        )
