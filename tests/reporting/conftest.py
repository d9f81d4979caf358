from __future__ import annotations

import pytest

from tests.reporting.builders import Programme, build_programme


@pytest.fixture
def programme(world, council_admin, council_officer, contract_manager, supplier_user) -> Programme:
    return build_programme(
        world,
        admin=council_admin,
        officer=council_officer,
        manager=contract_manager,
        supplier_user=supplier_user,
    )


@pytest.fixture
def records(world, council_admin, council_officer):
    """One of each of the programme's records, and a published report, with no contracts."""
    from datetime import date

    from commonweal.reporting import services

    council = world.council
    services.settings_update(council=council, by=council_admin, policy_adopted_on=date(2024, 10, 1))
    decision = services.decision_create(
        council=council,
        meeting="Cabinet",
        decided_on=date(2025, 1, 20),
        report_title="Social Value Policy: first year progress",
        by=council_officer,
    )
    recommendation = services.recommendation_add(
        decision=decision, label="a", text="Note the progress", by=council_officer
    )
    action = services.action_create(
        council=council,
        recommendation=recommendation,
        title="Publish the year one figures",
        owner=council_officer,
        due_on=date(2025, 6, 30),
        by=council_officer,
    )
    event = services.event_create(
        council=council,
        title="Community Wealth Building workshop",
        held_on=date(2025, 7, 15),
        attendance=30,
        organisations="Rotherham College\nRotherham Hospital",
        outcomes="Agreed to map anchor spend",
        by=council_officer,
    )
    event_action = services.action_create(
        council=council,
        event=event,
        title="Map anchor spend",
        owner=council_officer,
        due_on=date(2025, 12, 31),
        by=council_officer,
    )
    engagement = services.engagement_create(
        council=council, body="CLES Centre of Excellence", by=council_officer
    )
    report = services.report_start(council=council, year="2025-26", by=council_admin)
    version = services.report_publish(report=report, by=council_admin)
    evidence = services.evidence_link(
        action=action, kind="event", record_id=str(event.pk), by=council_officer
    )
    return {
        "decision": decision,
        "recommendation": recommendation,
        "action": action,
        "event": event,
        "event_action": event_action,
        "engagement": engagement,
        "report": report,
        "version": version,
        "evidence": evidence,
    }
