"""The commissioning toolkit: task list, sections, tender pack, and who may do what."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from commonweal.commissioning import services
from commonweal.commissioning.models import Procurement
from commonweal.commissioning.selectors import issue_problems, task_list
from tests.commissioning.builders import measure, planned_procurement, published_measure_set

pytestmark = pytest.mark.django_db

DETAILS = {
    "title": "Home care in Rotherham",
    "category": "light_touch",
    "cpv_code": "85000000-9",
    "estimated_value_pence": "750000",
    "duration_months": "36",
    "directorate": "Adult Care",
    "route": "open",
}


def section_pages(pk: int) -> list[str]:
    return [
        reverse(name, args=[pk])
        for name in (
            "commissioning:details",
            "commissioning:consideration",
            "commissioning:measures",
            "commissioning:weighting",
            "commissioning:questions",
            "commissioning:question-add",
        )
    ]


def read_pages(pk: int) -> list[str]:
    return [
        reverse(name, args=[pk])
        for name in (
            "commissioning:detail",
            "commissioning:tender-pack",
            "commissioning:tender-pack-docx",
            "commissioning:offer-template",
        )
    ]


def test_a_commissioner_starts_a_procurement_with_the_policy_defaults(
    world, client_for, council_officer
):
    published_measure_set(world.council)
    response = client_for(council_officer).post(
        reverse("commissioning:create"), {**DETAILS, "commissioner": council_officer.pk}
    )
    procurement = Procurement.objects.get()
    assert response["Location"] == reverse("commissioning:detail", args=[procurement.pk])
    assert procurement.estimated_value_pence == 75_000_000
    assert procurement.contract_years == 3
    # £750,000 is above £100k: 10% for the offer + 10% for written answers; 80% left for
    # price and quality, split 40 / 40.
    assert procurement.social_value_quantitative_percent == 10
    assert procurement.social_value_qualitative_percent == 10
    assert procurement.price_percent == 40
    statuses = {item.section: item.status for item in task_list(procurement)}
    assert statuses == {
        "details": "Completed",
        "consideration": "Not started",
        "measures": "Not started",
        "weighting": "In progress",
        "questions": "Not started",
    }
    page = client_for(council_officer).get(reverse("commissioning:detail", args=[procurement.pk]))
    text = page.content.decode()
    assert "Above the threshold of £663,540.00" in text  # light touch, incl. VAT
    assert "The Public Services (Social Value) Act 2012 applies." in text


def test_a_section_is_in_progress_until_marked_completed(world, council_officer):
    procurement = planned_procurement(world.council, council_officer)
    services.procurement_record_consideration(
        procurement=procurement,
        by=council_officer,
        wellbeing_improvements="Jobs",
        consulted=None,
        consultation_details="",
        local_priorities="",
        decision="",
        completed=False,
    )
    statuses = {item.section: item.status for item in task_list(procurement)}
    assert statuses["consideration"] == "In progress"
    assert issue_problems(procurement) == ["Complete “Social Value Act consideration”"]


def test_completing_the_consideration_needs_every_answer(world, client_for, council_officer):
    procurement = planned_procurement(world.council, council_officer)
    response = client_for(council_officer).post(
        reverse("commissioning:consideration", args=[procurement.pk]),
        {"wellbeing_improvements": "Jobs", "consulted": "yes", "completed": "yes"},
    )
    assert response.status_code == 200
    assert (
        "To complete this section, enter the local priorities considered"
        in response.content.decode()
    )


def test_choosing_more_measures_than_the_policy_allows_cannot_be_completed(
    world, client_for, council_officer
):
    procurement = planned_procurement(world.council, council_officer)
    seven = [str(measure(code).pk) for code in ("LE1", "AP1", "VO1", "SC1", "CO1", "TR1", "GR1")]
    response = client_for(council_officer).post(
        reverse("commissioning:measures", args=[procurement.pk]),
        {"set_version": procurement.measure_set_version_id, "measures": seven, "completed": "yes"},
    )
    assert response.status_code == 200
    assert "allows at most 6" in response.content.decode()
    assert procurement.chosen_measures.count() == 3


def test_a_selection_without_employment_and_skills_is_refused(world, client_for, council_officer):
    procurement = planned_procurement(world.council, council_officer)
    picked = [str(measure(code).pk) for code in ("VO1", "SC1")]
    response = client_for(council_officer).post(
        reverse("commissioning:measures", args=[procurement.pk]),
        {"set_version": procurement.measure_set_version_id, "measures": picked, "completed": "yes"},
    )
    assert "Select at least one employment and skills measure" in response.content.decode()


def test_below_the_threshold_a_light_set_of_three_is_the_limit(world, council_officer):
    procurement = planned_procurement(
        world.council, council_officer, value_pence=5_000_000, codes=("AP1", "VO1", "TR1")
    )
    # £50,000 is below £100k: social value weighs 10%, all on the offer.
    assert procurement.social_value_quantitative_percent == 10
    assert procurement.social_value_qualitative_percent == 0
    with pytest.raises(Exception, match="allows at most 3 for a light set"):
        services.procurement_choose_measures(
            procurement=procurement,
            by=council_officer,
            set_version=procurement.measure_set_version,
            measures=[measure(c) for c in ("AP1", "VO1", "TR1", "LE1")],
            completed=True,
        )


def test_weightings_must_add_up_to_100(world, client_for, council_officer):
    procurement = planned_procurement(world.council, council_officer)
    response = client_for(council_officer).post(
        reverse("commissioning:weighting", args=[procurement.pk]),
        {
            "social_value_quantitative_percent": "10",
            "social_value_qualitative_percent": "10",
            "price_percent": "50",
            "quality_percent": "40",
            "scoring_method": "relative_to_best",
            "descriptor_scale": "percentages",
            "completed": "yes",
        },
    )
    assert "The weightings add up to 110%; they must add up to 100%" in response.content.decode()


def test_a_fully_planned_procurement_is_ready_to_issue(world, council_officer):
    procurement = planned_procurement(world.council, council_officer)
    assert issue_problems(procurement) == []
    assert all(item.status == "Completed" for item in task_list(procurement))


def test_the_tender_pack_explains_the_evaluation_in_plain_words(world, client_for, council_officer):
    procurement = planned_procurement(world.council, council_officer)
    client = client_for(council_officer)
    page = client.get(reverse("commissioning:tender-pack", args=[procurement.pk])).content.decode()
    assert (
        "Social value is worth 20% of the total score: 10% for the social value you offer" in page
    )
    assert "LE1" in page and "Payroll extract" in page
    assert "How will you deliver your offer? (1)" in page
    docx = client.get(reverse("commissioning:tender-pack-docx", args=[procurement.pk]))
    text = "\n".join(p.text for p in Document(BytesIO(docx.content)).paragraphs)
    assert "The offer with the highest value gets full marks" in text
    assert "Question 1: How will you deliver your offer? (1)" in text


def test_the_offer_workbook_lists_the_measures_with_units_and_a_column_per_contract_year(
    world, client_for, council_officer
):
    procurement = planned_procurement(world.council, council_officer)
    response = client_for(council_officer).get(
        reverse("commissioning:offer-template", args=[procurement.pk])
    )
    workbook = load_workbook(BytesIO(response.content))
    rows = list(workbook["Quantities"].iter_rows(values_only=True))
    assert rows[0] == (
        "Measure code",
        "Measure",
        "Unit",
        "Year 1",
        "Year 2",
        "People (your references, never names)",
        "Activity or programme",
    )
    assert [row[0] for row in rows[1:]] == ["LE1", "AP1", "VO1"]
    assert rows[1][2] == "FTE"
    assert workbook["Written answers"]["B2"].value == "How will you deliver your offer? (1)"


def test_council_staff_who_do_not_plan_may_only_read(
    world, client_for, council_officer, evaluator, contract_manager, viewer
):
    procurement = planned_procurement(world.council, council_officer)
    for person in (evaluator, contract_manager, viewer):
        client = client_for(person)
        for url in read_pages(procurement.pk):
            assert client.get(url).status_code == 200, url
        for url in section_pages(procurement.pk):
            assert client.get(url).status_code == 403, url
            assert client.post(url, {}).status_code == 403, url
        assert client.get(reverse("commissioning:create")).status_code == 403


def test_the_council_admin_may_plan_too(world, client_for, council_officer, council_admin):
    procurement = planned_procurement(world.council, council_officer)
    for url in section_pages(procurement.pk):
        assert client_for(council_admin).get(url).status_code == 200, url


def test_outsiders_get_404_for_every_procurement_page(
    world, client_for, council_officer, other_council_officer, supplier_user, partner_user
):
    procurement = planned_procurement(world.council, council_officer)
    question = procurement.questions.get()
    urls = [
        *section_pages(procurement.pk),
        *read_pages(procurement.pk),
        reverse("commissioning:question-remove", args=[procurement.pk, question.pk]),
    ]
    for person in (other_council_officer, supplier_user, partner_user):
        client = client_for(person)
        for url in urls:
            if not url.endswith("/remove/"):
                assert client.get(url).status_code == 404, (person, url)
            assert client.post(url, {}).status_code == 404, (person, url)
    for person in (supplier_user, partner_user):
        assert client_for(person).get(reverse("commissioning:list")).status_code == 404
    listing = client_for(other_council_officer).get(reverse("commissioning:list"))
    assert "School meals" not in listing.content.decode()


def test_questions_can_be_added_and_removed(world, client_for, council_officer):
    procurement = planned_procurement(world.council, council_officer, questions=0)
    client = client_for(council_officer)
    client.post(
        reverse("commissioning:question-add", args=[procurement.pk]),
        {"text": "How will you recruit locally?", "guidance": "", "word_limit": "300"},
    )
    question = procurement.questions.get()
    assert question.word_limit == 300
    client.post(reverse("commissioning:question-remove", args=[procurement.pk, question.pk]))
    assert not procurement.questions.exists()
