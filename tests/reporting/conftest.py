from __future__ import annotations

import pytest

from tests.reporting.builders import Programme, build_programme


@pytest.fixture
def programme(world, council_admin, council_officer, contract_manager, supplier_user) -> Programme:
    return build_programme(
        world,
        admin=council_admin,
        officer=council_officer,
        manager=contract_manager,
        supplier_user=supplier_user,
    )
