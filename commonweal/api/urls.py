from django.urls import path

from commonweal.api import views

app_name = "api-tokens"

urlpatterns = [
    path("account/api-tokens/", views.token_list, name="list"),
    path("account/api-tokens/new/", views.token_create, name="create"),
    path("account/api-tokens/<int:pk>/", views.token_made, name="made"),
    path("account/api-tokens/<int:pk>/revoke/", views.token_revoke, name="revoke"),
    path("organisations/<int:org>/service-tokens/", views.service_token_list, name="service-list"),
    path(
        "organisations/<int:org>/service-tokens/new/",
        views.service_token_create,
        name="service-create",
    ),
    path(
        "organisations/<int:org>/service-tokens/<int:pk>/",
        views.service_token_made,
        name="service-made",
    ),
    path(
        "organisations/<int:org>/service-tokens/<int:pk>/revoke/",
        views.service_token_revoke,
        name="service-revoke",
    ),
]
