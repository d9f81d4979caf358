"""LM3 studies: the re-spend survey by email link and public form, and the multiplier with
its boundary, period, survey coverage, payroll choice and stated assumptions."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from commonweal.cwb import multiplier, services, tasks
from commonweal.cwb.models import Lm3Study, RegisterSupplier, SupplierSurvey
from tests.cwb.conftest import import_spend_file

pytestmark = pytest.mark.django_db

STUDY = {
    "financial_year": "2024-25",
    "boundary": "borough",
    "supplier_assumption_pence": "25",
    "staff_assumption_pence": "30",
    "assumption_basis": "CLES Manchester study, 25p in the pound (stated assumption)",
}


def start_study(client, **extra):
    response = client.post(reverse("cwb:lm3-new"), {**STUDY, **extra})
    assert response.status_code == 302, response.content.decode()[-3000:]
    return Lm3Study.objects.latest("pk")


def send_and_answer(client, study, supplier_name, pence):
    detail = client.get(reverse("cwb:lm3-detail", args=[study.pk])).content.decode()
    key = re.search(
        r'name="supplier_key" value="([^"]+)">\s*<div class="govuk-form-group govuk-!-margin-bottom-2"><label class="govuk-label" for="email-\d+">Email address of '
        + re.escape(supplier_name),
        detail,
    ).group(1)
    client.post(
        reverse("cwb:lm3-survey-send", args=[study.pk]),
        {"supplier_key": key.replace("&#x27;", "'"), "email": "owner@supplier.test"},
    )
    link = re.search(
        r"http://testserver(/local-economy/survey/[^/\s]+/)", mail.outbox[-1].body
    ).group(1)
    public = Client()
    assert "how many pence" in public.get(link).content.decode()
    response = public.post(link, {"pence_in_the_pound": str(pence), "respondent_name": "Owner"})
    assert "Thank you" in response.content.decode()
    return link


def test_lm3_golden_case_with_one_survey_answer_and_an_assumption(
    client_for, council_officer, analysed
):
    client = client_for(council_officer)
    study = start_study(client)
    send_and_answer(client, study, "DON VALLEY CATERING LTD", 40)
    html = client.get(reverse("cwb:lm3-detail", args=[study.pk])).content.decode()
    # Hand working (NEF LM3): R1 = £30,000.00 (all 2024-25 spend, no payroll).
    # R2 = borough suppliers: Don Valley £1,500 + Wentworth £250 = £1,750.00.
    # R3 = £1,500 x 0.40 (survey) + £250 x 0.25 (assumed) = £600 + £62.50 = £662.50.
    # LM3 = (30,000 + 1,750 + 662.50) / 30,000 = 1.0804 -> 1.08.
    # Coverage = 1,500 / 1,750 = 85.71% of round 2 answered.
    assert "Local Multiplier 3: 1.08" in html
    assert "£30,000.00" in html and "£1,750.00" in html and "£662.50" in html
    assert "85.71% of round 2 answered a survey" in html
    assert "Not included" in html and "financial year 2024-25" in html
    assert "Assumed 0.2500 of £250.00 received by 1 supplier recipient(s)" in html
    assert "CLES Manchester study" in html


def test_lm3_with_payroll_counts_local_wages_and_assumes_their_re_spend(
    client_for, council_officer, analysed
):
    client = client_for(council_officer)
    study = start_study(
        client, include_payroll="on", payroll_pounds="10000", local_staff_wages_pounds="6000"
    )
    send_and_answer(client, study, "DON VALLEY CATERING LTD", 40)
    html = client.get(reverse("cwb:lm3-detail", args=[study.pk])).content.decode()
    # R1 = 30,000 + payroll 10,000 = 40,000; R2 = 1,750 + local wages 6,000 = 7,750.
    # R3 = 662.50 + 6,000 x 0.30 = 2,462.50; LM3 = 50,212.50 / 40,000 = 1.2553 -> 1.26.
    # Coverage = 1,500 / 7,750 = 0.1935 -> 19.35%.
    assert "Local Multiplier 3: 1.26" in html
    assert "£40,000.00" in html and "£7,750.00" in html and "£2,462.50" in html
    assert "19.35% of round 2" in html and "Included" in html


def test_payroll_included_needs_the_payroll_figures(client_for, council_officer, analysed):
    response = client_for(council_officer).post(
        reverse("cwb:lm3-new"), {**STUDY, "include_payroll": "on"}
    )
    assert "Enter the whole payroll, or do not include payroll" in response.content.decode()
    assert not Lm3Study.objects.exists()


def test_a_survey_is_answered_once_and_a_bad_answer_is_explained(
    client_for, council_officer, analysed
):
    client = client_for(council_officer)
    study = start_study(client)
    link = send_and_answer(client, study, "WENTWORTH COMMUNITY TRANSPORT", 70)
    again = Client().post(link, {"pence_in_the_pound": "5", "respondent_name": "Someone"})
    assert "Thank you" in again.content.decode()
    assert str(SupplierSurvey.objects.get().local_respend_share) == "0.7000"
    assert Client().get("/local-economy/survey/not-a-token/").status_code == 404


def test_an_answer_out_of_range_is_refused_with_how_to_fix_it(
    client_for, council_officer, analysed
):
    client = client_for(council_officer)
    study = start_study(client)
    detail = client.get(reverse("cwb:lm3-detail", args=[study.pk])).content.decode()
    key = re.search(r'name="supplier_key" value="([^"]+)"', detail).group(1)
    client.post(
        reverse("cwb:lm3-survey-send", args=[study.pk]),
        {"supplier_key": key, "email": "owner@supplier.test"},
    )
    link = re.search(r"http://testserver(\S+)", mail.outbox[-1].body).group(1)
    response = Client().post(link, {"pence_in_the_pound": "140", "respondent_name": "Owner"})
    assert "Enter a whole number of pence from 0 to 100" in response.content.decode()
    assert SupplierSurvey.objects.get().responded_at is None


def test_viewers_read_studies_and_outsiders_get_404(
    client_for,
    council_officer,
    viewer,
    other_council_officer,
    supplier_user,
    partner_user,
    analysed,
):
    study = start_study(client_for(council_officer))
    viewer_client = client_for(viewer)
    assert viewer_client.get(reverse("cwb:lm3-detail", args=[study.pk])).status_code == 200
    assert viewer_client.get(reverse("cwb:lm3-new")).status_code == 403
    assert (
        viewer_client.post(
            reverse("cwb:lm3-survey-send", args=[study.pk]),
            {"supplier_key": "x", "email": "a@b.test"},
        ).status_code
        == 403
    )
    for person in (other_council_officer, supplier_user, partner_user):
        client = client_for(person)
        assert client.get(reverse("cwb:lm3-detail", args=[study.pk])).status_code == 404
        assert (
            client.post(
                reverse("cwb:lm3-survey-send", args=[study.pk]),
                {"supplier_key": "x", "email": "a@b.test"},
            ).status_code
            == 404
        )
    assert not mail.outbox


def import_and_link_again(world, officer, spend_csv, rows):
    import_spend_file(world.council, officer, spend_csv("later.csv", rows), "Rotherham")
    services.supplier_link_start(
        organisation=world.council, by=officer, enqueue=tasks.link_suppliers_task.enqueue
    )


def surveyed_share(study, supplier_name):
    outcome = multiplier.study_outcome(study)
    (supplier,) = (s for s in outcome.spend.local_suppliers if s.supplier_name == supplier_name)
    survey = outcome.surveys.get(supplier.supplier_key)
    return survey.local_respend_share if survey else None


def test_a_survey_answer_stays_with_its_supplier_when_a_new_spelling_joins_it(
    client_for, council_officer, analysed, spend_csv
):
    client = client_for(council_officer)
    study = start_study(client)
    send_and_answer(client, study, "DON VALLEY CATERING LTD", 40)
    don_valley = RegisterSupplier.objects.get(display_name="DON VALLEY CATERING LTD")

    # "DON VALLEY CATERING" sorts before every name the supplier had, so without the
    # earlier id the cluster would be renamed after it.
    import_and_link_again(
        analysed,
        council_officer,
        spend_csv,
        [("20/05/2024", "DON VALLEY CATERING", "1001", "Children", "10.00")],
    )
    assert RegisterSupplier.objects.get(pk=don_valley.pk).name_count == don_valley.name_count + 1
    assert surveyed_share(study, "DON VALLEY CATERING LTD") == Decimal("0.4000")


def test_a_survey_answer_moves_to_the_supplier_its_cluster_joined(
    client_for, council_officer, analysed, spend_csv
):
    client = client_for(council_officer)
    study = start_study(client)
    send_and_answer(client, study, "WENTWORTH COMMUNITY TRANSPORT", 30)
    wentworth = RegisterSupplier.objects.get(display_name="WENTWORTH COMMUNITY TRANSPORT")

    # One payment names Don Valley under Wentworth's supplier ID: the two clusters join,
    # under Don Valley's id, as it had more spend.
    import_and_link_again(
        analysed,
        council_officer,
        spend_csv,
        [("20/05/2024", "DON VALLEY CATERING LTD", "3003", "Children", "10.00")],
    )
    assert not RegisterSupplier.objects.filter(pk=wentworth.pk).exists()
    survey = SupplierSurvey.objects.get(study=study)
    assert (
        survey.supplier_key
        == RegisterSupplier.objects.get(display_name="DON VALLEY CATERING LTD").cluster_key
    )
    assert surveyed_share(study, "DON VALLEY CATERING LTD") == Decimal("0.3000")
