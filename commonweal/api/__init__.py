"""The JSON API: one django-ninja router per app, served at /api/v1/ with its OpenAPI schema."""
