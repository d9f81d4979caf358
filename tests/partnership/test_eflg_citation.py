"""A charter pledge cited as Equality Framework evidence: chosen from the pledges the council may
see (through partnership's access helpers), shown on the self-assessment, in the Word export and
the API, and marked when the pledge is withdrawn. The citation lives in partnership, a floor
above fair work, so fair work never imports it."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document

from commonweal.fairwork import services as fair_work
from commonweal.fairwork.models import EflgEvidence, EvidenceKind
from commonweal.partnership import services
from commonweal.partnership.models import PledgeCitation, Sector
from tests.partnership.conftest import new_partner, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(world, council_officer):
    criterion = fair_work.criterion_add(
        council=world.council,
        module="leadership",
        reference="2.1",
        text="We work with partners on shared equality goals",
        by=council_officer,
    )
    return fair_work.assessment_add(
        criterion=criterion,
        level="achieving",
        narrative="The partnership charter commits partners to local recruitment",
        owner="Head of policy",
        assessed_on=date(2025, 10, 1),
        by=council_officer,
        today=date(2025, 10, 1),
    )


@pytest.fixture
def sheffield_pledge(charter, other_council_officer):
    """A pledge under the other council's charter, which Rotherham may not see."""
    signatory = sign(
        charter.other,
        new_partner("Sheffield Teaching Hospitals"),
        Sector.NHS,
        by=other_council_officer,
        email="chief@sth.test",
    )
    principle = charter.other.charter_versions.get().principles.get(title="Buy local")
    return services.pledge_add(
        signatory=signatory,
        principle=principle,
        kind="commitment",
        commitment="Buy from Sheffield firms first",
        by=other_council_officer,
    )


def test_an_officer_cites_a_pledge_under_the_council_s_charter(
    charter, assessment, client_for, council_officer, viewer
):
    address = reverse("partnership:eflg-pledge-cite", args=[assessment.pk])
    client = client_for(council_officer)
    page = client.get(address).content.decode()
    assert "Open every contract under £25,000 to local firms first" in page
    assert "20 people of CH1 by 2024-25" in page

    response = client.post(
        address, {"pledge": charter.target.pk, "description": "The hospital's local jobs target"}
    )
    assert response.status_code == 302
    evidence = assessment.evidence.get()
    assert evidence.kind == EvidenceKind.PLEDGE
    assert PledgeCitation.objects.get(evidence=evidence).pledge == charter.target
    assert evidence.linked_record.startswith(
        f"{charter.signatory.organisation.name}'s pledge under principle 1 of the Rotherham "
        "Together Partnership charter, made 3 June 2024: 20 people of CH1 by 2024-25"
    )
    signatory_page = reverse("partnership:signatory", args=[charter.signatory.pk])
    assert evidence.linked_address == f"{signatory_page}#pledge-{charter.target.pk}"

    # The self-assessment, the Word export and the API show it, to anyone who may read them.
    reader = client_for(viewer)
    criterion = reader.get(reverse("fairwork:eflg-criterion", args=[assessment.criterion_id]))
    text = criterion.content.decode()
    assert "A pledge made under a charter" in text
    assert f'href="{evidence.linked_address}"' in text
    assert f'id="pledge-{charter.target.pk}"' in reader.get(signatory_page).content.decode()
    word = reader.get(reverse("fairwork:eflg-export-docx"))
    paragraphs = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert "The hospital's local jobs target (" in paragraphs
    assert "20 people of CH1 by 2024-25" in paragraphs
    api = reader.get("/api/v1/fair-work/equality").json()
    cited = [
        e
        for m in api["modules"]
        for c in m["criteria"]
        for e in c["evidence"]
        if e["kind"] == "pledge"
    ]
    assert cited == [
        {
            "kind": "pledge",
            "description": "The hospital's local jobs target",
            "commitment_id": None,
            "figure_label": None,
            "figure": None,
            "withheld": False,
            "url": "",
            "linked_record": evidence.linked_record,
            "linked_address": evidence.linked_address,
            "document": "",
        }
    ]


def test_the_evidence_page_points_to_the_pledges(assessment, client_for, council_officer):
    page = client_for(council_officer).get(
        reverse("fairwork:eflg-evidence-add", args=[assessment.pk])
    )
    text = page.content.decode()
    assert reverse("partnership:eflg-pledge-cite", args=[assessment.pk]) in text
    assert 'value="pledge"' not in text  # cited from partnership's page, never typed in here


def test_a_council_with_no_pledges_is_told_how_they_appear(assessment, client_for, council_officer):
    page = client_for(council_officer).get(
        reverse("partnership:eflg-pledge-cite", args=[assessment.pk])
    )
    assert "There are no pledges to cite yet" in page.content.decode()


def test_only_pledges_the_council_may_see_are_offered_or_accepted(
    charter, sheffield_pledge, assessment, client_for, council_officer
):
    address = reverse("partnership:eflg-pledge-cite", args=[assessment.pk])
    client = client_for(council_officer)
    assert "Buy from Sheffield firms first" not in client.get(address).content.decode()
    page = client.post(address, {"pledge": sheffield_pledge.pk, "description": "Not ours"})
    assert "Select one of the pledges listed" in page.content.decode()
    with pytest.raises(ValidationError, match="Choose a current pledge your council may see"):
        services.pledge_cite(
            pledge=sheffield_pledge,
            assessment=assessment,
            description="Not ours",
            by=council_officer,
        )
    assert not EflgEvidence.objects.exists() and not PledgeCitation.objects.exists()


def test_a_withdrawn_pledge_is_not_offered_and_a_cited_one_says_it_was_withdrawn(
    charter, assessment, council_officer, partner_user
):
    services.pledge_cite(
        pledge=charter.target, assessment=assessment, description="Jobs", by=council_officer
    )
    services.pledge_withdraw(pledge=charter.target, on=date(2025, 11, 3), by=partner_user)
    assert assessment.evidence.get().linked_record.endswith("(withdrawn on 3 November 2025)")
    with pytest.raises(ValidationError):
        services.pledge_cite(
            pledge=charter.target, assessment=assessment, description="Again", by=council_officer
        )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("council_officer", 200),
        ("council_admin", 200),
        ("viewer", 403),
        ("supplier_user", 404),
        ("partner_user", 404),
        ("other_council_officer", 404),
    ],
)
def test_who_may_cite_a_pledge(charter, assessment, client_for, request, persona, expected):
    """Editors of the council's self-assessment may cite; a councillor only reads it; anyone
    outside the council gets 404, on the page and when posting."""
    client = client_for(request.getfixturevalue(persona))
    address = reverse("partnership:eflg-pledge-cite", args=[assessment.pk])
    assert client.get(address).status_code == expected
    posted = client.post(address, {"pledge": charter.target.pk, "description": "Jobs"})
    assert posted.status_code == (302 if expected == 200 else expected)
    assert PledgeCitation.objects.exists() == (expected == 200)


def test_a_cited_pledge_is_kept(charter, assessment, council_officer):
    from django.db.models import ProtectedError

    services.pledge_cite(
        pledge=charter.target, assessment=assessment, description="Jobs", by=council_officer
    )
    with pytest.raises(ProtectedError):
        charter.target.delete()
    assert Decimal(charter.target.quantity) == 20
