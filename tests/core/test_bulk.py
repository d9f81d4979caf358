"""Rows inserted in bulk read back through the ORM as they were given."""

from __future__ import annotations

from decimal import Decimal

import pytest

from commonweal.core.bulk import insert_rows
from commonweal.cwb.models import RegisterSupplier, SupplierLinkRun, SupplierNameLink

pytestmark = pytest.mark.django_db

FIELDS = (
    "organisation",
    "register_supplier",
    "record_key",
    "raw_name",
    "source_supplier_id",
    "company_number",
    "charity_number",
    "method",
    "probability",
    "spend_pence",
    "payment_count",
)


def test_inserted_rows_read_back_through_the_orm_as_given(world):
    run = SupplierLinkRun.objects.create(organisation=world.council)
    supplier = RegisterSupplier.objects.create(
        organisation=world.council, link_run=run, cluster_key="c1", display_name="DON VALLEY"
    )
    org = world.council.pk
    insert_rows(
        SupplierNameLink,
        FIELDS,
        [
            (
                org,
                supplier.pk,
                "k1",
                "O'NEILL & SONS",
                "",
                "01234567",
                "",
                "name",
                Decimal("0.9731"),
                118560,
                2,
            ),
            (org, supplier.pk, "k2", "Don Valley", "1001", "", "", "id", Decimal("1"), -25000, 1),
        ],
    )
    links = {link.record_key: link for link in SupplierNameLink.objects.all()}
    assert links["k1"].register_supplier == supplier and links["k1"].raw_name == "O'NEILL & SONS"
    assert (links["k1"].probability, links["k1"].spend_pence) == (Decimal("0.9731"), 118560)
    assert (links["k2"].source_supplier_id, links["k2"].spend_pence) == ("1001", -25000)


def test_a_name_that_is_not_a_column_is_refused(world):
    with pytest.raises(ValueError, match="RegisterSupplier.names is not a column"):
        insert_rows(RegisterSupplier, ("names",), [])
