from django.urls import URLPattern, URLResolver, path

from commonweal.monitoring import views

app_name = "monitoring"

urlpatterns: list[URLPattern | URLResolver] = [
    path("settings/", views.monitoring_settings, name="settings"),
    path("contracts/<int:pk>/plan/", views.delivery_plan, name="plan"),
    path(
        "contracts/<int:pk>/milestones/<int:milestone_pk>/",
        views.milestone_status,
        name="milestone-status",
    ),
]
