from django.urls import URLPattern, URLResolver, path

from commonweal.cwb import network_views, refdata_views, views

app_name = "cwb"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.overview, name="overview"),
    path("local-areas/", views.local_tiers, name="local-tiers"),
    path("local-areas/work-out/", views.local_tiers_work_out, name="local-tiers-work-out"),
    path("imports/", views.import_list, name="import-list"),
    path("imports/new/", views.import_new, name="import-new"),
    path("imports/<uuid:pk>/", views.import_detail, name="import-detail"),
    path("imports/<uuid:pk>/columns/", views.import_columns, name="import-columns"),
    path("imports/<uuid:pk>/check/", views.import_check, name="import-check"),
    path("imports/<uuid:pk>/discard/", views.import_discard, name="import-discard"),
    path("imports/<uuid:pk>/withdraw/", views.import_withdraw, name="import-withdraw"),
    path("imports/<uuid:pk>/rejected-rows.csv", views.import_rejects_csv, name="import-rejects"),
]
urlpatterns += [
    path("suppliers/", views.supplier_list, name="supplier-list"),
    path("suppliers/link/", views.supplier_link, name="supplier-link"),
    path("suppliers/review/", views.review_queue, name="review-queue"),
    path("suppliers/review/<int:pk>/", views.review_decide, name="review-decide"),
    path("suppliers/review/decisions/", views.review_decisions, name="review-decisions"),
    path(
        "suppliers/review/decisions/<int:pk>/change/",
        views.review_decision_change,
        name="review-decision-change",
    ),
    path("suppliers/creditor-file/", views.creditor_upload, name="creditor-upload"),
    path("suppliers/creditor-file/confirm/", views.creditor_confirm, name="creditor-confirm"),
    path("suppliers/<int:pk>/", views.supplier_detail, name="supplier-detail"),
]
urlpatterns += [
    path("reference-data/", refdata_views.refdata_list, name="refdata-list"),
    path("reference-data/new/", refdata_views.refdata_new, name="refdata-new"),
    path("reference-data/<int:pk>/", refdata_views.refdata_detail, name="refdata-detail"),
    path(
        "reference-data/<int:pk>/rejected-rows.csv",
        refdata_views.refdata_rejects_csv,
        name="refdata-rejects",
    ),
]
urlpatterns += [
    path("analysis/", views.analysis_dashboard, name="analysis"),
    path(
        "analysis/<str:financial_year>/<slug:chart>.svg",
        views.analysis_chart,
        name="analysis-chart",
    ),
]
urlpatterns += [
    path("lm3/", views.lm3_list, name="lm3-list"),
    path("lm3/new/", views.lm3_new, name="lm3-new"),
    path("lm3/<int:pk>/", views.lm3_detail, name="lm3-detail"),
    path("lm3/<int:pk>/surveys/", views.lm3_survey_send, name="lm3-survey-send"),
    path("survey/<str:token>/", views.survey_answer, name="survey-answer"),
]
urlpatterns += [
    path("networks/", network_views.network_list, name="network-list"),
    path("networks/new/", network_views.network_new, name="network-new"),
    path("networks/<int:pk>/", network_views.network_detail, name="network-detail"),
    path("networks/<int:pk>/invite/", network_views.network_invite, name="network-invite"),
    path(
        "networks/<int:pk>/members/<int:member_pk>/remove/",
        network_views.network_member_remove,
        name="network-member-remove",
    ),
    path("networks/<int:pk>/join/", network_views.network_join, name="network-join"),
    path("networks/<int:pk>/leave/", network_views.network_leave, name="network-leave"),
]
