"""The API documentation renders from Commonweal's own static files: on a closed network
it works, and no request leaves the server."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.support import BROWSER

pytestmark = [*BROWSER, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_render_with_no_request_leaving_the_server(
    page: Any, live_server: Any, problems: Any
):
    server = urlsplit(str(live_server.url)).netloc
    elsewhere: list[str] = []

    def route(route: Any) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).netloc == server:
            route.continue_()
        else:  # a closed network: anything addressed elsewhere never arrives
            elsewhere.append(url)
            route.abort()

    page.context.route("**/*", route)
    page.goto("/")
    page.get_by_role("link", name="API documentation").click()
    page.wait_for_url("**/api/v1/docs", timeout=60_000)
    # Swagger UI draws the routes from the schema it fetched from this server.
    # Drawing the whole schema takes a while on a busy machine: wait longer than for a page.
    page.get_by_text("Contracts your organisation can see").first.wait_for(timeout=60_000)
    assert page.get_by_text("Commonweal API").first.is_visible()
    page.get_by_text("/api/v1/contracts/").first.wait_for()
    assert elsewhere == []
    assert [p for p in problems.all() if "Content Security Policy" in p or "violates" in p] == []
