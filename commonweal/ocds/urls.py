from django.urls import path

from commonweal.ocds import views

app_name = "ocds"

urlpatterns = [
    path("ocds/contracts.json", views.contracts_package, name="contracts"),
    path(
        "ocds/contracts/<int:pk>/performance-notice.json",
        views.performance_notice,
        name="performance-notice",
    ),
    path("ocds/extensions/social-value/<str:name>", views.extension_file, name="extension"),
]
