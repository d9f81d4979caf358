"""Council social value policy: defaults, versions on every change, who may change it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from commonweal.commissioning import services
from commonweal.commissioning.models import PolicyVersion
from tests.commissioning.builders import planned_procurement

pytestmark = pytest.mark.django_db

POLICY_FORM = {
    "social_value_required_from": "100000",
    "social_value_quantitative_percent": "10",
    "social_value_qualitative_percent": "10",
    "below_threshold_approach": "light_set",
    "below_threshold_percent": "10",
    "max_measures": "6",
    "max_measures_below_threshold": "3",
    "require_employment_and_skills": "on",
    "scoring_method": "relative_to_best",
    "target_pence_per_pound": "25",
    "full_marks_at_percent": "20",
    "descriptor_scale": "percentages",
    "threshold_supplies_services": "207720",
    "threshold_works": "5193000",
    "threshold_light_touch": "663540",
    "thresholds_in_force_from_day": "1",
    "thresholds_in_force_from_month": "1",
    "thresholds_in_force_from_year": "2026",
    "kpi_rule_from": "5000000",
    "offer_warning_percent": "30",
    "implausible_offer_percent": "100",
    "measure_share_percent": "50",
    "annual_cost_per_fte": "",
    "sign_off_people": "2",
    "change_note": "Adopted the 2026 policy",
}


def test_the_default_policy_asks_for_20_percent_split_10_and_10_from_100k(world):
    policy = services.policy_ensure(council=world.council, by=None)
    assert policy.number == 1
    assert policy.social_value_required_from_pence == 10_000_000  # £100,000
    assert policy.social_value_quantitative_percent == Decimal(10)
    assert policy.social_value_qualitative_percent == Decimal(10)
    # 10% + 10% = 20% of the total score
    assert policy.social_value_percent == Decimal(20)
    assert policy.max_measures == 6
    assert policy.require_employment_and_skills is True


def test_it_carries_the_procurement_act_thresholds_from_1_january_2026(world):
    policy = services.policy_ensure(council=world.council, by=None)
    assert policy.threshold_supplies_services_pence == 20_772_000  # £207,720
    assert policy.threshold_works_pence == 519_300_000  # £5,193,000
    assert policy.threshold_light_touch_pence == 66_354_000  # £663,540
    assert policy.kpi_rule_from_pence == 500_000_000  # £5m
    assert str(policy.thresholds_in_force_from) == "2026-01-01"


def test_every_change_makes_a_new_audited_version_and_keeps_the_old(
    world, client_for, council_admin
):
    client = client_for(council_admin)
    response = client.post(reverse("commissioning:policy-edit"), POLICY_FORM)
    assert response.status_code == 302
    changed = {**POLICY_FORM, "max_measures": "5", "change_note": "Fewer measures, as Bradford"}
    client.post(reverse("commissioning:policy-edit"), changed)
    versions = list(PolicyVersion.objects.filter(council=world.council).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert [v.max_measures for v in versions] == [6, 5]
    assert versions[1].created_by == council_admin
    entries = LogEntry.objects.get_for_model(PolicyVersion).filter(actor=council_admin)
    assert entries.count() == 2
    page = client.get(reverse("commissioning:policy")).content.decode()
    assert "Version 2 is in force" in page
    assert "Fewer measures, as Bradford" in page


def test_weightings_above_100_percent_are_refused(world, client_for, council_admin):
    bad = {
        **POLICY_FORM,
        "social_value_quantitative_percent": "60",
        "social_value_qualitative_percent": "50",
    }
    response = client_for(council_admin).post(reverse("commissioning:policy-edit"), bad)
    assert response.status_code == 200
    assert "must add up to 100% or less" in response.content.decode()
    assert not PolicyVersion.objects.exists()


def test_only_the_council_admin_may_change_the_policy_others_may_read_it(
    world, client_for, council_officer, evaluator, contract_manager, viewer
):
    for person in (council_officer, evaluator, contract_manager, viewer):
        client = client_for(person)
        assert client.get(reverse("commissioning:policy")).status_code == 200
        assert client.get(reverse("commissioning:policy-edit")).status_code == 403
        assert client.post(reverse("commissioning:policy-edit"), POLICY_FORM).status_code == 403
    assert not PolicyVersion.objects.exists()


def test_suppliers_and_partners_get_404_for_the_policy(
    world, client_for, supplier_user, partner_user
):
    for person in (supplier_user, partner_user):
        assert client_for(person).get(reverse("commissioning:policy")).status_code == 404
        assert client_for(person).get(reverse("commissioning:policy-edit")).status_code == 404


def test_another_councils_admin_edits_only_their_own_policy(
    world, client_for, other_council_officer, council_admin
):
    client_for(other_council_officer).post(reverse("commissioning:policy-edit"), POLICY_FORM)
    assert PolicyVersion.objects.get().council == world.other_council
    page = client_for(council_admin).get(reverse("commissioning:policy")).content.decode()
    assert "has not set its policy yet" in page


def test_the_procurement_page_shows_the_policy_version_it_was_planned_under(
    world, client_for, council_officer, council_admin
):
    procurement = planned_procurement(world.council, council_officer)
    client_for(council_admin).post(
        reverse("commissioning:policy-edit"), {**POLICY_FORM, "change_note": "New version"}
    )
    procurement.refresh_from_db()
    assert procurement.policy_version.number == 1
    page = client_for(council_officer).get(reverse("commissioning:detail", args=[procurement.pk]))
    assert "Social value policy version 1" in page.content.decode()


def test_the_evaluation_integrity_settings_start_from_stated_defaults(world):
    policy = services.policy_ensure(council=world.council, by=None)
    assert policy.offer_warning_percent == Decimal(30)
    assert policy.implausible_offer_percent == Decimal(100)
    assert policy.measure_share_percent == Decimal(50)
    assert policy.sign_off_people == 2
    # No sourced figure exists for the annual cost of an FTE, so none is assumed.
    assert policy.annual_cost_per_fte_pence is None


def test_a_council_sets_its_cost_per_fte_and_plausibility_bands(world, client_for, council_admin):
    client = client_for(council_admin)
    bad = {**POLICY_FORM, "offer_warning_percent": "100", "implausible_offer_percent": "100"}
    page = client.post(reverse("commissioning:policy-edit"), bad).content.decode()
    assert "must be below the % at which it is implausible" in page
    chosen = {**POLICY_FORM, "annual_cost_per_fte": "31,500", "sign_off_people": "3"}
    assert client.post(reverse("commissioning:policy-edit"), chosen).status_code == 302
    policy = PolicyVersion.objects.get()
    assert policy.annual_cost_per_fte_pence == 3_150_000 and policy.sign_off_people == 3
    page = client.get(reverse("commissioning:policy")).content.decode()
    assert "£31,500.00 a year per full-time equivalent" in page
    assert "3 people with no conflict of interest" in page
