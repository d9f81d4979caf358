from django.urls import path

from commonweal.tenders import views

app_name = "tenders"

urlpatterns = [
    path("", views.tender_list, name="list"),
    path("issue/<int:procurement_pk>/", views.tender_issue, name="issue"),
    path("join/<str:token>/", views.tender_join, name="join"),
    path("<int:pk>/", views.tender_detail, name="detail"),
    path("<int:pk>/invite/", views.tender_invite, name="invite"),
    path("<int:pk>/offer/", views.offer_edit, name="offer"),
    path("<int:pk>/offer/check/", views.offer_check, name="offer-check"),
    path("<int:pk>/offer/submit/", views.offer_submit, name="offer-submit"),
    path(
        "<int:pk>/offer/submitted/<int:number>/",
        views.offer_confirmation,
        name="offer-confirmation",
    ),
    path("<int:pk>/offer/workbook.xlsx", views.offer_workbook_download, name="offer-workbook"),
    path("<int:pk>/offer/upload/", views.offer_upload, name="offer-upload"),
    path("<int:pk>/offer/documents/", views.offer_document_add, name="offer-document-add"),
    path(
        "<int:pk>/documents/<int:document_pk>/",
        views.offer_document_download,
        name="document",
    ),
    path("<int:pk>/open/", views.tender_open, name="open"),
    path("<int:pk>/evaluators/", views.evaluator_assign, name="evaluator-assign"),
    path("<int:pk>/evaluators/reassign/", views.evaluator_reassign, name="evaluator-reassign"),
    path("<int:pk>/declaration/", views.evaluator_declare, name="declaration"),
    path("<int:pk>/offers/", views.offer_list, name="offers"),
    path("<int:pk>/offers/<int:offer_pk>/", views.offer_detail, name="offer-detail"),
    path("<int:pk>/offers/<int:offer_pk>/moderate/", views.offer_moderate, name="offer-moderate"),
    path(
        "<int:pk>/offers/<int:offer_pk>/lines/<str:measure_code>/<int:contract_year>/",
        views.line_moderate,
        name="line-moderate",
    ),
    path(
        "<int:pk>/offers/<int:offer_pk>/confirm-value/",
        views.offer_value_confirm,
        name="confirm-value",
    ),
    path("<int:pk>/evaluation/", views.evaluation, name="evaluation"),
    path("<int:pk>/evaluation/sign-off/", views.evaluation_sign_off, name="sign-off"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/report.docx", views.report_docx_download, name="report-docx"),
    path("<int:pk>/report.csv", views.report_csv_download, name="report-csv"),
    path("<int:pk>/award/", views.tender_award, name="award"),
]
