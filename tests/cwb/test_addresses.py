"""Result pages named by imports and linkage runs have the addresses the site serves them at."""

from __future__ import annotations

import uuid

from django.urls import reverse

from commonweal.cwb.addresses import page_address


def test_the_local_economy_pages_have_the_same_address_as_in_the_whole_site():
    run = uuid.uuid4()
    for name, args in (
        ("import-new", ()),
        ("import-detail", (run,)),
        ("supplier-list", ()),
        ("network-detail", (7,)),
    ):
        assert page_address(name, *args) == reverse(f"cwb:{name}", args=args)
