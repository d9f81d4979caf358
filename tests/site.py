"""The whole site, found rather than listed: every route from the URL resolver, and concrete
addresses for them found by following the links and forms each persona sees in a seeded world.

Used by the tests that must cover every page, including pages added later, without anyone
remembering to add them: the isolation and export tests in tests/test_every_route.py.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.test import Client
from django.urls import Resolver404, get_resolver, resolve
from django.urls.resolvers import URLPattern, URLResolver

from commonweal.core.public import is_public


@dataclass(frozen=True)
class Route:
    """One URL pattern: its name as ``namespace:name``, its pattern as text, and whether its
    view is public by design (``commonweal.core.public``)."""

    name: str
    pattern: str
    public: bool = False

    @property
    def takes_arguments(self) -> bool:
        return "<" in self.pattern


def every_route() -> list[Route]:
    """Every named URL pattern the site serves, from the resolver (the API's too)."""

    def walk(patterns: Iterable[object], prefix: str, namespace: str) -> Iterator[Route]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = ":".join(n for n in (namespace, entry.namespace or "") if n)
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                yield Route(name, prefix + str(entry.pattern), is_public(entry.callback))

    return sorted(set(walk(get_resolver().url_patterns, "", "")), key=lambda r: r.name)


def route_of(path: str) -> str | None:
    """The ``namespace:name`` an address resolves to, or None for one the site does not serve."""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


class _Links(HTMLParser):
    """Addresses a page links to: ``<a href>``, and a GET form's action with each of its
    submit buttons (``?format=csv``); and those it posts to (``<form method=post action>``)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.posts: list[str] = []
        self._get_form: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
        elif tag == "img" and found.get("src"):
            self.links.append(str(found["src"]))
        elif tag == "form":
            action = str(found.get("action") or "")
            if (found.get("method") or "get").lower() == "post":
                self.posts.append(action)
            else:
                self._get_form = action
                self.links.append(action)
        elif (
            tag in ("button", "input")
            and self._get_form is not None
            and (found.get("type") or "submit") == "submit"
            and found.get("name")
        ):
            self.links.append(f"{self._get_form}?{found['name']}={found.get('value') or ''}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._get_form = None


@dataclass
class Found:
    """What a crawl found: for each route, the addresses seen (GET) and posted to (POST)."""

    pages: dict[str, set[str]] = field(default_factory=dict)
    posts: dict[str, set[str]] = field(default_factory=dict)
    downloads: dict[str, set[str]] = field(default_factory=dict)

    def merge(self, other: Found) -> None:
        for mine, theirs in (
            (self.pages, other.pages),
            (self.posts, other.posts),
            (self.downloads, other.downloads),
        ):
            for route, addresses in theirs.items():
                mine.setdefault(route, set()).update(addresses)


#: Links a crawl never follows: they end the session, or leave the service.
_NOT_FOLLOWED = {"accounts:sign-out"}
_DOWNLOAD_TYPES = ("text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml")


def crawl(
    client: Client,
    start: Iterable[str] = ("/",),
    *,
    per_route: int = 2,
    per_route_query: int = 6,
    limit: int | None = None,
) -> Found:
    """Follow every link a signed-in person sees, from ``start``, keeping at most ``per_route``
    addresses of each route (and ``per_route_query`` with different query strings, so the
    downloads a page offers as ``?format=csv`` are found). Forms that post are recorded, never
    sent. Downloads (CSV, XLSX) are recorded with their route. At most ``limit`` pages are
    visited: by default four for each route the site has, so a site that grows is still
    crawled to the end."""
    limit = limit or max(600, 4 * len(every_route()))
    found = Found()
    queue = deque(start)
    seen: set[str] = set()
    visits = 0
    while queue and visits < limit:
        address = queue.popleft()
        if address in seen:
            continue
        seen.add(address)
        route = route_of(address)
        if route is None or route in _NOT_FOLLOWED:
            continue
        bucket = found.pages.setdefault(route, set())
        same_path = sum(1 for a in bucket if urlsplit(a).path == urlsplit(address).path)
        if len(bucket) >= per_route_query or (
            same_path == 0 and len({urlsplit(a).path for a in bucket}) >= per_route
        ):
            continue
        bucket.add(address)
        response = client.get(address)
        visits += 1
        content_type = response.get("Content-Type", "")
        if response.status_code == 200 and content_type.startswith(_DOWNLOAD_TYPES):
            found.downloads.setdefault(route, set()).add(address)
            continue
        if response.status_code != 200 or not content_type.startswith("text/html"):
            continue
        parser = _Links()
        parser.feed(response.content.decode("utf-8", "replace"))
        for action in parser.posts:
            target = _same_site(address, action)
            if target and (post_route := route_of(target)):
                found.posts.setdefault(post_route, set()).add(target)
        for href in parser.links:
            target = _same_site(address, href)
            if target and target not in seen:
                # Routes not seen yet first, so a visit limit costs repeats, not routes.
                if route_of(target) in found.pages:
                    queue.append(target)
                else:
                    queue.appendleft(target)
    return found


def _same_site(base: str, href: str) -> str | None:
    """``href`` on the page at ``base`` as a path and query, when it is one of ours."""
    if href.startswith(("mailto:", "tel:", "javascript:", "#")):
        return None
    parts = urlsplit(urljoin("http://testserver" + base, href))
    if parts.netloc != "testserver":
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")
