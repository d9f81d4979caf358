"""The API's description: versioned under /api/v1/, every route's errors documented, both
ways in (token and session) described."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_every_route_is_under_v1_and_documents_its_errors():
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["info"]["version"] == "1"
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]
    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]
    assert len(operations) > 10
    for path, method, operation in operations:
        assert path.startswith("/api/v1/"), path
        for status in ("401", "403", "404", "429"):
            assert status in operation["responses"], (path, method, status)
        if operation.get("parameters") or operation.get("requestBody"):
            assert "422" in operation["responses"], (path, method)


def test_each_status_appears_once_per_route_so_the_docs_viewer_can_parse_it():
    """Swagger UI refuses a schema with a duplicated key ("404" added beside a route's own 404)."""
    import json

    duplicated = []

    def no_duplicates(pairs):
        keys = [key for key, _ in pairs]
        duplicated.extend(key for key in set(keys) if keys.count(key) > 1)
        return dict(pairs)

    json.loads(Client().get("/api/v1/openapi.json").content, object_pairs_hook=no_duplicates)
    assert duplicated == []


def test_the_schema_describes_bearer_tokens_and_sessions():
    schemes = Client().get("/api/v1/openapi.json").json()["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["TokenAuth"].items()
    assert schemes["SessionAuth"]["in"] == "cookie"


def test_the_docs_page_loads_its_viewer_from_our_own_static_files():
    page = Client().get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "https://" not in page
