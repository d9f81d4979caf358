from django.http import HttpRequest
from ninja.security import django_auth

from commonweal.accounts.access import request_user
from commonweal.api.openapi import CommonwealAPI, OwnStaticSwagger
from commonweal.api.tokens import ApiRateThrottle, TokenAuth
from commonweal.contracts.api import router as contracts_router
from commonweal.fairwork.api import router as fairwork_router
from commonweal.frameworks.api import router as frameworks_router
from commonweal.monitoring.api import router as monitoring_router
from commonweal.ocds.api import router as ocds_router
from commonweal.partnership.api import router as partnership_router
from commonweal.reporting.api import router as reporting_router
from commonweal.tenders.api import router as tenders_router

api = CommonwealAPI(
    title="Commonweal API",
    version="1",
    description=(
        "Read and write Commonweal's records from a council's own systems. Send an API token "
        "(made on your account page) as `Authorization: Bearer cw_…`, or call it from a "
        "signed-in browser session. Either way the same access rules apply as on the pages. "
        "Every address starts /api/v1/; a change that would break a script gets a new version."
    ),
    # The token first: a session's CSRF check must not refuse a script that sends no cookie.
    auth=[TokenAuth(), django_auth],
    throttle=[ApiRateThrottle()],
    # The viewer's scripts and styles come from django-ninja's own static files, never a CDN;
    # no validator badge either, which would call out to a public validator.
    docs=OwnStaticSwagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    urls_namespace="api",
)
api.add_router("/frameworks", frameworks_router, tags=["Measures frameworks"])
api.add_router("/tenders", tenders_router, tags=["Tenders and offers"])
api.add_router("/contracts", contracts_router, tags=["Contracts and commitments"])
api.add_router("/monitoring", monitoring_router, tags=["Returns, verification and portfolio"])
api.add_router("/ocds", ocds_router, tags=["Open contracting data (OCDS)"])
api.add_router(
    "/fair-work", fairwork_router, tags=["Fair work: Real Living Wage and the Equality Framework"]
)
api.add_router(
    "/partnership",
    partnership_router,
    tags=["Charters, signatories, progress returns, anchor networks and the region"],
)
api.add_router(
    "/reporting",
    reporting_router,
    tags=["Programme: decisions, actions, events, engagement and progress reports"],
)


@api.get("/me", summary="Who you are signed in as, and your organisations")
def me(request: HttpRequest) -> dict[str, object]:
    user = request_user(request)
    return {
        "email": user.email,
        "full_name": user.full_name,
        "memberships": [
            {
                "organisation_id": m.organisation_id,
                "organisation": m.organisation.name,
                "kind": m.organisation.kind,
                "role": m.role,
            }
            for m in user.memberships.select_related("organisation")
        ],
    }
