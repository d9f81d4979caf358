from django.urls import include, path

from commonweal.api.main import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("commonweal.core.urls")),
    path("", include("commonweal.home.urls")),
    path("", include("commonweal.accounts.urls")),
    path("", include("commonweal.api.urls")),
    path("", include("commonweal.ocds.urls")),
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("frameworks/", include("commonweal.frameworks.urls")),
    path("procurements/", include("commonweal.commissioning.urls")),
    path("tenders/", include("commonweal.tenders.urls")),
    path("contracts/", include("commonweal.contracts.urls")),
    path("monitoring/", include("commonweal.monitoring.urls")),
    path("local-economy/", include("commonweal.cwb.urls")),
    path("", include("commonweal.fairwork.urls")),
    path("", include("commonweal.partnership.urls")),
    path("", include("commonweal.reporting.urls")),
    path("", include("commonweal.demo.urls")),
]

handler400 = "commonweal.core.views.bad_request"
handler403 = "commonweal.core.views.permission_denied"
handler404 = "commonweal.core.views.page_not_found"
handler500 = "commonweal.core.views.server_error"
