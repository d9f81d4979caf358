"""Every route, found from the URL resolver and the seeded demo world, so a page added later is
covered without anyone adding it here (issue 18):

- isolation: another council's admin, a supplier not party to anything, a partner and an
  anonymous visitor get nothing from any address that names a record — a 404 (anonymous
  visitors are sent to sign in, as for every page behind sign-in; the API answers 401) — on GET
  and on POST;
- exports: no cell of any CSV or XLSX the site hands out starts with a formula character, even
  when every name and note in the world does.

How it finds addresses: the demo is seeded, and the demo personas below (and one of every other
kind of organisation the demo signs people in for, so a new kind is crawled without being
listed), and an anonymous visitor, each follow every link and form they see
(``tests.site.crawl``). A route no crawl reached gets an address from the records the
crawls saw (``/tenders/5/…`` gives a tender for ``api/v1/tenders/<tender_id>``). A route that
still has none fails the coverage test: link the page, seed a record it can show, or, for an
address made of a secret (a share link's token), add it to ``SECRET_ADDRESSES`` saying why.

A page meant for everyone (a council's published reports, a partnership's public charter) is
marked with ``commonweal.core.public.public``; outsiders may read it, but it must answer without
a server error, and an address naming no record must be a 404 there too.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import models, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Left
from django.test import Client, override_settings
from django.urls import Resolver404, resolve
from django.utils import timezone
from openpyxl import load_workbook

from commonweal.accounts.models import User
from commonweal.accounts.roles import OrganisationKind, Role
from commonweal.core.exports import FORMULA_LEADING
from commonweal.demo.seed import seed_demo
from tests.factories import MembershipFactory, UserFactory
from tests.site import Found, Route, crawl, every_route, route_of

#: Demo personas whose pages are crawled: everything any of them can reach is "theirs". The
#: first demo person of any other kind of organisation is crawled as well (``_personas``).
CRAWLED = [
    "admin@rotherham.demo",
    "evaluator@rotherham.demo",
    "contracts@rotherham.demo",
    "femi@donvalley.demo",
    "grace@wentworth.demo",
    "imran@hospital.demo",
]

#: Addresses made of a secret handed to one person (a token in a link); an outsider cannot
#: guess them, so there is nothing to isolate by organisation.
SECRET_ADDRESSES = {
    "accounts:invitation-accept": "the invitation's token, emailed to the person invited",
    "accounts:password-reset-confirm": "the reset token, emailed to the account's address",
    "tenders:join": "the tender's share link, given to the suppliers the council chooses",
    "api:start_offer": "the tender's share link token (as tenders:join)",
    "cwb:survey-answer": "the survey's token, emailed to the supplier asked",
    "accounts:email-confirm": "the signed link emailed to confirm an address",
}

#: Parts of an address that are not a record's number, with a value to use.
NOT_RECORDS = {"file_format": "csv", "number": "1", "measure_code": "LE1", "contract_year": "1"}

#: Routes whose addresses name no record at all.
NOT_ABOUT_A_RECORD = {"ocds:extension": "the published OCDS extension's files, public"}

#: Records every organisation may read by design, each with why.
SHARED_BY_DESIGN = {
    "frameworks:framework": "published measure frameworks are reference for every council",
    "frameworks:framework-compare": "as frameworks:framework",
    "frameworks:version": "as frameworks:framework",
    "frameworks:version-export": "as frameworks:framework",
    "frameworks:theme": "as frameworks:framework",
    "frameworks:outcome": "as frameworks:framework",
    "frameworks:measure": "as frameworks:framework",
    "frameworks:deflator": "GDP deflator series are national reference data",
    "api:get_framework": "as frameworks:framework",
    "api:list_versions": "as frameworks:framework",
    "api:list_measures": "as frameworks:framework",
    "api:get_measure": "as frameworks:framework",
    "monitoring:dashboard-chart": "the chart of the viewer's own organisation, named by grouping",
    "cwb:analysis-chart": "the chart of the viewer's own organisation, named by year and chart",
    "fairwork:chart": "the chart of the viewer's own council, named by kind",
    "cwb:refdata-detail": "reference data (postcodes, registers) is national, read by every council",
    "cwb:refdata-rejects": "as cwb:refdata-detail",
    "fairwork:eflg-module": "a module of the viewer's own council's self-assessment, named by key",
    "fairwork:eflg-criteria-template": "the blank criteria template, the same for every council",
}

#: Changes to a record everyone may read (a published framework): an outsider may know it
#: exists, so the refusal is "you may not" (403) rather than "there is none" (404).
OWNER_ACTIONS_ON_SHARED = {
    "frameworks:version-publish": "the version is readable by all (frameworks:version)",
    "frameworks:version-retire": "as frameworks:version-publish",
    "api:publish_version": "as frameworks:version-publish",
}

#: Downloads that hand back a file someone uploaded, byte for byte: evidence must reach the
#: verifier exactly as the supplier sent it (it is never opened by the service).
UPLOADED_FILES = {"monitoring:evidence-download", "tenders:document"}

#: The five exports issue 18 found writing formulas as they were.
NAMED_EXPORTS = {
    "tenders:report-csv",
    "frameworks:version-export",
    "accounts:audit-trail",
    "cwb:supplier-list",
    "monitoring:dashboard",
}

pytestmark = pytest.mark.xdist_group("every_route")  # one seeded world per run (make test)

PAYLOAD = '=HYPERLINK("http://evil.example","Open")&'


@dataclass
class Site:
    found: Found
    addresses: dict[str, set[str]]
    unreached: list[Route]
    outsiders: dict[str, Client]
    clients: dict[str, Client]
    data_dir: Path


def _outsiders() -> dict[str, Client]:
    """Admins of organisations with no part in anything of the demo's."""
    from tests.factories import CouncilFactory, PartnerFactory, SupplierFactory

    people = {
        "another council's admin": (CouncilFactory(name="Elsewhere Council"), Role.COUNCIL_ADMIN),
        "a supplier not party to it": (
            SupplierFactory(name="Stranger Supplies Ltd"),
            Role.SUPPLIER_ADMIN,
        ),
        "a partner": (
            PartnerFactory(name="Unrelated Partner", kind=OrganisationKind.ANCHOR_PARTNER),
            Role.PARTNER_CONTRIBUTOR,
        ),
    }
    clients = {}
    for label, (organisation, role) in people.items():
        user = UserFactory()
        MembershipFactory(user=user, organisation=organisation, role=role)
        client = Client()
        client.force_login(user)
        clients[label] = client
    clients["an anonymous visitor"] = Client()
    return clients


def _personas(people: list[Any]) -> list[str]:
    """CRAWLED, and the first demo person of each kind of organisation none of them is in."""
    kinds = {
        email: set(
            User.objects.get(email=email).memberships.values_list("organisation__kind", flat=True)
        )
        for email in {*CRAWLED, *(person.email for person in people)}
    }
    crawled = list(CRAWLED)
    for person in people:
        if not kinds[person.email] <= set().union(*(kinds[email] for email in crawled)):
            crawled.append(person.email)
    return crawled


def _values_by_argument(found: Found) -> dict[str, list[str]]:
    """For each argument of a route (``year``, ``gss_code``), the values it had in addresses
    the crawls reached."""
    values: dict[str, list[str]] = {}
    for address in itertools.chain(*found.pages.values(), *found.posts.values()):
        try:
            arguments = resolve(address.split("?")[0]).kwargs
        except Resolver404:
            continue
        for name, value in arguments.items():
            if str(value) not in values.setdefault(name, []):
                values[name].append(str(value))
    return values


def _values_by_segment(found: Found) -> dict[str, list[str]]:
    """For each path segment that names records (``tenders``), the values seen after it in
    addresses the crawls reached (``/tenders/5/offers/7/`` gives tenders: 5, offers: 7)."""
    values: dict[str, list[str]] = {}
    for address in itertools.chain(*found.pages.values(), *found.posts.values()):
        parts = address.split("?")[0].strip("/").split("/")
        for before, value in itertools.pairwise(parts):
            if re.fullmatch(r"\d+|[0-9a-f-]{36}", value) and value not in values.get(before, []):
                values.setdefault(before, []).append(value)
    return values


def _synthesised(
    route: Route,
    values: dict[str, list[str]],
    reached: dict[str, str],
    arguments: dict[str, list[str]],
) -> str | None:
    """An address for a route no crawl reached: the numbers of the longest start it shares
    with an address a crawl did reach (``tenders/5/offers/7/`` for ``tenders/<pk>/offers/
    <offer_pk>/lines/…``, so the records belong together), then records seen under the same
    names, NOT_RECORDS for parts that are not records, and values the same argument had
    elsewhere (a year, a council's code)."""
    pieces = re.split(r"(<[^>]+>)", route.pattern)
    converters = [i for i, piece in enumerate(pieces) if piece.startswith("<")]
    filled: dict[int, str] = {}
    for count in range(len(converters), 0, -1):
        start = "".join(pieces[: converters[count - 1] + 1])
        donor = next((a for pattern, a in reached.items() if pattern.startswith(start)), None)
        if donor is not None:
            numbers = re.findall(r"[^/]+", donor.split("?")[0])
            literal = re.findall(r"[^/]+", start)
            filled = {
                converters[n]: numbers[literal.index(piece)]
                for n, piece in enumerate(p for p in literal if p.startswith("<"))
            }
            break
    address = ""
    for index, piece in enumerate(pieces):
        if not piece.startswith("<"):
            address += piece
            continue
        name = piece.strip("<>").split(":")[-1]
        segment = pieces[index - 1].rstrip("/").split("/")[-1] if index else ""
        stem = re.sub(r"_(pk|id)$", "", name)
        candidates = values.get(segment) or values.get(f"{stem}s") or arguments.get(name, [])
        value = filled.get(index) or NOT_RECORDS.get(name) or next(iter(candidates), None)
        if value is None:
            return None
        address += value
    return "/" + address


def _models_named(segment: str) -> list[type[models.Model]]:
    """Our models a path segment names: "kpis" names Kpi, "api-tokens" ApiToken, and
    "service-tokens" (no such model) any token; "deflators" names DeflatorSeries."""
    ours = [m for m in apps.get_models() if m.__module__.startswith("commonweal.")]
    for stem in (segment.replace("-", ""), segment.split("-")[-1]):
        stem = stem.removesuffix("s")
        named = [m for m in ours if stem and stem in m._meta.model_name]
        if named:
            return sorted(named, key=lambda m: (not m._meta.model_name.endswith(stem), m.__name__))
    return []


def _path_to(model: type[models.Model], outer: type[models.Model]) -> list[str] | None:
    """The foreign keys that lead from ``model`` to ``outer`` (shortest first, three at most)."""
    paths: list[tuple[type[models.Model], list[str]]] = [(model, [])]
    for _ in range(3):
        next_paths = []
        for current, names in paths:
            if current is outer:
                return names
            for f in current._meta.concrete_fields:
                if isinstance(f, models.ForeignKey):
                    next_paths.append((f.related_model, [*names, f.name]))
        paths = next_paths
    return next((names for current, names in paths if current is outer), None)


def _bake(baker: Any, model: type[models.Model]) -> models.Model | None:
    """A record of ``model`` under records the world already has (its first of each kind it
    belongs to, by number: the outsiders came later, and must not be party to it), with random
    values elsewhere; a few tries, as a random value may break a rule."""
    parents = {
        f.name: f.related_model._default_manager.order_by("pk").first()
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model._default_manager.exists()
    }
    # A deadline or expiry must often fall after the record was made: every other try puts
    # the record's own dates a year ahead.
    ahead = {
        f.name: (timezone.now() if isinstance(f, models.DateTimeField) else timezone.localdate())
        + timedelta(days=365)
        for f in model._meta.concrete_fields
        if isinstance(f, models.DateField) and not (f.auto_now or f.auto_now_add)
    }
    for attempt in range(20):
        try:
            with transaction.atomic():
                return baker.make(model, **parents, **(ahead if attempt % 2 else {}))
        except Exception:  # noqa: BLE001, S112 - a rule refused a random value: try again
            continue
    return None


def _baked(route: Route) -> str | None:
    """An address for a route whose records the demo does not have: the innermost record is
    made with model_bakery (with whatever it needs above it), and the outer numbers follow its
    foreign keys. Nobody from the outsiders' organisations is party to a record made so."""
    from model_bakery import baker

    pieces = re.split(r"(<[^>]+>)", route.pattern)
    slots = [
        (pieces[i - 1].rstrip("/").split("/")[-1], piece.strip("<>").split(":")[-1])
        for i, piece in enumerate(pieces)
        if piece.startswith("<") and piece.strip("<>").split(":")[-1] not in NOT_RECORDS
    ]
    named = [_models_named(segment) for segment, _ in slots]
    if not slots or not all(named):
        return None
    for inner in named[-1]:
        chains = [
            next((p for outer in outers if (p := _path_to(inner, outer)) is not None), None)
            for outers in named[:-1]
        ]
        if any(chain is None for chain in chains):
            continue
        record = _bake(baker, inner)
        if record is None:
            continue
        values = []
        for chain in chains:
            target: Any = record
            for name in chain or []:
                target = getattr(target, name)
            values.append(str(target.pk))
        values.append(str(record.pk))
        address, filled = "", iter(values)
        for piece in pieces:
            if not piece.startswith("<"):
                address += piece
            else:
                name = piece.strip("<>").split(":")[-1]
                address += NOT_RECORDS[name] if name in NOT_RECORDS else next(filled)
        return "/" + address
    return None


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Site]:
    data_dir = tmp_path_factory.mktemp("site") / "data"
    data_dir.mkdir()
    storages = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": data_dir / "files", "base_url": None},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with (
        django_db_blocker.unblock(),
        override_settings(DATA_DIR=data_dir, STORAGES=storages),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            people = seed_demo()
            clients = {}
            found = Found()
            for email in _personas(people):
                client = Client()
                client.force_login(User.objects.get(email=email))
                clients[email] = client
                found.merge(crawl(client))
            found.merge(crawl(Client()))  # public pages, reached from the links anyone sees
            addresses = {
                route: {a.split("?")[0] for a in found.pages.get(route, set())}
                | found.posts.get(route, set())
                for route in set(found.pages) | set(found.posts)
            }
            values = _values_by_segment(found)
            arguments = _values_by_argument(found)
            same_address: dict[str, set[str]] = {}
            patterns = {}
            for route in every_route():
                same_address.setdefault(route.pattern, set()).add(route.name)
                patterns[route.name] = route.pattern
            reached = {
                patterns[name]: sorted(found_addresses)[0]
                for name, found_addresses in addresses.items()
                if found_addresses and name in patterns and "<" in patterns[name]
            }
            unreached = []
            for route in every_route():
                if not route.takes_arguments or addresses.get(route.name):
                    continue
                synthesised = _synthesised(route, values, reached, arguments)
                # The API names each method of one address as a route of its own.
                if synthesised and route_of(synthesised) in same_address[route.pattern]:
                    addresses[route.name] = {synthesised}
                elif route.name not in {**SECRET_ADDRESSES, **NOT_ABOUT_A_RECORD}:
                    unreached.append(route)
            yield Site(found, addresses, unreached, _outsiders(), clients, data_dir)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def world(site, settings, db) -> Site:
    """The seeded site, its files where the seeding put them."""
    settings.DATA_DIR = site.data_dir
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": site.data_dir / "files", "base_url": None},
        },
    }
    return site


def _with_made_records(world: Site) -> dict[str, set[str]]:
    """The world's addresses, and for each route it has none for, one made with model_bakery
    (in the running test's transaction, so the records go when it ends)."""
    addresses = dict(world.addresses)
    for route in world.unreached:
        made = _baked(route)
        if made and route_of(made) == route.name:
            addresses[route.name] = {made}
    return addresses


def test_every_route_that_names_a_record_has_an_address_to_check(world):
    addresses = _with_made_records(world)
    unreached = [r for r in world.unreached if r.name not in addresses]
    assert not unreached, (
        "No address was found for these routes: link the page from another, seed a record it "
        "can show in the demo, or, if its address is a secret, add it to SECRET_ADDRESSES: "
        + ", ".join(f"{r.name} ({r.pattern})" for r in unreached)
    )


def _missing(address: str) -> str:
    """The address with its last record number replaced by one no record has."""
    return re.sub(r"(.*/)(\d+)(/[^0-9]*)$", r"\g<1>987654321\g<3>", address)


def _request(client: Client, method: str, address: str) -> Any:
    if method == "GET":
        return client.get(address)
    if address.startswith("/api/"):
        return client.post(address, {}, content_type="application/json")
    return client.post(address, {})


def _refused(label: str, method: str, address: str, client: Client, response: Any) -> bool:
    """Whether the answer tells the outsider nothing: a 404; a 405 (the route takes no such
    request from anyone); the sign-in page (or the API's 401) for an anonymous visitor; or, on
    the API, the same refusal of a malformed body as for a record that does not exist."""
    status = response.status_code
    if status in (404, 405):
        return True
    if label == "an anonymous visitor" and (
        status == 401 or (status == 302 and "/sign-in/" in response.get("Location", ""))
    ):
        return True
    if address.startswith("/api/") and status in (400, 422):
        return _request(client, method, _missing(address)).status_code == status
    return False


def test_outsiders_get_nothing_from_any_address_that_names_a_record(world):
    naming_a_record = {r.name for r in every_route() if r.takes_arguments}
    public = {r.name for r in every_route() if r.public}
    leaks = []
    checked = 0
    for route, addresses in sorted(_with_made_records(world).items()):
        if route in {**SECRET_ADDRESSES, **NOT_ABOUT_A_RECORD} or route not in naming_a_record:
            continue
        address = sorted(addresses)[0]
        for label, client in world.outsiders.items():
            for method in ("GET", "POST"):
                response = _request(client, method, address)
                checked += 1
                if route in public:
                    # For everyone, but only what was published: no record, no page.
                    missing = _missing(address)
                    refused = response.status_code < 500 and (
                        missing == address
                        or _request(client, method, missing).status_code in (404, 405)
                    )
                elif route in SHARED_BY_DESIGN and label != "an anonymous visitor":
                    refused = response.status_code < 500  # readable by all; a page, no change
                elif route in OWNER_ACTIONS_ON_SHARED and label != "an anonymous visitor":
                    refused = response.status_code in (403, 404, 405)
                else:
                    refused = _refused(label, method, address, client, response)
                if not refused:
                    leaks.append(f"{method} {address} ({route}) as {label}: {response.status_code}")
    assert checked > 500, f"only {checked} requests were checked: the crawl found too little"
    assert not leaks, (
        "Outsiders were not refused (a page meant for everyone is marked with "
        "commonweal.core.public.public, and shows only what was published):\n" + "\n".join(leaks)
    )


# --- exports ---------------------------------------------------------------------------------

#: Text that names or identifies rather than describes; left alone so the world still works.
_KEPT = re.compile(
    r"email|password|postcode|gss_code|code$|reference|slug|token|sha|hash|path|key|kind|status"
    r"|unit|year|period|number|vat|url|format|version|role|stage|method|source_|field|model"
    r"|action|event|ip|currency|scale|level|type$|_id$|_pk$|addr|file$|name_key|tier|grouping|chart"
)


def _poison_every_text_field() -> None:
    """Put a formula in front of every free-text value in the database: names, titles, notes
    and answers, as an outsider could."""
    for model in apps.get_models():
        if not model.__module__.startswith(("commonweal.", "auditlog.")):
            continue
        # Cut to its column's length (below), a value in a unique set could collide.
        in_unique_sets = {name for together in model._meta.unique_together for name in together} | {
            name
            for constraint in model._meta.constraints
            if isinstance(constraint, models.UniqueConstraint)
            for name in constraint.fields
        }
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField))
            and not f.choices
            and not f.unique
            and f.name not in in_unique_sets
            and not f.primary_key
            and not _KEPT.search(f.name)
        ]
        if fields:
            # Cut to the column's length, as PostgreSQL enforces it (SQLite does not).
            model._default_manager.update(
                **{
                    f.name: Left(Concat(Value(PAYLOAD), F(f.name)), f.max_length)
                    if f.max_length
                    else Concat(Value(PAYLOAD), F(f.name))
                    for f in fields
                }
            )


def _cells(response: Any) -> Iterator[tuple[str, Any]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response["Content-Type"]
    if content_type.startswith("text/csv"):
        for row in csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")):
            for value in row:
                yield "text", value
    else:
        book = load_workbook(io.BytesIO(content))
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    yield cell.data_type, cell.value


def test_no_cell_of_any_export_starts_with_a_formula_character(world):
    _poison_every_text_field()
    downloads = world.found.downloads
    assert set(downloads) >= NAMED_EXPORTS, NAMED_EXPORTS - set(downloads)
    formulas = []
    poisoned_cells = 0
    for route, addresses in sorted(downloads.items()):
        if route in UPLOADED_FILES:
            continue
        for address in sorted(addresses):
            client = next(c for c in world.clients.values() if c.get(address).status_code == 200)
            for data_type, value in _cells(client.get(address)):
                runs = data_type == "f" or (
                    isinstance(value, str)
                    and value.startswith(FORMULA_LEADING)
                    and not re.fullmatch(r"[+-]?£?[\d,]*\.?\d+%?", value)
                )
                if runs:
                    formulas.append(f"{address}: {value!r}")
                if isinstance(value, str) and "evil.example" in value:
                    poisoned_cells += 1
    assert poisoned_cells, "no export carried the poisoned names: the test proves nothing"
    assert not formulas, "Cells a spreadsheet would run:\n" + "\n".join(formulas[:50])


# --- the published API schema against the API's answers (issue 18, item 8) -------------------


@pytest.fixture
def wsgi_keeps_the_test_connection() -> Iterator[None]:
    """Requests sent straight to the WSGI application keep the test's database connection, as
    Django's test client's do: otherwise the end of a request closes a connection older than
    CONN_MAX_AGE inside the test's transaction (on PostgreSQL; SQLite's in-memory database is
    never closed)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _api_schema() -> Any:
    import schemathesis

    from commonweal.wsgi import application

    # In process, through WSGI: no network.
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


def _session_cookie(client: Client) -> dict[str, str]:
    from django.conf import settings

    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


def test_every_api_answer_about_a_real_record_matches_the_published_schema(
    world, wsgi_keeps_the_test_connection
):
    from schemathesis.specs.openapi.checks import response_schema_conformance

    schema = _api_schema()
    checked = []
    statuses: list[tuple[str, int]] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() != "GET":
            continue
        match = re.sub(r"\{[^}]+\}", "[^/]+", operation.path)
        addresses = [
            a.split("?")[0]
            for a in itertools.chain(*world.addresses.values(), *world.found.pages.values())
            if re.fullmatch(match, a.split("?")[0])
        ] or ([operation.path] if "{" not in operation.path else [])
        if "{" in operation.path:
            # And the records seen under the same names (tenders, returns), so one is found
            # that a persona may read.
            seen = _values_by_segment(world.found)
            parts = operation.path.strip("/").split("/")
            options = [
                seen.get(before, [])[:5] if part.startswith("{") else [part]
                for before, part in zip(["", *parts], parts, strict=False)
            ]
            addresses += ["/" + "/".join(combo) for combo in itertools.product(*options)]
        for address in list(dict.fromkeys(addresses))[:12]:
            parameters = resolve(address).kwargs
            for client in world.clients.values():
                case = operation.Case(path_parameters=parameters, cookies=_session_cookie(client))
                response = case.call()
                statuses.append((address, response.status_code))
                if response.status_code == 200:
                    case.validate_response(response, checks=[response_schema_conformance])
                    checked.append(operation.path)
                    break
            if operation.path in checked:
                break
    # The answers whose schema once shared a name with another's (VersionOut, LineOut).
    assert {
        "/api/v1/frameworks/{framework_id}/versions",
        "/api/v1/tenders/{tender_id}/offer",
        "/api/v1/monitoring/returns/{return_id}",
    } <= set(checked), statuses


def test_generated_api_calls_get_no_server_error_and_answers_match_the_schema(
    world, wsgi_keeps_the_test_connection
):
    """Schemathesis on a small budget: a few generated calls per operation, as a signed-in
    council admin, each answered without a server error and as the schema says."""
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance

    cookies = _session_cookie(world.clients["admin@rotherham.demo"])
    for result in _api_schema().get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=4,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def call(case: Any) -> None:
            case.cookies = {**(case.cookies or {}), **cookies}
            response = case.call()
            case.validate_response(
                response, checks=[not_a_server_error, response_schema_conformance]
            )

        call()
