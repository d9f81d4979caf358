"""The API's OpenAPI description: every route's error responses, documented once here.

Routes describe their own successful responses; the errors any route can give come from the
same places for all of them (authentication, the rate limit, the access helpers, validation),
so they are added to every operation rather than repeated on each.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

ERROR_SCHEMA_NAME = "Error"
ERROR_SCHEMA: dict[str, Any] = {
    "title": ERROR_SCHEMA_NAME,
    "type": "object",
    "properties": {
        "detail": {
            "title": "Detail",
            "description": "What went wrong: a sentence, or a list of field problems for 422",
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "object"}}],
        }
    },
    "required": ["detail"],
}

ERRORS_EVERY_ROUTE_GIVES = {
    "401": "No valid token or session: the token is missing, wrong, expired or revoked",
    "403": (
        "You may see this but not do it: your role does not allow it, or the token may only read"
    ),
    "404": "Not found, or not one your organisation may see (the two are not told apart)",
    "429": "Too many calls: wait the number of seconds in the Retry-After header",
}
VALIDATION_ERROR = "The request does not fit: each problem names the field and what is wrong"


def _error_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_SCHEMA_NAME}"}}
        },
    }


def add_error_responses(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the errors every route can give to each operation of an OpenAPI ``schema``."""
    schema.setdefault("components", {}).setdefault("schemas", {})[ERROR_SCHEMA_NAME] = ERROR_SCHEMA
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            # A route that declares an error itself has it under an int key (404), which JSON
            # writes as "404" too: one key per status, or the schema has a duplicate key.
            declared = {str(status) for status in responses}
            for status, description in ERRORS_EVERY_ROUTE_GIVES.items():
                if status not in declared:
                    responses[status] = _error_response(description)
            if (operation.get("parameters") or operation.get("requestBody")) and (
                "422" not in declared
            ):
                responses["422"] = _error_response(VALIDATION_ERROR)
    return schema


class CommonwealAPI(NinjaAPI):
    """django-ninja's API whose OpenAPI description documents every route's errors."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        return add_error_responses(super().get_openapi_schema(*args, **kwargs))


class OwnStaticSwagger(Swagger):
    """The Swagger viewer rendered from django-ninja's own template and static files.

    django-ninja falls back to a CDN page when "ninja" is not an installed app; it is not one
    here (settings find its templates and static files instead, so that commands start without
    it), and a council's pages never load scripts from elsewhere.
    """

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {
            "swagger_settings": json.dumps(self.settings, indent=1),
            "api": api,
            # The session is one of the API's ways in, so the viewer sends the CSRF token.
            "add_csrf": True,
        }
        return render(request, self.template, context)
