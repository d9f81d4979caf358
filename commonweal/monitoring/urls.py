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

urlpatterns += [
    path("returns/", views.return_list, name="returns"),
    path("periods/<int:period_pk>/start/", views.return_start, name="return-start"),
    path("returns/<int:pk>/", views.return_detail, name="return-detail"),
    path("returns/<int:pk>/edit/", views.return_edit, name="return-edit"),
    path("returns/<int:pk>/evidence/", views.evidence_upload, name="evidence-upload"),
    path("returns/<int:pk>/case-studies/new/", views.case_study_add, name="case-study-add"),
    path("returns/<int:pk>/check/", views.return_check, name="return-check"),
    path("returns/<int:pk>/submitted/", views.return_confirmation, name="return-confirmation"),
    path("returns/<int:pk>/lines/<int:line_pk>/answer/", views.query_answer, name="query-answer"),
    path("returns/<int:pk>/verify/", views.return_verify, name="return-verify"),
    path("evidence/<int:pk>/download/", views.evidence_download, name="evidence-download"),
    path("verification/", views.verification_queue, name="verification"),
]

urlpatterns += [
    path(
        "contracts/<int:pk>/commitments/<int:commitment_pk>/recovery/",
        views.recovery_action_add,
        name="recovery-add",
    ),
    path(
        "contracts/<int:pk>/recovery/<int:action_pk>/",
        views.recovery_action_status,
        name="recovery-status",
    ),
]

urlpatterns += [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/chart/<slug:grouping>.svg", views.dashboard_chart, name="dashboard-chart"),
    path("lines/", views.dashboard_lines, name="dashboard-lines"),
]

urlpatterns += [path("notifications/", views.notification_list, name="notifications")]

urlpatterns += [
    path("contracts/<int:pk>/kpis/", views.kpi_list, name="kpis"),
    path("contracts/<int:pk>/kpis/<int:kpi_pk>/assess/", views.kpi_assess, name="kpi-assess"),
    path(
        "contracts/<int:pk>/performance-notice.<str:file_format>",
        views.performance_notice,
        name="performance-notice",
    ),
]
