"""Persona fixtures shared by every view test.

Each persona is a person with one membership: a council admin, a council officer
(commissioner), an evaluator, a contract manager, a viewer (a councillor), a supplier user,
a partner user, and an officer of *another* council who must get a 404 for everything of ours.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import hypothesis
import pytest

from commonweal.accounts.roles import OrganisationKind, Role
from tests import var_guard

if TYPE_CHECKING:
    from django.test import Client

    from commonweal.accounts.models import Organisation, User

# Property tests check what they find, not how fast: on a busy machine (CI, two xdist workers)
# Hypothesis's speed health check and per-example deadline fail tests that are right. No example
# database either: it would write .hypothesis/ into the checkout, outside the tests' own folders.
# The same examples every run, so a red run is a change in the code, never a new draw; set
# COMMONWEAL_FUZZ_RANDOM=1 (with COMMONWEAL_FUZZ_EXAMPLES=200, say) to search afresh.
hypothesis.settings.register_profile(
    "commonweal",
    derandomize=os.environ.get("COMMONWEAL_FUZZ_RANDOM") != "1",
    deadline=None,
    suppress_health_check=[hypothesis.HealthCheck.too_slow],
    database=None,
)
hypothesis.settings.load_profile("commonweal")
# Hypothesis also keeps constants it collects from the source under .hypothesis/; in a folder of
# the run's own, removed at the end.
if "HYPOTHESIS_STORAGE_DIRECTORY" not in os.environ:
    _hypothesis_home = tempfile.mkdtemp(prefix="commonweal-hypothesis-")
    os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = _hypothesis_home
    atexit.register(shutil.rmtree, _hypothesis_home, ignore_errors=True)

var_guard.install()

PASSWORD = "correct horse battery staple"


@dataclass
class World:
    council: Organisation
    other_council: Organisation
    combined_authority: Organisation
    supplier: Organisation
    partner: Organisation


@pytest.fixture
def world(db) -> World:
    from commonweal.accounts.models import Organisation

    combined = Organisation.objects.create(
        kind=OrganisationKind.COMBINED_AUTHORITY,
        name="South Yorkshire Mayoral Combined Authority",
        gss_code="E47000002",
    )
    council = Organisation.objects.create(
        kind=OrganisationKind.COUNCIL,
        name="Rotherham Metropolitan Borough Council",
        gss_code="E08000018",
        combined_authority=combined,
    )
    other = Organisation.objects.create(
        kind=OrganisationKind.COUNCIL,
        name="Sheffield City Council",
        gss_code="E08000019",
        combined_authority=combined,
    )
    supplier = Organisation.objects.create(
        kind=OrganisationKind.SUPPLIER, name="Don Valley Catering Ltd", is_sme=True
    )
    partner = Organisation.objects.create(
        kind=OrganisationKind.ANCHOR_PARTNER, name="Rotherham Hospital Trust"
    )
    return World(council, other, combined, supplier, partner)


def _persona(organisation: Organisation, role: str, email: str, name: str) -> User:
    from tests.factories import MembershipFactory, UserFactory

    user = UserFactory(email=email, full_name=name)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def council_admin(world: World) -> User:
    return _persona(world.council, Role.COUNCIL_ADMIN, "admin@rotherham.test", "Asha Patel")


@pytest.fixture
def council_officer(world: World) -> User:
    return _persona(world.council, Role.COMMISSIONER, "officer@rotherham.test", "Ben Carter")


@pytest.fixture
def evaluator(world: World) -> User:
    return _persona(world.council, Role.EVALUATOR, "evaluator@rotherham.test", "Chloe Evans")


@pytest.fixture
def contract_manager(world: World) -> User:
    return _persona(world.council, Role.CONTRACT_MANAGER, "contracts@rotherham.test", "Dan Hughes")


@pytest.fixture
def viewer(world: World) -> User:
    return _persona(world.council, Role.VIEWER, "councillor@rotherham.test", "Erin Shaw")


@pytest.fixture
def supplier_user(world: World) -> User:
    return _persona(world.supplier, Role.SUPPLIER_ADMIN, "femi@donvalley.test", "Femi Adeyemi")


@pytest.fixture
def partner_user(world: World) -> User:
    return _persona(world.partner, Role.PARTNER_CONTRIBUTOR, "imran@hospital.test", "Imran Khan")


@pytest.fixture
def other_council_officer(world: World) -> User:
    return _persona(world.other_council, Role.COUNCIL_ADMIN, "officer@sheffield.test", "Jo Walsh")


@pytest.fixture
def client_for(db):
    """A test client signed in as the given person."""

    from django.test import Client

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing in the cache: pages are cached by database ids and
    counters, which a rolled-back test database hands out again."""
    from django.conf import settings

    if not settings.configured:  # the engines' tests, run without Django
        return
    from django.core.cache import caches

    for store in caches.all():
        store.clear()


@pytest.fixture(autouse=True)
def private_data_dir(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    """Every test keeps its uploads, evidence files and Parquet datasets in its own folder, and
    fails if it wrote anything under the checkout's ``var/`` (a demo may be running there).
    The engines' tests, run without Django, are only guarded."""
    from django.conf import settings as django_settings

    data_dir = tmp_path / "data"
    data_dir.mkdir()
    if django_settings.configured:
        settings = request.getfixturevalue("settings")
        settings.DATA_DIR = data_dir
        default = settings.STORAGES["default"]
        if default["BACKEND"] == "django.core.files.storage.FileSystemStorage":
            settings.STORAGES = {
                **settings.STORAGES,
                "default": {
                    **default,
                    "OPTIONS": {**default["OPTIONS"], "location": data_dir / "files"},
                },
            }
    var_guard.fail_if_written()
    yield data_dir
    var_guard.fail_if_written()
