from django.urls import path

from commonweal.commissioning import views

app_name = "commissioning"

urlpatterns = [
    path("", views.procurement_list, name="list"),
    path("new/", views.procurement_create, name="create"),
    path("policy/", views.policy, name="policy"),
    path("policy/change/", views.policy_edit, name="policy-edit"),
    path("<int:pk>/", views.procurement_detail, name="detail"),
    path("<int:pk>/details/", views.procurement_details, name="details"),
    path("<int:pk>/consideration/", views.procurement_consideration, name="consideration"),
    path("<int:pk>/measures/", views.procurement_measures, name="measures"),
    path("<int:pk>/weighting/", views.procurement_weighting, name="weighting"),
    path("<int:pk>/questions/", views.procurement_questions, name="questions"),
    path("<int:pk>/questions/add/", views.question_add, name="question-add"),
    path(
        "<int:pk>/questions/<int:question_pk>/remove/",
        views.question_remove,
        name="question-remove",
    ),
    path("<int:pk>/tender-pack/", views.tender_pack, name="tender-pack"),
    path("<int:pk>/tender-pack.docx", views.tender_pack_docx_download, name="tender-pack-docx"),
    path("<int:pk>/offer-template.xlsx", views.offer_template_download, name="offer-template"),
]
