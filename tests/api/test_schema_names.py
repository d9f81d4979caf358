"""Every schema the API publishes has a name of its own (issue 18, item 8): django-ninja keys
the OpenAPI components by class name, so two classes called ``LineOut`` publish one of them and
the other's responses are described wrongly. The responses themselves are checked against the
published schema in tests/test_every_route.py."""

from __future__ import annotations

from collections import Counter

from ninja import Schema

import commonweal.api.main  # noqa: F401 (every router, so every schema, is loaded)


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def test_no_two_api_schemas_share_a_name():
    ours = {c for c in _subclasses(Schema) if c.__module__.startswith("commonweal.")}
    names = Counter(c.__name__ for c in ours)
    shared = sorted(
        f"{name}: " + ", ".join(sorted(c.__module__ for c in ours if c.__name__ == name))
        for name, count in names.items()
        if count > 1
    )
    assert not shared, shared
