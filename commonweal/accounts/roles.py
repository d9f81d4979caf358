"""Organisation kinds, the roles a person can hold in each, and what each role may do."""

from __future__ import annotations

from django.db import models


class OrganisationKind(models.TextChoices):
    COUNCIL = "council", "Council or public body"
    COMBINED_AUTHORITY = "combined_authority", "Combined authority"
    ANCHOR_PARTNER = "anchor_partner", "Anchor partner"
    SUPPLIER = "supplier", "Supplier"


class Role(models.TextChoices):
    COUNCIL_ADMIN = "council_admin", "Council admin"
    COMMISSIONER = "commissioner", "Commissioner"
    EVALUATOR = "evaluator", "Evaluator"
    CONTRACT_MANAGER = "contract_manager", "Contract manager"
    VIEWER = "viewer", "Viewer"
    SUPPLIER_ADMIN = "supplier_admin", "Supplier admin"
    SUPPLIER_CONTRIBUTOR = "supplier_contributor", "Supplier contributor"
    PARTNER_CONTRIBUTOR = "partner_contributor", "Partner contributor"


COUNCIL_ROLES = frozenset(
    {Role.COUNCIL_ADMIN, Role.COMMISSIONER, Role.EVALUATOR, Role.CONTRACT_MANAGER, Role.VIEWER}
)
SUPPLIER_ROLES = frozenset({Role.SUPPLIER_ADMIN, Role.SUPPLIER_CONTRIBUTOR})
PARTNER_ROLES = frozenset({Role.PARTNER_CONTRIBUTOR})

ROLES_BY_KIND: dict[str, frozenset[Role]] = {
    OrganisationKind.COUNCIL: COUNCIL_ROLES,
    OrganisationKind.COMBINED_AUTHORITY: COUNCIL_ROLES,
    OrganisationKind.ANCHOR_PARTNER: PARTNER_ROLES,
    OrganisationKind.SUPPLIER: SUPPLIER_ROLES,
}

# People who manage who belongs to their organisation.
ADMIN_ROLES = frozenset({Role.COUNCIL_ADMIN, Role.SUPPLIER_ADMIN})
# Council staff who may change council records (viewers only read).
COUNCIL_EDITOR_ROLES = COUNCIL_ROLES - {Role.VIEWER}


def roles_for_kind(kind: str) -> frozenset[Role]:
    return ROLES_BY_KIND[kind]
