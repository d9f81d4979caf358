from django.urls import URLPattern, URLResolver, path

from commonweal.contracts import views

app_name = "contracts"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.contract_list, name="list"),
    path("new/", views.contract_create_details, name="create"),
    path("new/commitments/", views.contract_create_commitments, name="create-commitments"),
    path("import/", views.contract_import, name="import"),
    path("import/check/", views.contract_import_check, name="import-check"),
    path("import/confirm/", views.contract_import_confirm, name="import-confirm"),
    path("<int:pk>/", views.contract_detail, name="detail"),
    path(
        "<int:pk>/commitments/<int:commitment_pk>/vary/",
        views.commitment_vary,
        name="commitment-vary",
    ),
]
