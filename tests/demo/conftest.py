from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests import var_guard

IN_MEMORY_FILES = {"BACKEND": "django.core.files.storage.InMemoryStorage"}


@pytest.fixture(scope="module")
def demo_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder per test module for the demo's uploads and Parquet datasets."""
    return tmp_path_factory.mktemp("demo-data")


@pytest.fixture(autouse=True)
def private_data_dir(settings, demo_data_dir: Path) -> Iterator[Path]:
    """Tests write their uploads and datasets to their module's own folder, where the seeded
    demo's are, and fail if they wrote under the checkout's ``var/`` (as everywhere)."""
    settings.DATA_DIR = demo_data_dir
    var_guard.fail_if_written()
    yield demo_data_dir
    var_guard.fail_if_written()


@pytest.fixture(autouse=True)
def in_memory_files(settings):
    """The demo's evidence files go to an in-memory storage, never to the data folder."""
    settings.STORAGES = {**settings.STORAGES, "default": IN_MEMORY_FILES}


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup, django_db_blocker, demo_data_dir: Path):
    """The whole demo, seeded once for a module's tests: seeding takes many seconds, and each
    test still runs in its own transaction, rolled back after it. The database is emptied
    again when the module's tests are done."""
    from django.conf import settings

    from commonweal.demo.seed import seed_demo

    storages = {**settings.STORAGES, "default": IN_MEMORY_FILES}
    with django_db_blocker.unblock(), override_settings(DATA_DIR=demo_data_dir, STORAGES=storages):
        people = seed_demo()
    yield people
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
