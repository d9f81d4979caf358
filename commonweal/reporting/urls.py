from django.urls import path

from commonweal.reporting import public_views, views

app_name = "reporting"

urlpatterns = [
    path("programme/", views.overview, name="overview"),
    path("programme/settings/", views.settings_page, name="settings"),
    path("programme/decisions/", views.decision_list, name="decisions"),
    path("programme/decisions/new/", views.decision_new, name="decision-new"),
    path("programme/decisions/<int:pk>/", views.decision_detail, name="decision"),
    path("programme/decisions/<int:pk>/change/", views.decision_edit, name="decision-edit"),
    path(
        "programme/decisions/<int:pk>/recommendations/new/",
        views.recommendation_new,
        name="recommendation-new",
    ),
    path(
        "programme/decisions/<int:pk>/recommendations/<int:recommendation_pk>/change/",
        views.recommendation_edit,
        name="recommendation-edit",
    ),
    path(
        "programme/decisions/<int:pk>/recommendations/<int:recommendation_pk>/actions/new/",
        views.action_new,
        name="action-new",
    ),
    path("programme/actions/", views.action_list, name="actions"),
    path("programme/actions/<int:pk>/", views.action_detail, name="action"),
    path("programme/actions/<int:pk>/change/", views.action_edit, name="action-edit"),
    path("programme/actions/<int:pk>/progress/", views.action_progress, name="action-progress"),
    path("programme/actions/<int:pk>/evidence/", views.evidence_add, name="evidence-add"),
    path(
        "programme/actions/<int:pk>/evidence/<int:evidence_pk>/remove/",
        views.evidence_remove,
        name="evidence-remove",
    ),
    path("programme/events/", views.event_list, name="events"),
    path("programme/events/new/", views.event_new, name="event-new"),
    path("programme/events/<int:pk>/", views.event_detail, name="event"),
    path("programme/events/<int:pk>/change/", views.event_edit, name="event-edit"),
    path("programme/events/<int:pk>/actions/new/", views.event_action_new, name="event-action-new"),
    path("programme/engagement/", views.engagement_list, name="engagements"),
    path("programme/engagement/new/", views.engagement_new, name="engagement-new"),
    path("programme/engagement/<int:pk>/", views.engagement_detail, name="engagement"),
    path("programme/engagement/<int:pk>/change/", views.engagement_edit, name="engagement-edit"),
    path("programme/engagement/<int:pk>/log/", views.entry_new, name="entry-new"),
    path("programme/reports/", views.report_list, name="reports"),
    path("programme/reports/<int:pk>/", views.report_detail, name="report"),
    path("programme/reports/<int:pk>/words/", views.report_edit, name="report-edit"),
    path("programme/reports/<int:pk>/publish/", views.report_publish, name="report-publish"),
    path("programme/reports/<int:pk>/versions/", views.report_versions, name="report-versions"),
    path(
        "programme/reports/<int:pk>/charts/<slug:section>/<slug:table>.svg",
        views.report_chart,
        name="report-chart",
    ),
    path(
        "programme/reports/<int:pk>/versions/<int:number>/",
        views.report_version,
        name="report-version",
    ),
    path(
        "programme/reports/<int:pk>/versions/<int:number>/charts/<slug:section>/<slug:table>.svg",
        views.version_chart,
        name="version-chart",
    ),
    path(
        "programme/<int:council_pk>/years/<str:year>/records/<slug:kind>/",
        views.records,
        name="records",
    ),
    # Public pages: no sign-in, only what the council published, and only if it chose to.
    path("social-value/", public_views.council_list, name="public-councils"),
    path("social-value/<str:gss_code>/", public_views.summary, name="public-summary"),
    path(
        "social-value/<str:gss_code>/tables/<slug:table>.<str:file_format>",
        public_views.summary_table,
        name="public-summary-table",
    ),
    path(
        "social-value/<str:gss_code>/reports/<str:year>/",
        public_views.report,
        name="public-report",
    ),
    path(
        "social-value/<str:gss_code>/reports/<str:year>/report.<str:file_format>",
        public_views.report_file,
        name="public-report-file",
    ),
    path(
        "social-value/<str:gss_code>/reports/<str:year>/<slug:section>/<slug:table>.<str:file_format>",
        public_views.report_table,
        name="public-report-table",
    ),
]
