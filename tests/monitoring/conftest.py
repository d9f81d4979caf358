from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def in_memory_files(settings):
    """Evidence goes to an in-memory storage in tests, never to the data folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no cached portfolio figures from another test's database."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
