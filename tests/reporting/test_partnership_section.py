"""The report's partnership section: the charter's signatories and pledges at the end of year
2 beside year 1, the signatories' progress returns (self-reported and reviewed side by side,
never added) and the anchor network's combined figures only where the disclosure rule allows,
all read through the partnership app's selectors. Every figure worked out by hand from what
the `charter_world` fixture builds on top of `builders.build_programme` (report day 1 June
2026; year 2 is 2025-26, ending 31 March 2026; year 1 ended 31 March 2025)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from docx import Document

from commonweal.accounts.roles import Role
from commonweal.cwb import services as cwb_services
from commonweal.partnership import selectors as partnership_selectors
from commonweal.partnership import services as partnership
from commonweal.partnership.models import Partnership, Sector
from commonweal.reporting import services
from commonweal.reporting.document import all_figures, build_document
from commonweal.reporting.outputs import docx_bytes, public_view
from commonweal.spend_engine.analysis import DataQuality, Share, YearAnalysis, percent_of
from tests.factories import MembershipFactory, UserFactory
from tests.partnership.conftest import build_measures, build_partnership, new_partner, sign
from tests.reporting.builders import REPORT_DAY

pytestmark = pytest.mark.django_db


@dataclass
class CharterWorld:
    partnership: Partnership
    college: object
    college_user: object


def send(pledge, by, year, *, reported, on):
    progress_return = partnership.progress_return_start(
        pledge=pledge, financial_year=year, by=by, today=REPORT_DAY
    )
    partnership.progress_return_save(
        progress_return=progress_return,
        progress="on_track",
        reported_quantity=reported,
        narrative="What we did this year",
        by=by,
    )
    return partnership.progress_return_submit(progress_return=progress_return, by=by, today=on)


def accept(progress_return, by, reviewed):
    partnership.progress_return_review(
        progress_return=progress_return,
        decision="accept",
        reviewed_quantity=reviewed,
        note="",
        by=by,
    )


@pytest.fixture
def charter_world(programme, world, council_officer, partner_user, supplier_user):
    """Rotherham's partnership (charter adopted 1 April 2024):
    - the hospital (NHS) signs on 3 June 2024: a target of 20 local people employed (CH1) for
      2024-25 and a commitment in words, both made that day;
    - a business signs on 1 September 2024 with a commitment, and withdraws on 15 January 2026;
    - a college signs on 10 May 2025 with a target of 5 apprenticeships (CH2) for 2025-26.
    Returns: the hospital's 2024-25 target return, 14 reported on 20 June 2025, accepted at 12;
    the business's 2024-25 commitment return sent on 10 July 2025 (after the 30 June due date),
    accepted; the hospital's 2025-26 target return, 18 reported on 20 May 2026, not reviewed;
    the college's 2025-26 return, 4 reported on 25 May 2026, accepted at 3. The hospital's
    commitment returns for both years are not sent."""
    coordinator = council_officer
    measures = build_measures()
    owned, jobs, local = build_partnership(
        world.council, coordinator, measures, "Rotherham Together Partnership"
    )
    hospital = sign(owned, world.partner, Sector.NHS, by=coordinator, email=partner_user.email)
    hospital_target = partnership.pledge_add(
        signatory=hospital,
        principle=jobs,
        kind="target",
        measure=measures.jobs,
        quantity=Decimal(20),
        target_year=2024,
        made_on=date(2024, 6, 3),
        by=partner_user,
    )
    partnership.pledge_add(
        signatory=hospital,
        principle=local,
        kind="commitment",
        commitment="Open every contract under £25,000 to local firms first",
        made_on=date(2024, 6, 3),
        by=partner_user,
    )
    business = sign(
        owned,
        world.supplier,
        Sector.BUSINESS,
        by=coordinator,
        email=supplier_user.email,
        signed_on=date(2024, 9, 1),
    )
    business_pledge = partnership.pledge_add(
        signatory=business,
        principle=local,
        kind="commitment",
        commitment="Buy from local firms",
        made_on=date(2024, 9, 1),
        by=coordinator,
    )
    college = new_partner("Rotherham College (test)")
    college_user = UserFactory(email="dean@college.test")
    MembershipFactory(user=college_user, organisation=college, role=Role.PARTNER_CONTRIBUTOR)
    college_signatory = sign(
        owned,
        college,
        Sector.EDUCATION,
        by=coordinator,
        email=college_user.email,
        signed_on=date(2025, 5, 10),
    )
    college_target = partnership.pledge_add(
        signatory=college_signatory,
        principle=jobs,
        kind="target",
        measure=measures.apprenticeships,
        quantity=Decimal(5),
        target_year=2025,
        made_on=date(2025, 5, 10),
        by=college_user,
    )
    accept(
        send(hospital_target, partner_user, 2024, reported=Decimal(14), on=date(2025, 6, 20)),
        coordinator,
        Decimal(12),
    )
    accept(
        send(business_pledge, coordinator, 2024, reported=None, on=date(2025, 7, 10)),
        coordinator,
        None,
    )
    send(hospital_target, partner_user, 2025, reported=Decimal(18), on=date(2026, 5, 20))
    accept(
        send(college_target, college_user, 2025, reported=Decimal(4), on=date(2026, 5, 25)),
        coordinator,
        Decimal(3),
    )
    partnership.signatory_end(
        signatory=business, reason="Office closed", on=date(2026, 1, 15), by=coordinator
    )
    return CharterWorld(owned, college, college_user)


def section_of(document, owned):
    return next(s for s in document["sections"] if s["key"] == f"partnership-{owned.pk}")


def test_a_council_without_a_partnership_gets_no_partnership_section(programme):
    document = build_document(programme.council, "2025-26", today=REPORT_DAY)
    assert not any(s["key"].startswith("partnership") for s in document["sections"])


def test_the_partnership_section_matches_the_hand_working(charter_world, programme):
    document = build_document(programme.council, "2025-26", today=REPORT_DAY)
    section = section_of(document, charter_world.partnership)
    assert section["title"] == "Partnership: Rotherham Together Partnership"
    found = {item["key"]: item for item in section["figures"]}

    def pair(key):
        return (found[key]["value"], found[key]["previous"])

    # Signed at 31 March 2026: the hospital and the college (the business withdrew in January
    # 2026) = 2; at 31 March 2025: the hospital and the business = 2.
    assert pair("signatories") == (2, 2)
    # Anchors: hospital and college = 2; a year before the hospital only = 1.
    assert pair("anchors") == (2, 1)
    # Pledges standing: hospital 2 + college 1 = 3; a year before hospital 2 + business 1 = 3.
    assert pair("pledges") == (3, 3)
    # Targets: the hospital's and the college's = 2; a year before the hospital's = 1.
    assert pair("targets") == (2, 1)
    # Returns owed for 2025-26: hospital 2 + college 1 = 3 (the business withdrew during
    # 2025-26, so it owes only 2024-25). For 2024-25: hospital 2 + business 1 = 3.
    assert pair("returns-owed") == (3, 3)
    # Sent: 2025-26 the hospital's target and the college's = 2; 2024-25 the hospital's target
    # and the business's = 2. Accepted: the college's = 1; 2024-25 both = 2.
    assert pair("returns-sent") == (2, 2)
    assert pair("returns-accepted") == (1, 2)
    # Late: none in 2025-26; the business's 2024-25 return (10 July after 30 June) = 1.
    assert pair("returns-late") == (0, 1)
    # Not sent: the hospital's commitment return, each year = 1.
    assert pair("returns-not-sent") == (1, 1)
    assert found["signatories"]["link"] == (
        f"/partnerships/{charter_world.partnership.pk}/signatories/"
    )
    assert found["returns-accepted"]["link"].endswith("?year=2025&status=accepted")

    tables = {t["key"]: t for t in section["tables"]}
    by_sector = {r["cells"]["group"]: r["cells"] for r in tables["signatories-by-sector"]["rows"]}
    assert by_sector == {
        "NHS trust": {"group": "NHS trust", "count": 1, "previous": 1},
        "College or university": {"group": "College or university", "count": 1, "previous": 0},
        "Business": {"group": "Business", "count": 0, "previous": 1},
    }
    # 2025-26 by measure: CH1 no target for the year (the hospital's was for 2024-25), 18
    # self-reported, none reviewed; CH2 target 5, 4 self-reported, 3 reviewed. Never added:
    # no 22 (18 + 4 ... ) nor 7 (4 + 3) anywhere.
    progress = {r["cells"]["measure"]: r["cells"] for r in tables["pledged-progress"]["rows"]}
    assert progress["CH1 Local people employed"] == {
        "measure": "CH1 Local people employed",
        "unit": "people",
        "target": "0",
        "reported": "18",
        "reviewed": "0",
    }
    assert (
        progress["CH2 Apprenticeships started"]["target"],
        progress["CH2 Apprenticeships started"]["reported"],
        progress["CH2 Apprenticeships started"]["reviewed"],
    ) == ("5", "4", "3")
    assert [c["key"] for c in tables["pledged-progress"]["columns"]] == [
        "measure",
        "unit",
        "target",
        "reported",
        "reviewed",
    ]
    # The partnership's own selectors say the same (the section counts nothing itself).
    counts = partnership_selectors.charter_counts(
        charter_world.partnership, as_at=date(2026, 3, 31)
    )
    assert (counts.signatories, counts.pledges, counts.withdrawn) == (2, 3, 1)


@pytest.fixture
def spend(monkeypatch):
    """Each member's spend analysis by organisation pk (cwb's analyses need imported files)."""
    by_organisation: dict[int, tuple[YearAnalysis, ...]] = {}

    def member_years(organisation):
        years = by_organisation.get(organisation.pk, ())
        return years, datetime(2026, 5, 1, 12, tzinfo=UTC) if years else None

    monkeypatch.setattr(partnership_selectors, "_member_years", member_years)
    return by_organisation


def spend_year(total_pounds: int, local_pounds: int) -> YearAnalysis:
    none = Share(0, None)
    total, local = total_pounds * 100, local_pounds * 100
    share = Share(local, percent_of(local, total))
    return YearAnalysis(
        financial_year="2025-26",
        payment_count=10,
        total_pence=total,
        in_borough=share,
        in_combined_authority=share,
        in_region=share,
        in_deprived_area=none,
        with_sme=share,
        with_vcse=none,
        by_sector=(),
        by_service_area=(),
        top_suppliers=(),
        top_suppliers_share=none,
        leakage=(),
        data_quality=DataQuality(none, none, none, none, none),
    )


def test_network_totals_are_shown_only_where_the_disclosure_rule_allows(
    charter_world, programme, world, council_officer, partner_user, spend
):
    owned = charter_world.partnership
    link = partnership.network_start(
        partnership=owned, name="Rotherham Anchors", by=council_officer
    )
    for organisation, person in (
        (world.partner, partner_user),
        (charter_world.college, charter_world.college_user),
    ):
        signatory = owned.signatories.get(organisation=organisation)
        place = partnership.network_invite_signatory(
            link=link, signatory=signatory, by=council_officer
        )
        cwb_services.anchor_network_join(place=place, by=person)
    # Two members with 2025-26 spend: fewer than three contribute, so no combined figure.
    spend[world.council.pk] = (spend_year(1000, 400),)
    spend[world.partner.pk] = (spend_year(2000, 500),)
    document = build_document(programme.council, "2025-26", today=REPORT_DAY)
    tables = {t["key"]: t for t in section_of(document, owned)["tables"]}
    total = tables[f"network-{link.network.pk}-spend"]["rows"][0]["cells"]
    assert total["combined"] is None
    assert total["note"] == "Fewer than 3 members share this (2 do)"
    # The college's spend makes three: £1,000 + £2,000 + £3,000 = £6,000 combined, local
    # £400 + £500 + £600 = £1,500, 25.00% of it.
    spend[charter_world.college.pk] = (spend_year(3000, 600),)
    document = build_document(programme.council, "2025-26", today=REPORT_DAY)
    rows = section_of(document, owned)["tables"]
    rows = {t["key"]: t for t in rows}[f"network-{link.network.pk}-spend"]["rows"]
    assert (rows[0]["cells"]["combined"], rows[0]["cells"]["members"]) == (600_000, 3)
    assert (rows[1]["cells"]["combined"], rows[1]["cells"]["share"]) == (150_000, "25")
    # Jobs and apprenticeships: no member shares them (nothing is shared until a member
    # chooses), so every combined figure is withheld, with the reason.
    jobs = {t["key"]: t for t in section_of(document, owned)["tables"]}[
        f"network-{link.network.pk}-jobs"
    ]
    assert "Apprenticeships pledged for the year (apprenticeships)" in [
        r["cells"]["figure"] for r in jobs["rows"]
    ]
    for entry in jobs["rows"]:
        assert entry["cells"]["combined"] is None
        assert entry["cells"]["note"] == "Fewer than 3 members share this (0 do)"


def test_the_section_is_frozen_when_published_and_reaches_word_and_the_public(
    charter_world, programme, council_admin, council_officer
):
    report = services.report_start(council=programme.council, year="2025-26", by=council_admin)
    key = f"partnership-{charter_world.partnership.pk}"
    # Officers write words for the section like any other.
    services.report_edit(
        report=report,
        narrative={key: "The charter grew by a college."},
        recommendations="",
        by=council_admin,
    )
    version = services.report_publish(report=report, by=council_admin, today=REPORT_DAY)
    assert next(s for s in version.document["sections"] if s["key"] == key)["narrative"] == (
        "The charter grew by a college."
    )
    frozen = {k: item["value"] for k, item in all_figures(version.document)}
    assert frozen[f"{key}/signatories"] == 2
    # A new signatory after publication moves the draft, not the published version.
    late = new_partner("Late signer (test)")
    sign(
        charter_world.partnership,
        late,
        Sector.HOUSING,
        by=council_officer,
        email="late@housing.test",
        signed_on=date(2026, 2, 1),
    )
    version.refresh_from_db()
    assert {k: i["value"] for k, i in all_figures(version.document)}[f"{key}/signatories"] == 2
    draft = build_document(programme.council, "2025-26", today=REPORT_DAY)
    assert {k: i["value"] for k, i in all_figures(draft)}[f"{key}/signatories"] == 3
    public = public_view(version.document)
    section = next(s for s in public["sections"] if s["key"] == key)
    assert all(item["link"] is None for item in section["figures"])
    assert all(r["link"] is None for t in section["tables"] for r in t["rows"])
    word = Document(io.BytesIO(docx_bytes(version.document, status="published")))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert any("Rotherham Together Partnership" in h for h in headings)
