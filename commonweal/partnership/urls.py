from django.urls import URLPattern, URLResolver, path

from commonweal.partnership import network_views, public_views, region_views, views

app_name = "partnership"

urlpatterns: list[URLPattern | URLResolver] = [
    path("partnerships/", views.partnership_list, name="list"),
    path("partnerships/new/", views.partnership_new, name="new"),
    path("partnerships/<int:pk>/", views.partnership_detail, name="detail"),
    path("partnerships/<int:pk>/settings/", views.partnership_settings, name="settings"),
    path("partnerships/<int:pk>/coordinators/", views.coordinator_add, name="coordinator-add"),
    path(
        "partnerships/<int:pk>/coordinators/<int:coordinator_pk>/remove/",
        views.coordinator_remove,
        name="coordinator-remove",
    ),
]
urlpatterns += [
    path("partnerships/<int:pk>/charter/", views.charter_versions, name="charter-versions"),
    path(
        "partnerships/<int:pk>/charter/<int:version_pk>/",
        views.charter_version,
        name="charter-version",
    ),
    path("partnerships/<int:pk>/charter/draft/", views.charter_draft, name="charter-draft"),
    path(
        "partnerships/<int:pk>/charter/draft/new/",
        views.charter_new_draft,
        name="charter-new-draft",
    ),
    path("partnerships/<int:pk>/charter/draft/adopt/", views.charter_adopt, name="charter-adopt"),
    path(
        "partnerships/<int:pk>/charter/draft/principles/new/",
        views.principle_new,
        name="principle-new",
    ),
    path(
        "partnerships/<int:pk>/charter/draft/principles/<int:principle_pk>/",
        views.principle_edit,
        name="principle-edit",
    ),
    path(
        "partnerships/<int:pk>/charter/draft/principles/<int:principle_pk>/remove/",
        views.principle_remove,
        name="principle-remove",
    ),
]
urlpatterns += [
    path("partnerships/<int:pk>/signatories/", views.signatory_list, name="signatories"),
    path(
        "partnerships/<int:pk>/signatories/invite/",
        views.signatory_invite,
        name="signatory-invite",
    ),
    path("partnerships/signatories/<int:pk>/", views.signatory_detail, name="signatory"),
    path("partnerships/signatories/<int:pk>/sign/", views.signatory_sign, name="signatory-sign"),
    path("partnerships/signatories/<int:pk>/end/", views.signatory_end, name="signatory-end"),
    path("partnerships/signatories/<int:pk>/pledges/new/", views.pledge_new, name="pledge-new"),
    path("partnerships/pledges/<int:pk>/withdraw/", views.pledge_withdraw, name="pledge-withdraw"),
    path(
        "partnerships/equality-evidence/<int:pk>/",
        views.eflg_pledge_cite,
        name="eflg-pledge-cite",
    ),
    path(
        "partnerships/pledges/<int:pk>/returns/<int:year>/",
        views.return_start,
        name="return-start",
    ),
    path("partnerships/returns/<int:pk>/", views.return_detail, name="return-detail"),
    path("partnerships/returns/<int:pk>/edit/", views.return_edit, name="return-edit"),
    path("partnerships/returns/<int:pk>/review/", views.return_review, name="return-review"),
    path(
        "partnerships/evidence/<int:pk>/download/",
        views.evidence_download,
        name="evidence-download",
    ),
    path("partnerships/<int:pk>/returns/", views.review_list, name="reviews"),
    path("partnerships/<int:pk>/progress/", views.progress, name="progress"),
]
urlpatterns += [
    path("partnerships/<int:pk>/networks/", views.networks, name="networks"),
    path("partnerships/<int:pk>/networks/start/", views.network_start, name="network-start"),
    path("partnerships/<int:pk>/networks/link/", views.network_link, name="network-link"),
    path(
        "partnerships/<int:pk>/networks/<int:link_pk>/invite/",
        views.network_invite,
        name="network-invite",
    ),
    path("partnerships/networks/<int:pk>/", network_views.network_detail, name="network"),
    path(
        "partnerships/networks/<int:pk>/sharing/",
        network_views.network_sharing,
        name="network-sharing",
    ),
    path(
        "partnerships/networks/<int:pk>/actions/new/",
        network_views.joint_action_new,
        name="joint-action-new",
    ),
    path(
        "partnerships/networks/<int:pk>/actions/<int:action_pk>/",
        network_views.joint_action_edit,
        name="joint-action-edit",
    ),
]
urlpatterns += [
    path("region/", region_views.region, name="region"),
    path("region/sharing/", region_views.region_sharing, name="region-sharing"),
    path("region/sharing/adopt/", region_views.region_set_adopt, name="region-set-adopt"),
]
urlpatterns += [
    path("charters/<slug:slug>/", public_views.charter, name="public-charter"),
    path(
        "charters/<slug:slug>/networks/<int:pk>/",
        public_views.network,
        name="public-network",
    ),
]
