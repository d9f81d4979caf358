"""The kinds of Commonweal record an action can point to as its evidence.

Each kind lists the council's own records of that kind (what an officer may choose from) and
says where each one is. A link is checked against that list when it is made, so an action can
only point at its own council's records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from commonweal.accounts.models import Organisation
from commonweal.commissioning.models import PolicyVersion, Procurement
from commonweal.contracts.models import Contract
from commonweal.cwb.models import AnchorNetwork, Lm3Study, SpendImportRun
from commonweal.fairwork import selectors as fair_work
from commonweal.reporting.models import Event, ReportVersion
from commonweal.tenders.models import Tender

ACCREDITATION = "living-wage-accreditation"
"""The kind naming the council's Real Living Wage accreditation journey."""

CHOICES_SHOWN = 200
"""An officer chooses from the latest records of a kind; older ones are rarely evidence."""


@dataclass(frozen=True)
class EvidenceKind:
    label: str
    records: Callable[[Organisation], list[tuple[str, str]]]
    """(record id, label) of the council's records of this kind, newest first."""
    address: Callable[[str], str]


def _policy_versions(council: Organisation) -> list[tuple[str, str]]:
    return [
        (str(v.pk), f"Policy version {v.number}: {v.change_note}"[:300])
        for v in PolicyVersion.objects.filter(council=council).order_by("-number")[:CHOICES_SHOWN]
    ]


def _procurements(council: Organisation) -> list[tuple[str, str]]:
    return [
        (str(p.pk), p.title)
        for p in Procurement.objects.filter(council=council).order_by("-created_at")[:CHOICES_SHOWN]
    ]


def _tenders(council: Organisation) -> list[tuple[str, str]]:
    return [
        (str(t.pk), f"{t.reference} {t.procurement.title}")
        for t in Tender.objects.filter(council=council)
        .select_related("procurement")
        .order_by("-issued_at")[:CHOICES_SHOWN]
    ]


def _contracts(council: Organisation) -> list[tuple[str, str]]:
    return [
        (str(c.pk), f"{c.reference} {c.title}")
        for c in Contract.objects.filter(council=council).order_by("-start_date", "-pk")[
            :CHOICES_SHOWN
        ]
    ]


def _spend_imports(council: Organisation) -> list[tuple[str, str]]:
    return [
        (str(run.pk), str(run))
        for run in SpendImportRun.objects.filter(
            organisation=council, status=SpendImportRun.Status.COMPLETED
        ).order_by("-created_at")[:CHOICES_SHOWN]
    ]


def _lm3_studies(council: Organisation) -> list[tuple[str, str]]:
    return [
        (str(s.pk), f"LM3 study {s.financial_year} ({s.get_boundary_display().lower()})")
        for s in Lm3Study.objects.filter(organisation=council).order_by("-financial_year", "-pk")[
            :CHOICES_SHOWN
        ]
    ]


def _networks(council: Organisation) -> list[tuple[str, str]]:
    return [
        (str(n.pk), n.name)
        for n in AnchorNetwork.objects.filter(convener=council).order_by("name")[:CHOICES_SHOWN]
    ]


def _living_wage_accreditation(council: Organisation) -> list[tuple[str, str]]:
    journey = fair_work.accreditation_of(council)
    if journey is None:
        return []
    return [(str(journey.pk), "The council's Real Living Wage accreditation")]


def _eflg_criteria(council: Organisation) -> list[tuple[str, str]]:
    return [
        (str(c.pk), f"Equality Framework {c.reference}: {c.text}"[:300])
        for c in fair_work.criteria_of(council).order_by("module", "position")[:CHOICES_SHOWN]
    ]


def _report_versions(council: Organisation) -> list[tuple[str, str]]:
    return [
        (str(v.pk), f"Progress report {v.report.year}, version {v.number}")
        for v in ReportVersion.objects.filter(report__council=council)
        .select_related("report")
        .order_by("-published_at")[:CHOICES_SHOWN]
    ]


def _events(council: Organisation) -> list[tuple[str, str]]:
    return [
        (str(e.pk), str(e))
        for e in Event.objects.filter(council=council).order_by("-held_on")[:CHOICES_SHOWN]
    ]


def _report_version_address(pk: str) -> str:
    version = ReportVersion.objects.filter(pk=pk).values_list("report_id", "number").first()
    if version is None:
        return ""
    return reverse("reporting:report-version", args=list(version))


KINDS: dict[str, EvidenceKind] = {
    "policy-version": EvidenceKind(
        "Social value policy version", _policy_versions, lambda pk: reverse("commissioning:policy")
    ),
    "procurement": EvidenceKind(
        "Procurement", _procurements, lambda pk: reverse("commissioning:detail", args=[int(pk)])
    ),
    "tender": EvidenceKind(
        "Tender", _tenders, lambda pk: reverse("tenders:detail", args=[int(pk)])
    ),
    "contract": EvidenceKind(
        "Contract", _contracts, lambda pk: reverse("contracts:detail", args=[int(pk)])
    ),
    "spend-import": EvidenceKind(
        "Spend import", _spend_imports, lambda pk: reverse("cwb:import-detail", args=[pk])
    ),
    "lm3-study": EvidenceKind(
        "LM3 study", _lm3_studies, lambda pk: reverse("cwb:lm3-detail", args=[int(pk)])
    ),
    "anchor-network": EvidenceKind(
        "Anchor network", _networks, lambda pk: reverse("cwb:network-detail", args=[int(pk)])
    ),
    ACCREDITATION: EvidenceKind(
        "Real Living Wage accreditation",
        _living_wage_accreditation,
        lambda pk: reverse("fairwork:accreditation"),
    ),
    "eflg-criterion": EvidenceKind(
        "Equality Framework criterion",
        _eflg_criteria,
        lambda pk: reverse("fairwork:eflg-criterion", args=[int(pk)]),
    ),
    "progress-report": EvidenceKind(
        "Published progress report", _report_versions, _report_version_address
    ),
    "event": EvidenceKind("Event", _events, lambda pk: reverse("reporting:event", args=[int(pk)])),
}


def kind_choices() -> list[tuple[str, str]]:
    return [(key, kind.label) for key, kind in KINDS.items()]


def record_label(council: Organisation, kind: str, record_id: str) -> str | None:
    """The label of the council's record, or None when it is not one of the council's."""
    found = KINDS.get(kind)
    if found is None:
        return None
    return dict(found.records(council)).get(record_id)


def evidence_address(kind: str, record_id: str) -> str:
    found = KINDS.get(kind)
    return found.address(record_id) if found else ""
