from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def in_memory_files(settings):
    """Evidence goes to an in-memory storage in tests, never to the data folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
