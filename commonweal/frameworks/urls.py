from django.urls import URLPattern, URLResolver, path

from commonweal.frameworks import views

app_name = "frameworks"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.framework_list, name="list"),
    path("<int:pk>/", views.framework_detail, name="framework"),
    path("<int:pk>/compare/", views.framework_compare, name="framework-compare"),
    path("versions/<int:pk>/", views.version_detail, name="version"),
    path("versions/<int:pk>/export/<str:fmt>/", views.version_export, name="version-export"),
    path("versions/<int:pk>/publish/", views.version_publish, name="version-publish"),
    path("versions/<int:pk>/retire/", views.version_retire, name="version-retire"),
    path("themes/<int:pk>/", views.theme_detail, name="theme"),
    path("outcomes/<int:pk>/", views.outcome_detail, name="outcome"),
    path("measures/<int:pk>/", views.measure_detail, name="measure"),
    path("import/", views.import_upload, name="import"),
    path("import/columns/", views.import_mapping, name="import-mapping"),
    path("deflators/", views.deflator_list, name="deflator-list"),
    path("deflators/upload/", views.deflator_upload, name="deflator-upload"),
    path("deflators/<int:pk>/", views.deflator_detail, name="deflator"),
    path("carbon-series/", views.carbon_list, name="carbon-list"),
    path("carbon-series/upload/", views.carbon_upload, name="carbon-upload"),
    path("carbon-series/<int:pk>/", views.carbon_detail, name="carbon"),
    path("sets/", views.set_list, name="set-list"),
    path("sets/new/", views.set_create, name="set-create"),
    path("sets/<int:pk>/", views.set_detail, name="set"),
    path("sets/<int:pk>/new-version/", views.set_new_version, name="set-new-version"),
    path("sets/<int:pk>/compare/", views.set_compare, name="set-compare"),
    path("sets/versions/<int:pk>/", views.set_version_detail, name="set-version"),
    path("sets/versions/<int:pk>/edit/", views.set_version_edit, name="set-version-edit"),
    path("sets/versions/<int:pk>/add/", views.set_item_add, name="set-item-add"),
    path("sets/versions/<int:pk>/remove/", views.set_item_remove, name="set-item-remove"),
    path(
        "sets/versions/<int:pk>/deflator/", views.set_version_deflator, name="set-version-deflator"
    ),
    path("sets/versions/<int:pk>/carbon/", views.set_version_carbon, name="set-version-carbon"),
    path("sets/versions/<int:pk>/publish/", views.set_version_publish, name="set-version-publish"),
    path(
        "sets/versions/<int:pk>/local-measure/",
        views.local_measure_create,
        name="local-measure-create",
    ),
]
