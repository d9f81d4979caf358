"""Issuing a tender, inviting and registering bidders, drafting, submitting and resubmitting."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.models import Membership, User
from commonweal.commissioning.models import ProcurementStatus
from commonweal.tenders import services
from commonweal.tenders.models import Offer, OfferSubmission, Tender
from tests.commissioning.builders import planned_procurement
from tests.tenders.conftest import pass_deadline

pytestmark = pytest.mark.django_db


def test_a_commissioner_issues_the_tender_of_a_completed_procurement(
    world, client_for, council_officer
):
    procurement = planned_procurement(world.council, council_officer)
    deadline = timezone.localdate() + timedelta(days=21)
    response = client_for(council_officer).post(
        reverse("tenders:issue", args=[procurement.pk]),
        {
            "deadline_date_day": deadline.day,
            "deadline_date_month": deadline.month,
            "deadline_date_year": deadline.year,
            "deadline_time": "12:00",
        },
    )
    tender = Tender.objects.get()
    assert response["Location"] == reverse("tenders:detail", args=[tender.pk])
    assert tender.measure_set_version == procurement.measure_set_version
    procurement.refresh_from_db()
    assert procurement.status == ProcurementStatus.ISSUED
    # The plan is fixed once issued.
    assert (
        client_for(council_officer)
        .get(reverse("commissioning:weighting", args=[procurement.pk]))
        .status_code
        == 403
    )


def test_an_unfinished_procurement_cannot_be_issued(world, client_for, council_officer):
    procurement = planned_procurement(world.council, council_officer, questions=0)
    response = client_for(council_officer).get(reverse("tenders:issue", args=[procurement.pk]))
    assert "You cannot issue the tender yet" in response.content.decode()
    assert "Complete “Written questions”" in response.content.decode()
    with pytest.raises(Exception, match="Written questions"):
        services.tender_issue(
            procurement=procurement, deadline=timezone.now() + timedelta(days=1), by=council_officer
        )
    assert not Tender.objects.exists()


def test_only_planners_issue_and_outsiders_get_404(
    world, client_for, council_officer, evaluator, viewer, other_council_officer, supplier_user
):
    procurement = planned_procurement(world.council, council_officer)
    url = reverse("tenders:issue", args=[procurement.pk])
    assert client_for(evaluator).get(url).status_code == 403
    assert client_for(viewer).post(url, {}).status_code == 403
    assert client_for(other_council_officer).get(url).status_code == 404
    assert client_for(supplier_user).get(url).status_code == 404


def test_an_invitation_emails_the_share_link(
    tender, client_for, council_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(council_officer).post(
            reverse("tenders:invite", args=[tender.pk]), {"email": "bids@newco.test"}
        )
    assert tender.invitations.get().email == "bids@newco.test"
    assert len(mail.outbox) == 1
    assert reverse("tenders:join", args=[tender.share_token]) in mail.outbox[0].body


def test_a_supplier_registers_free_from_the_link_and_starts_an_offer(tender, client):
    url = reverse("tenders:join", args=[tender.share_token])
    page = client.get(url).content.decode()
    assert "Register free to make an offer" in page
    assert "LE1" in page
    response = client.post(
        url,
        {
            "organisation_name": "Maltby Youth Trust",
            "company_number": "",
            "postcode": "s66 8aa",
            "is_sme": "yes",
            "full_name": "Sam Hill",
            "email": "sam@maltby.test",
            "password": "a long enough passphrase",
        },
    )
    assert response["Location"] == reverse("tenders:offer", args=[tender.pk])
    user = User.objects.get(email="sam@maltby.test")
    membership = Membership.objects.get(user=user)
    assert membership.organisation.is_supplier and membership.organisation.postcode == "S66 8AA"
    assert Offer.objects.get().supplier == membership.organisation
    assert client.get(response["Location"]).status_code == 200


def test_a_signed_in_supplier_starts_an_offer_from_the_link(
    tender, world, client_for, supplier_user
):
    client = client_for(supplier_user)
    client.post(reverse("tenders:join", args=[tender.share_token]))
    assert Offer.objects.get().supplier == world.supplier


def test_the_bidder_saves_a_draft_sees_its_value_and_submits(
    tender, world, client_for, supplier_user
):
    client = client_for(supplier_user)
    client.post(reverse("tenders:join", args=[tender.share_token]))
    question = tender.procurement.questions.get()
    form = {
        "q_LE1_1": "2",
        "q_LE1_2": "2",
        "q_AP1_1": "52",
        "q_AP1_2": "",
        "q_VO1_1": "100",
        "q_VO1_2": "100",
        f"a_{question.pk}": "Through the Rotherham Opportunities College programme",
        "action": "draft",
    }
    client.post(reverse("tenders:offer", args=[tender.pk]), form)
    page = client.get(reverse("tenders:offer", args=[tender.pk])).content.decode()
    # 4 FTE-years × £30,000 + 52 weeks × £250 + 200 hours × £16.93
    # = £120,000 + £13,000 + £3,386 = £136,386.00
    assert "£136,386.00" in page
    assert "hours-plausible-for-workforce (the workforce FTE is not known)" in page
    assert not OfferSubmission.objects.exists()
    # Volunteering hours are checked against the workforce, so it is asked for first.
    client.post(reverse("tenders:offer-submit", args=[tender.pk]))
    assert not OfferSubmission.objects.exists()
    refused = client.get(reverse("tenders:offer-check", args=[tender.pk])).content.decode()
    assert "Enter the workforce delivering the contract" in refused
    form.update(
        {"workforce_fte": "12.5", "people_LE1": "H1, H2; H1", "activity_VO1": "Park clean-ups"}
    )
    client.post(reverse("tenders:offer", args=[tender.pk]), form)
    response = client.post(reverse("tenders:offer-submit", args=[tender.pk]))
    submission = OfferSubmission.objects.get()
    assert response["Location"] == reverse("tenders:offer-confirmation", args=[tender.pk, 1])
    confirmation = client.get(response["Location"]).content.decode()
    assert submission.reference in confirmation
    assert {
        "measure_code": "AP1",
        "contract_year": 1,
        "quantity": "52.0000",
        "people": "",
        "activity": "",
    } in submission.lines
    assert {
        "measure_code": "LE1",
        "contract_year": 1,
        "quantity": "2.0000",
        "people": "H1, H2",
        "activity": "",
    } in submission.lines
    assert submission.workforce_fte == Decimal("12.5")


def test_a_quantity_that_is_not_a_number_is_explained(tender, client_for, supplier_user):
    client = client_for(supplier_user)
    client.post(reverse("tenders:join", args=[tender.share_token]))
    response = client.post(reverse("tenders:offer", args=[tender.pk]), {"q_AP1_1": "fifty"})
    assert "Enter the weeks for AP1 in year 1 as a number, like 12.5" in response.content.decode()


def test_the_latest_submission_counts_and_resubmission_is_allowed_until_the_deadline(
    tender, world, supplier_user
):
    offer = services.offer_start(tender=tender, supplier=world.supplier, by=supplier_user)
    question = tender.procurement.questions.get()
    from decimal import Decimal

    services.offer_save_draft(
        offer=offer,
        by=supplier_user,
        quantities={("LE1", 1): Decimal(1)},
        answers={question.pk: "A"},
    )
    services.offer_submit(offer=offer, by=supplier_user)
    services.offer_save_draft(
        offer=offer,
        by=supplier_user,
        quantities={("LE1", 1): Decimal(3)},
        answers={question.pk: "B"},
    )
    second = services.offer_submit(offer=offer, by=supplier_user)
    assert offer.latest_submission() == second
    assert second.number == 2 and second.lines[0]["quantity"] == "3.0000"


def test_late_submissions_are_refused(tender, world, client_for, supplier_user):
    from decimal import Decimal

    offer = services.offer_start(tender=tender, supplier=world.supplier, by=supplier_user)
    question = tender.procurement.questions.get()
    services.offer_save_draft(
        offer=offer,
        by=supplier_user,
        quantities={("LE1", 1): Decimal(1)},
        answers={question.pk: "A"},
    )
    pass_deadline(tender)
    response = client_for(supplier_user).post(
        reverse("tenders:offer-submit", args=[tender.pk]), follow=True
    )
    assert "has passed; offers can no longer be changed or submitted" in response.content.decode()
    assert not OfferSubmission.objects.exists()
    with pytest.raises(Exception, match="has passed"):
        services.offer_save_draft(offer=offer, by=supplier_user, quantities={}, answers={})


def test_an_offer_without_answers_cannot_be_submitted(tender, world, supplier_user):
    from decimal import Decimal

    offer = services.offer_start(tender=tender, supplier=world.supplier, by=supplier_user)
    services.offer_save_draft(
        offer=offer, by=supplier_user, quantities={("LE1", 1): Decimal(1)}, answers={}
    )
    with pytest.raises(Exception, match="Answer question 1 before you submit"):
        services.offer_submit(offer=offer, by=supplier_user)


def test_a_bidder_attaches_a_document(tender, world, client_for, supplier_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(supplier_user)
    client.post(reverse("tenders:join", args=[tender.share_token]))
    client.post(
        reverse("tenders:offer-document-add", args=[tender.pk]),
        {"file": SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf")},
    )
    document = Offer.objects.get().documents.get()
    assert document.name == "plan.pdf"
    response = client.get(reverse("tenders:document", args=[tender.pk, document.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 plan"
    client.post(
        reverse("tenders:offer-document-add", args=[tender.pk]),
        {"file": SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")},
    )
    assert Offer.objects.get().documents.count() == 1


def test_quantities_show_as_plain_numbers(tender, world, client_for, supplier_user):
    from decimal import Decimal

    offer = services.offer_start(tender=tender, supplier=world.supplier, by=supplier_user)
    services.offer_save_draft(
        offer=offer, by=supplier_user, quantities={("AP1", 1): Decimal(20)}, answers={}
    )
    client = client_for(supplier_user)
    edit = client.get(reverse("tenders:offer", args=[tender.pk])).content.decode()
    assert 'value="20"' in edit and "2E+1" not in edit
    check = client.get(reverse("tenders:offer-check", args=[tender.pk])).content.decode()
    assert "20 weeks" in check
