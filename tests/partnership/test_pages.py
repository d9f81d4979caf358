"""The charter's journeys through the pages: a coordinator writes and adopts a charter,
invites an organisation new to Commonweal, whose person joins, signs and pledges; the
signatory reports progress; the coordinator queries, then accepts; the charter is published."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from commonweal.partnership.models import (
    Partnership,
    Pledge,
    ProgressReturn,
    ReturnStatus,
    Signatory,
    SignatoryStatus,
)

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough password 4 tests"


def date_fields(name: str, day: int, month: int, year: int) -> dict[str, str]:
    return {f"{name}_day": str(day), f"{name}_month": str(month), f"{name}_year": str(year)}


def test_a_charter_from_its_first_draft_to_a_reviewed_return(
    world, client_for, coordinator, django_capture_on_commit_callbacks
):
    council = client_for(coordinator)
    response = council.post("/partnerships/new/", {"name": "Rotherham Together Partnership"})
    partnership = Partnership.objects.get()
    assert response["Location"] == f"/partnerships/{partnership.pk}/charter/draft/"

    base = f"/partnerships/{partnership.pk}"
    refused = council.post(f"{base}/charter/draft/principles/new/", {"title": "Buy local"})
    assert "Enter what signatories commit to" in refused.content.decode()
    council.post(
        f"{base}/charter/draft/principles/new/",
        {
            "title": "Buy local",
            "text": "Spend more with local firms",
            "cwb_pillars": ["progressive-procurement"],
        },
    )
    council.post(f"{base}/charter/draft/adopt/", date_fields("adopted_on", 1, 4, 2025))
    page = council.get(f"{base}/").content.decode()
    assert "Version 1, adopted on 1 April 2025" in page
    assert "Progressive procurement" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = council.post(
            f"{base}/signatories/invite/",
            {"sector": "vcse", "new_name": "Maltby Food Bank", "email": "kath@maltby.example"},
        )
    assert response.status_code == 302
    (invitation,) = mail.outbox
    accept = re.search(r"/invitations/[^\s]+/", invitation.body).group(0)
    sign_link = re.search(r"/partnerships/signatories/\d+/", invitation.body).group(0)

    person = Client()
    person.post(
        accept,
        {"full_name": "Kath Lowe", "password": PASSWORD, "password_again": PASSWORD},
    )
    assert "Read the charter and sign it" not in person.get(sign_link).content.decode()
    signatory = Signatory.objects.get(organisation__name="Maltby Food Bank")
    response = person.post(
        f"{sign_link}sign/",
        {
            "signed_by_name": "Kath Lowe",
            "signed_by_role": "Chair",
            **date_fields("signed_on", 2, 5, 2025),
        },
    )
    assert response["Location"] == f"/partnerships/signatories/{signatory.pk}/pledges/new/"
    signatory.refresh_from_db()
    assert signatory.status == SignatoryStatus.SIGNED

    principle = signatory.charter_version.principles.get()
    refused = person.post(
        f"{sign_link}pledges/new/", {"principle": principle.pk, "kind": "commitment"}
    )
    assert "Enter what your organisation commits to" in refused.content.decode()
    person.post(
        f"{sign_link}pledges/new/",
        {
            "principle": principle.pk,
            "kind": "commitment",
            "commitment": "Buy our food from Rotherham growers",
            **date_fields("made_on", 2, 5, 2025),
        },
    )
    pledge = Pledge.objects.get()
    assert pledge.commitment == "Buy our food from Rotherham growers"

    response = person.post(f"/partnerships/pledges/{pledge.pk}/returns/2025/")
    progress_return = ProgressReturn.objects.get()
    edit = f"/partnerships/returns/{progress_return.pk}/edit/"
    assert response["Location"] == edit
    refused = person.post(edit, {"submit": "1"})
    assert "Choose how the pledge is going" in refused.content.decode()
    person.post(
        edit,
        {"submit": "1", "progress": "on_track", "narrative": "Two growers supply us weekly"},
    )
    progress_return.refresh_from_db()
    assert progress_return.status == ReturnStatus.SUBMITTED

    review = f"/partnerships/returns/{progress_return.pk}/review/"
    assert "1 progress return to review" in council.get(f"{base}/").content.decode()
    council.post(review, {"decision": "query", "note": "Which growers?"})
    progress_return.refresh_from_db()
    assert progress_return.status == ReturnStatus.QUERIED
    person.post(
        edit,
        {
            "submit": "1",
            "progress": "on_track",
            "narrative": "Two growers supply us weekly",
            "answer": "Wath Farm and Thrybergh Allotments",
        },
    )
    council.post(review, {"decision": "accept"})
    progress_return.refresh_from_db()
    assert progress_return.status == ReturnStatus.ACCEPTED
    detail = council.get(f"/partnerships/returns/{progress_return.pk}/").content.decode()
    assert "Wath Farm and Thrybergh Allotments" in detail

    council.post(
        f"{base}/settings/",
        {"is_public": "on", "return_due_days": "91", "reminder_days_before": "14"},
    )
    public = Client().get(f"/charters/{partnership.slug}/")
    assert public.status_code == 200
    assert "Buy our food from Rotherham growers" in public.content.decode()
    download = Client().get(f"/charters/{partnership.slug}/?format=csv")
    assert download["Content-Disposition"].startswith("attachment")
    assert "Maltby Food Bank" in download.content.decode("utf-8-sig")
    assert (
        "Two growers"
        not in Client().get(f"/charters/{partnership.slug}/?format=json").content.decode()
    )


def test_a_reader_sees_no_buttons_that_would_refuse_them(charter, client_for, viewer):
    page = client_for(viewer).get(f"/partnerships/{charter.partnership.pk}/").content.decode()
    assert "Invite an organisation to sign" not in page
    assert "Charter versions" in page


def test_the_signatory_sees_its_waiting_returns(charter, client_for, partner_user):
    page = client_for(partner_user).get("/partnerships/").content.decode()
    assert "4 returns to send, 4 overdue" in page
