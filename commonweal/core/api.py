"""Helpers the apps' django-ninja routers share."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from ninja.errors import HttpError


@contextmanager
def validation_errors_as_422() -> Iterator[None]:
    """A service's refusal (ValidationError) inside the block becomes the API's 422 answer,
    its messages joined with "; ", so an integrator reads what to put right."""
    try:
        yield
    except ValidationError as error:
        raise HttpError(422, "; ".join(error.messages)) from None
