"""A council's awarded contracts as OCDS 1.1 releases, and its Contract Performance Notices.

Only contracts appear — a contract exists once a tender is awarded (or an officer records or
imports one already let) — so a tender still open, sealed or unawarded never does. Social value
goes in ``contracts[].socialValue`` (our extension, ``extensions/social_value``); KPIs of a
Contract Performance Notice (UK9, Procurement Act 2023 s.71) in ``implementation.metrics`` (the
OCDS Metrics extension). Amounts come from stored whole pence and are written as exact decimal
numbers; committed and verified figures are separate fields, never added.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from commonweal.accounts.models import Organisation
from commonweal.contracts.models import Commitment, Contract
from commonweal.frameworks.exporting import values_withheld
from commonweal.monitoring.figures import council_figures_as_of
from commonweal.monitoring.models import DeliveryFigures, Kpi
from commonweal.tenders.models import Tender

SOCIAL_VALUE_EXTENSION_PATH = "/ocds/extensions/social-value/extension.json"
METRICS_EXTENSION_URL = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_metrics_extension/"
    "master/extension.json"
)
OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
CURRENCY = "GBP"


def _amount(pence: int | None) -> dict[str, Any] | None:
    if pence is None:
        return None
    return {"amount": Decimal(pence) / 100, "currency": CURRENCY}


def _number(quantity: Decimal | None) -> Decimal | None:
    return None if quantity is None else quantity.normalize()


def _moment(day: date) -> str:
    """A day as the first moment of it, London time, as OCDS dates are date-times."""
    return timezone.make_aware(datetime.combine(day, time.min)).isoformat()


def _end_of(day: date) -> str:
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59))).isoformat()


def ocid_for(contract: Contract) -> str:
    return f"{settings.COMMONWEAL_OCID_PREFIX}-{contract.council.gss_code}-{contract.pk}"


def organisation_party(organisation: Organisation, role: str) -> dict[str, Any]:
    """A party with its register identifiers: Companies House (GB-COH) first, the Charity
    Commission (GB-CHC) besides or instead; SME scale and VCSE status for suppliers."""
    identifiers = []
    if organisation.company_number:
        identifiers.append({"scheme": "GB-COH", "id": organisation.company_number})
    if organisation.charity_number:
        identifiers.append({"scheme": "GB-CHC", "id": organisation.charity_number})
    if identifiers:
        party_id = f"{identifiers[0]['scheme']}-{identifiers[0]['id']}"
    elif organisation.gss_code:
        party_id = f"GB-GSS-{organisation.gss_code}"
    else:
        party_id = f"commonweal-organisation-{organisation.pk}"
    party: dict[str, Any] = {
        "id": party_id,
        "name": organisation.name,
        "roles": [role],
    }
    if identifiers:
        party["identifier"] = {**identifiers[0], "legalName": organisation.name}
        if len(identifiers) > 1:
            party["additionalIdentifiers"] = identifiers[1:]
    if organisation.postcode:
        party["address"] = {"postalCode": organisation.postcode, "countryName": "United Kingdom"}
    if role == "supplier":
        details: dict[str, Any] = {"vcse": organisation.is_vcse}
        if organisation.is_sme is not None:
            details["scale"] = "sme" if organisation.is_sme else "large"
        party["details"] = details
    return party


def _commitment(
    commitment: Commitment, figures: DeliveryFigures | None, *, withheld: bool, starts: date
) -> dict[str, Any]:
    measure = commitment.measure
    years = sorted(commitment.years.all(), key=lambda y: y.contract_year)
    version = measure.version
    entry: dict[str, Any] = {
        "id": str(commitment.pk),
        "measure": {
            "id": measure.code,
            "title": measure.title,
            "unit": measure.unit,
            "framework": f"{version.framework.name} {version.year}",
        },
        "committedQuantity": _number(sum((y.quantity for y in years), Decimal(0))),
        "years": [
            {"contractYear": y.contract_year, "quantity": _number(y.quantity)} for y in years
        ],
    }
    if withheld:
        entry["valueWithheld"] = True
    elif commitment.committed_value_pence is not None:
        entry["committedValue"] = _amount(commitment.committed_value_pence)
    if figures is not None:
        delivery: dict[str, Any] = {
            "quantity": _number(figures.verified_to_date),
            # Before any period ends the figures stand from the contract's start.
            "asOf": _moment(max(figures.from_date, starts)),
        }
        if not withheld and figures.verified_pence is not None:
            delivery["value"] = _amount(figures.verified_pence)
        entry["verifiedDelivery"] = delivery
    return entry


def _tender_of(contract: Contract, tender: Tender | None) -> dict[str, Any]:
    if tender is None:  # a contract let before Commonweal, recorded or imported by an officer
        return {"id": contract.reference, "title": contract.title, "status": "complete"}
    return {
        "id": tender.reference,
        "title": tender.title,
        "status": "complete",
        "tenderPeriod": {
            "startDate": tender.issued_at.isoformat(),
            "endDate": tender.deadline.isoformat(),
        },
        "awardPeriod": {"endDate": tender.awarded_at.isoformat()} if tender.awarded_at else {},
    }


def contract_release(
    contract: Contract,
    *,
    tender: Tender | None,
    figures: dict[int, DeliveryFigures],
    published: datetime,
) -> dict[str, Any]:
    """One contract's release: tender, award and contract stages, with its social value."""
    ocid = ocid_for(contract)
    buyer = organisation_party(contract.council, "buyer")
    supplier = organisation_party(contract.supplier, "supplier")
    awarded = tender.awarded_at if tender and tender.awarded_at else contract.created_at
    period = {"startDate": _moment(contract.start_date), "endDate": _end_of(contract.end_date)}
    value = _amount(contract.value_pence)
    commitments = list(contract.commitments.all())
    social_value = {
        "priceYear": contract.price_year,
        "commitments": [
            _commitment(
                c,
                figures.get(c.pk),
                withheld=values_withheld(c.measure.version, "public"),
                starts=contract.start_date,
            )
            for c in commitments
        ],
    }
    ended = contract.end_date < timezone.localdate()
    return {
        "ocid": ocid,
        "id": f"{ocid}-{published:%Y%m%dT%H%M%S}",
        "date": published.isoformat(),
        "tag": ["tender", "award", "contract"],
        "initiationType": "tender",
        "language": "en",
        "parties": [buyer, supplier],
        "buyer": {"id": buyer["id"], "name": buyer["name"]},
        "tender": _tender_of(contract, tender),
        "awards": [
            {
                "id": f"{ocid}-award",
                "title": contract.title,
                "status": "active",
                "date": awarded.isoformat(),
                "value": value,
                "suppliers": [{"id": supplier["id"], "name": supplier["name"]}],
                "contractPeriod": period,
            }
        ],
        "contracts": [
            {
                "id": contract.reference,
                "awardID": f"{ocid}-award",
                "title": contract.title,
                "status": "terminated" if ended else "active",
                "period": period,
                "value": value,
                "socialValue": social_value,
            }
        ],
    }


def awarded_contracts(council: Organisation) -> Iterable[Contract]:
    """Every contract of the council with what its release needs, by reference."""
    return (
        Contract.objects.filter(council=council)
        .select_related("council", "supplier")
        .prefetch_related("commitments__years", "commitments__measure__version__framework")
        .order_by("reference")
    )


def _tenders_by_contract(contract_ids: list[int]) -> dict[int, Tender]:
    tenders = Tender.objects.filter(
        contract_id__in=contract_ids, awarded_at__isnull=False
    ).select_related("procurement")
    return {t.contract_id: t for t in tenders if t.contract_id is not None}


def package(
    *,
    council: Organisation,
    contracts: Iterable[Contract],
    uri: str,
    extensions: list[str],
    releases_of: Any,
) -> dict[str, Any]:
    return {
        "uri": uri,
        "version": "1.1",
        "extensions": extensions,
        "publishedDate": timezone.now().isoformat(),
        "publisher": {"name": council.name},
        "license": OGL,
        "releases": releases_of(list(contracts)),
    }


def release_package(
    council: Organisation,
    *,
    contracts: Iterable[Contract] | None = None,
    site_url: str | None = None,
    extension_urls: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The council's awarded contracts as an OCDS 1.1 release package."""
    site = (site_url or settings.SITE_URL).rstrip("/")
    urls = extension_urls or {"social_value": site + SOCIAL_VALUE_EXTENSION_PATH}
    published = timezone.now().replace(microsecond=0)
    today = timezone.localdate()

    def releases_of(chosen: list[Contract]) -> list[dict[str, Any]]:
        tenders = _tenders_by_contract([c.pk for c in chosen])
        figures = {
            row.commitment_id: row
            for row in council_figures_as_of(council.pk, today).filter(
                contract_id__in=[c.pk for c in chosen]
            )
        }
        return [
            contract_release(c, tender=tenders.get(c.pk), figures=figures, published=published)
            for c in chosen
        ]

    return package(
        council=council,
        contracts=awarded_contracts(council) if contracts is None else contracts,
        uri=f"{site}/api/v1/ocds/contracts",
        extensions=[urls["social_value"]],
        releases_of=releases_of,
    )


def performance_notice_release(contract: Contract, *, published: datetime) -> dict[str, Any]:
    """A Contract Performance Notice (UK9) for one contract, as OCDS: the parties with their
    identifiers, the contract, and each KPI with its description and latest rating as a Metrics
    extension metric under ``implementation``."""
    ocid = ocid_for(contract)
    buyer = organisation_party(contract.council, "buyer")
    supplier = organisation_party(contract.supplier, "supplier")
    metrics = []
    for kpi in Kpi.objects.filter(contract=contract).prefetch_related("assessments"):
        assessments = sorted(kpi.assessments.all(), key=lambda a: (a.period_end, a.pk))
        metric: dict[str, Any] = {"id": str(kpi.pk), "title": kpi.name}
        if kpi.description:
            metric["description"] = kpi.description
        if assessments:
            metric["observations"] = [
                {
                    "id": str(a.pk),
                    "period": {
                        "startDate": _moment(a.period_start),
                        "endDate": _end_of(a.period_end),
                    },
                    "measure": a.get_rating_display(),
                    **({"notes": a.explanation} if a.explanation else {}),
                }
                for a in assessments
            ]
        metrics.append(metric)
    implementation: dict[str, Any] = {
        "documents": [
            {
                "id": f"{ocid}-uk9-{published:%Y%m%d}",
                "documentType": "implementationNotice",
                "noticeType": "UK9",
                "title": "Contract performance notice",
                "datePublished": published.isoformat(),
            }
        ]
    }
    if metrics:
        implementation["metrics"] = metrics
    return {
        "ocid": ocid,
        "id": f"{ocid}-uk9-{published:%Y%m%dT%H%M%S}",
        "date": published.isoformat(),
        "tag": ["contractUpdate"],
        "initiationType": "tender",
        "language": "en",
        "parties": [buyer, supplier],
        "buyer": {"id": buyer["id"], "name": buyer["name"]},
        "awards": [
            {
                "id": f"{ocid}-award",
                "status": "active",
                "suppliers": [{"id": supplier["id"], "name": supplier["name"]}],
            }
        ],
        "contracts": [
            {
                "id": contract.reference,
                "awardID": f"{ocid}-award",
                "title": contract.title,
                "status": "active",
                "value": _amount(contract.value_pence),
                "period": {
                    "startDate": _moment(contract.start_date),
                    "endDate": _end_of(contract.end_date),
                },
                "implementation": implementation,
            }
        ],
    }


def performance_notice_package(
    contract: Contract, *, site_url: str | None = None, metrics_url: str | None = None
) -> dict[str, Any]:
    """One contract's Contract Performance Notice as an OCDS release package."""
    site = (site_url or settings.SITE_URL).rstrip("/")
    published = timezone.now().replace(microsecond=0)
    return package(
        council=contract.council,
        contracts=[contract],
        uri=f"{site}/api/v1/ocds/contracts/{contract.pk}/performance-notice",
        extensions=[metrics_url or METRICS_EXTENSION_URL],
        releases_of=lambda chosen: [
            performance_notice_release(c, published=published) for c in chosen
        ],
    )


def json_ready(data: Any) -> Any:
    """``data`` with every Decimal as a plain JSON number: whole ones as integers, others as
    floats, whose shortest form prints the same digits (pounds and pence, quantities to 4
    places), so the published text is exact."""
    if isinstance(data, Decimal):
        return int(data) if data == data.to_integral_value() else float(data)
    if isinstance(data, dict):
        return {key: json_ready(value) for key, value in data.items()}
    if isinstance(data, list):
        return [json_ready(value) for value in data]
    return data
