"""The demo's fair work and equality: what the issue asks the demo to show."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commonweal.accounts.models import LivingWageAccreditation, Organisation, User
from commonweal.contracts.models import Contract
from commonweal.demo.seed import seed_demo
from commonweal.fairwork.models import EflgEvidence, WageFinding
from commonweal.reporting.models import ActionEvidence

pytestmark = pytest.mark.django_db


def test_the_demo_shows_the_journey_accredited_suppliers_a_flagged_care_return_and_progress(
    client,
):
    seed_demo()
    council = Organisation.objects.get(gss_code="E08000018")
    client.force_login(User.objects.get(email="admin@rotherham.demo"))
    page = client.get(reverse("fairwork:accreditation")).content.decode()
    assert "1 September 2021" in page and "Accredited" in page
    records = LivingWageAccreditation.objects.all()
    # The partnership demo adds the hospital's own declaration beside the suppliers'.
    assert {(r.employer.name, r.basis) for r in records} >= {
        ("Don Valley Catering Ltd (demo)", "self_declared"),
        ("Pennine Care Services Ltd (demo)", "verified"),
    }
    (care,) = Contract.objects.filter(council=council, requires_real_living_wage=True)
    assert care.service_category == "care"
    finding = WageFinding.objects.get()
    assert finding.contract == care and finding.paid < finding.required
    findings_page = client.get(reverse("fairwork:findings")).content.decode()
    assert care.reference in findings_page and "Below the rate" in findings_page
    equality = client.get(reverse("fairwork:equality")).content.decode()
    assert "Achieving" in equality and "Developing" in equality
    assert EflgEvidence.objects.filter(kind="delivery", commitment__contract=care).exists()
    criterion = EflgEvidence.objects.filter(kind="delivery").get().assessment.criterion
    page = client.get(reverse("fairwork:eflg-criterion", args=[criterion.pk])).content.decode()
    assert "fewer than 5" in page  # the demo survey's 3 disabled care workers are withheld
    register = client.get(reverse("contracts:list")).content.decode()
    assert "Real Living Wage: verified" in register
    # Evidence linked from the partnership: the hospital's charter pledge, cited for 2.2.
    cited = EflgEvidence.objects.get(kind="pledge")
    assert cited.assessment.criterion.reference == "2.2"
    assert cited.pledge_citation.pledge.signatory.organisation.name.startswith("Rotherham Hosp")
    page = client.get(
        reverse("fairwork:eflg-criterion", args=[cited.assessment.criterion_id])
    ).content.decode()
    assert "A pledge made under a charter" in page and cited.linked_address in page
    # The Cabinet's Real Living Wage action shows the journey's status and plan progress.
    action = ActionEvidence.objects.get(kind="living-wage-accreditation").action
    page = client.get(reverse("reporting:action", args=[action.pk])).content.decode()
    assert "Real Living Wage accreditation</h2>" in page
    assert "since 1 September 2021" in page and "2 of 4 steps done" in page
