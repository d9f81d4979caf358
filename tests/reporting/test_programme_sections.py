"""The report's fair work and equality sections: drawn from the fairwork app's selectors, shown
only when the council has that programme, verified and self-declared never added together, and
worked out by hand from what each test builds on top of `builders.build_programme`."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document

from commonweal.accounts.models import AccreditationBasis
from commonweal.fairwork import services as fair_work
from commonweal.reporting import services
from commonweal.reporting.document import all_figures, build_document
from commonweal.reporting.outputs import docx_bytes, public_view
from tests.reporting.builders import REPORT_DAY

pytestmark = pytest.mark.django_db


def sections(document):
    return {s["key"]: s for s in document["sections"]}


def figures(document):
    return {key: item for key, item in all_figures(document)}


@pytest.fixture
def fair_work_programme(programme, world, council_admin):
    council = world.council
    # The council applied on 1 February 2025 (year 1) and was accredited on 1 September 2025
    # (year 2).
    for status, day in (("applying", date(2025, 2, 1)), ("accredited", date(2025, 9, 1))):
        fair_work.accreditation_event_add(
            council=council, status=status, happened_on=day, note="", by=council_admin
        )
    # The supplier of contracts A (starts 1 Apr 2024) and B (starts 1 Apr 2025) is accredited
    # from 1 January 2025, verified by the council: so B counts in year 2 and A not in year 1.
    fair_work.supplier_accreditation_record(
        council=council,
        supplier=world.supplier,
        basis=AccreditationBasis.VERIFIED,
        accredited_since=date(2025, 1, 1),
        evidence_url="https://www.livingwage.org.uk/accredited-living-wage-employers",
        evidence_note="On the Foundation's list",
        checked_on=date(2025, 1, 10),
        ended_on=None,
        by=council_admin,
    )
    # Equality: two criteria of the communities module. At 31 March 2025, Achieving and
    # Developing (module: Developing); at 31 March 2026 both Excellent (module: Excellent).
    # The other three modules have no criteria, so no level.
    first, second = (
        fair_work.criterion_add(
            council=council, module="communities", reference=ref, text=text, by=council_admin
        )
        for ref, text in (("C1", "We know our communities"), ("C2", "We involve them"))
    )
    for criterion, level, day in (
        (first, "achieving", date(2025, 1, 10)),
        (second, "developing", date(2025, 1, 10)),
        (second, "excellent", date(2025, 11, 1)),
        (first, "excellent", date(2026, 2, 1)),
    ):
        fair_work.assessment_add(
            criterion=criterion,
            level=level,
            narrative="Assessed at the equality board",
            owner="Equalities lead",
            assessed_on=day,
            by=council_admin,
            today=REPORT_DAY,
        )
    return programme


def test_a_council_without_fair_work_or_equality_gets_neither_section(programme):
    document = build_document(programme.council, "2025-26", today=REPORT_DAY)
    assert {"living-wage", "equality"}.isdisjoint(sections(document))


def test_the_real_living_wage_section_matches_the_hand_working(fair_work_programme):
    document = build_document(fair_work_programme.council, "2025-26", today=REPORT_DAY)
    found = figures(document)
    status = found["living-wage/council-accreditation"]
    assert (status["value"], status["previous"]) == ("Accredited", "Applying")
    assert found["living-wage/accredited-on"]["value"] == "2025-09-01"
    # Contracts starting: B in 2025-26, A in 2024-25; one each.
    started = found["living-wage/contracts-started"]
    assert (started["value"], started["previous"]) == (1, 1)
    # Verified: B (its supplier accredited since 1 Jan 2025); A started before then.
    verified = found["living-wage/contracts-verified"]
    assert (verified["value"], verified["previous"]) == (1, 0)
    declared = found["living-wage/contracts-declared"]
    assert (declared["value"], declared["previous"]) == (0, 0)
    # B's value is all of 2025-26's contract value: 100.0%; none of 2024-25's: 0.0%.
    share = found["living-wage/value-verified-share"]
    assert (share["value"], share["previous"]) == ("100", "0")
    assert share["link"].startswith("/fair-work/")
    # No spend has been analysed, so no spend figures.
    assert "living-wage/spend-verified" not in found


def test_the_equality_section_gives_each_module_now_and_a_year_before(fair_work_programme):
    document = build_document(fair_work_programme.council, "2025-26", today=REPORT_DAY)
    found = figures(document)
    assert (
        found["equality/modules-excellent"]["value"],
        found["equality/modules-excellent"]["previous"],
    ) == (1, 0)
    assert (
        found["equality/modules-achieving"]["value"],
        found["equality/modules-achieving"]["previous"],
    ) == (1, 0)
    table = sections(document)["equality"]["tables"][0]
    communities = table["rows"][0]
    assert communities["cells"] == {
        "module": "1. Understanding and working with your communities",
        "level": "Excellent",
        "previous": "Developing",
        "criteria": 2,
        "assessed": 2,
        "excellent": 2,
    }
    assert communities["link"] == "/equality/modules/communities/"
    assert [r["cells"]["level"] for r in table["rows"][1:]] == ["No level yet"] * 3


def test_the_sections_publish_to_word_and_the_public_without_links(
    fair_work_programme, council_admin
):
    report = services.report_start(
        council=fair_work_programme.council, year="2025-26", by=council_admin
    )
    version = services.report_publish(report=report, by=council_admin, today=REPORT_DAY)
    public = public_view(version.document)
    for key in ("living-wage", "equality"):
        section = sections(public)[key]
        assert all(item["link"] is None for item in section["figures"])
        assert all(r["link"] is None for t in section["tables"] for r in t["rows"])
    word = Document(io.BytesIO(docx_bytes(version.document, status="published")))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert any("Real Living Wage" in h for h in headings)
    assert any("Equality Framework" in h for h in headings)


def test_an_action_can_point_at_the_accreditation_and_an_equality_criterion(
    fair_work_programme, world, council_admin, other_council_officer
):
    from commonweal.fairwork.selectors import accreditation_of, criteria_of
    from commonweal.reporting.evidence import evidence_address, record_label

    council = world.council
    fair_work.accreditation_update(
        council=council, scope="Directly employed staff", renewal_due_on=None, by=council_admin
    )
    journey = accreditation_of(council)
    criterion = criteria_of(council).get(reference="C1")
    assert record_label(council, "living-wage-accreditation", str(journey.pk))
    assert record_label(council, "eflg-criterion", str(criterion.pk)).startswith(
        "Equality Framework C1"
    )
    assert evidence_address("eflg-criterion", str(criterion.pk)) == (
        f"/equality/criteria/{criterion.pk}/"
    )
    # Another council's records are not offered, so cannot be linked.
    other = world.other_council
    assert record_label(other, "eflg-criterion", str(criterion.pk)) is None
    assert record_label(other, "living-wage-accreditation", str(journey.pk)) is None


def test_the_accreditation_action_shows_the_journey_s_status_and_plan_progress(
    fair_work_programme, world, council_admin, client_for, other_council_officer
):
    from django.urls import reverse

    from commonweal.fairwork.selectors import accreditation_of
    from commonweal.reporting.services import evidence_link

    council = world.council
    fair_work.accreditation_update(
        council=council, scope="Directly employed staff", renewal_due_on=None, by=council_admin
    )
    step_done, _ = (
        fair_work.plan_step_add(
            council=council, description=words, owner="HR lead", due_on=due, by=council_admin
        )
        for words, due in (
            ("Pay review", date(2025, 3, 1)),
            ("Contractor timetable", date(2099, 1, 31)),
        )
    )
    fair_work.plan_step_update(
        step=step_done,
        description=step_done.description,
        owner=step_done.owner,
        due_on=step_done.due_on,
        status="done",
        done_on=date(2025, 2, 20),
        by=council_admin,
    )
    action = fair_work_programme.at_risk
    address = reverse("reporting:action", args=[action.pk])
    page = client_for(council_admin).get(address).content.decode()
    assert "Real Living Wage accreditation</h2>" not in page  # not linked yet
    api_address = f"/api/v1/reporting/actions/{action.pk}"
    assert client_for(council_admin).get(api_address).json()["accreditation"] is None

    evidence_link(
        action=action,
        kind="living-wage-accreditation",
        record_id=str(accreditation_of(council).pk),
        by=council_admin,
    )
    page = client_for(council_admin).get(address).content.decode()
    assert "Real Living Wage accreditation</h2>" in page
    assert "Accredited" in page and "since 1 September 2025" in page
    assert "1 of 2 steps done" in page
    assert "Next: Contractor timetable (HR lead, due 31 January 2099)" in page
    assert client_for(other_council_officer).get(address).status_code == 404
    assert client_for(council_admin).get(api_address).json()["accreditation"] == {
        "status": "accredited",
        "status_label": "Accredited",
        "since": "2025-09-01",
        "accredited_on": "2025-09-01",
        "renewal_due_on": None,
        "steps_total": 2,
        "steps_done": 1,
        "steps_overdue": 0,
        "next_step": "Contractor timetable",
        "next_step_due_on": "2099-01-31",
    }
    assert client_for(other_council_officer).get(api_address).status_code == 404
