from django.urls import path

from commonweal.fairwork import equality_views as equality
from commonweal.fairwork import sources, views

app_name = "fairwork"

urlpatterns = [
    path("fair-work/", views.overview, name="overview"),
    path("fair-work/charts/<slug:kind>.svg", views.chart, name="chart"),
    path("fair-work/rates/", views.rates, name="rates"),
    path("fair-work/rates/add/", views.rate_add, name="rate-add"),
    path("fair-work/rates/<int:pk>/remove/", views.rate_remove, name="rate-remove"),
    path("fair-work/rates/load/", views.rates_load, name="rates-load"),
    path("fair-work/rates/load/confirm/", views.rates_load_confirm, name="rates-load-confirm"),
    path("fair-work/rates/template.csv", views.rates_template, name="rates-template"),
    path("fair-work/accreditation/", views.accreditation, name="accreditation"),
    path("fair-work/accreditation/scope/", views.accreditation_scope, name="accreditation-scope"),
    path(
        "fair-work/accreditation/status/", views.accreditation_status, name="accreditation-status"
    ),
    path("fair-work/accreditation/steps/add/", views.step_add, name="step-add"),
    path("fair-work/accreditation/steps/<int:pk>/", views.step_edit, name="step-edit"),
    path("fair-work/suppliers/", views.suppliers, name="suppliers"),
    path("fair-work/suppliers/<int:pk>/", views.supplier_detail, name="supplier-detail"),
    path("fair-work/contracts/", views.contracts, name="contracts"),
    path("fair-work/contracts/<int:pk>/", views.contract_clause, name="contract-clause"),
    path("fair-work/findings/", views.findings, name="findings"),
    path("fair-work/findings/check/", views.findings_check, name="findings-check"),
    path("fair-work/findings/<int:pk>/", views.finding_detail, name="finding-detail"),
    path("fair-work/export.csv", views.export_csv, name="export-csv"),
    path("fair-work/export.xlsx", views.export_xlsx, name="export-xlsx"),
    path("fair-work/settings/", views.fair_work_settings, name="settings"),
    path("fair-work/our-accreditation/", views.own_accreditation, name="own-accreditation"),
    path("fair-work/our-findings/", views.own_findings, name="own-findings"),
    path("equality/", equality.overview, name="equality"),
    path("equality/chart.svg", equality.chart, name="eflg-chart"),
    path("equality/modules/<slug:key>/", equality.module, name="eflg-module"),
    path("equality/criteria/add/", equality.criterion_add, name="eflg-criterion-add"),
    path("equality/criteria/load/", equality.criteria_load, name="eflg-criteria-load"),
    path(
        "equality/criteria/load/confirm/",
        equality.criteria_load_confirm,
        name="eflg-criteria-load-confirm",
    ),
    path(
        "equality/criteria/template.<str:extension>",
        equality.criteria_template,
        name="eflg-criteria-template",
    ),
    path("equality/criteria/<int:pk>/", equality.criterion_detail, name="eflg-criterion"),
    path("equality/criteria/<int:pk>/edit/", equality.criterion_edit, name="eflg-criterion-edit"),
    path("equality/criteria/<int:pk>/assess/", equality.assessment_add, name="eflg-assess"),
    path(
        "equality/assessments/<int:pk>/evidence/",
        equality.evidence_add,
        name="eflg-evidence-add",
    ),
    path(
        "equality/evidence/<int:pk>/download/",
        equality.evidence_download,
        name="eflg-evidence-download",
    ),
    path("equality/export.docx", equality.export_docx, name="eflg-export-docx"),
    path("equality/export.csv", equality.export_csv, name="eflg-export-csv"),
    path("equality/export.xlsx", equality.export_xlsx, name="eflg-export-xlsx"),
    path("sources/", sources.sources, name="sources"),
    path("sources/<slug:key>/", sources.source_note, name="source-note"),
]
