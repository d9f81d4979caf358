from django.urls import path
from django.views.generic import RedirectView

from commonweal.accounts import organisation_pages, views

app_name = "accounts"

urlpatterns = [
    # The home page lives in commonweal.home (it reads every app's work); "accounts:home" still
    # names it, so links written before the move keep working. "/" resolves to home:home first.
    path("", RedirectView.as_view(pattern_name="home:home"), name="home"),
    path("audit/", organisation_pages.audit_trail, name="audit-trail"),
    path("jobs/", organisation_pages.job_list, name="job-list"),
    path("jobs/<uuid:pk>/", organisation_pages.job_detail, name="job-detail"),
    path("jobs/<uuid:pk>/status.json", organisation_pages.job_status, name="job-status"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/security-code/", views.security_code, name="security-code"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent/", views.PasswordResetSentView.as_view(), name="password-reset-sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/complete/",
        views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path("account/", views.account, name="account"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("account/confirm-email/", views.email_confirm_resend, name="email-confirm-resend"),
    path("account/confirm-email/<str:token>/", views.email_confirm, name="email-confirm"),
    path("account/security-code/setup/", views.two_factor_setup, name="two-factor-setup"),
    path("account/security-code/remove/", views.two_factor_remove, name="two-factor-remove"),
    path("organisation/switch/", views.switch_organisation, name="switch-organisation"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation-edit"),
    path("organisations/<int:pk>/invite/", views.invitation_create, name="invitation-create"),
    path(
        "organisations/<int:pk>/invitations/<int:invitation_pk>/withdraw/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path(
        "organisations/<int:pk>/members/<int:member_pk>/",
        views.member_edit,
        name="member-edit",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
]
