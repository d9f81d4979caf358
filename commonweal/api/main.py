from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import django_auth

from commonweal.accounts.access import request_user
from commonweal.contracts.api import router as contracts_router
from commonweal.frameworks.api import router as frameworks_router
from commonweal.monitoring.api import router as monitoring_router
from commonweal.tenders.api import router as tenders_router

api = NinjaAPI(
    title="Commonweal API",
    version="1",
    description=(
        "Read and write Commonweal's records from a council's own systems. Sign in to the "
        "service first: the API uses the same session and the same access rules as the pages."
    ),
    auth=django_auth,
    urls_namespace="api",
)
api.add_router("/frameworks", frameworks_router, tags=["Measures frameworks"])
api.add_router("/tenders", tenders_router, tags=["Tenders and offers"])
api.add_router("/contracts", contracts_router, tags=["Contracts and commitments"])
api.add_router("/monitoring", monitoring_router, tags=["Returns, verification and portfolio"])


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
