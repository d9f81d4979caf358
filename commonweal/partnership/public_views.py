"""Public pages (no sign-in) of a partnership that chose to publish: the charter, its
signatories and their pledges, and each of its networks' combined figures, with CSV and JSON
downloads. Anything unpublished is a 404; progress returns and figures members share by name
never appear here."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from commonweal.core.public import public
from commonweal.partnership import exports, selectors
from commonweal.partnership.models import Partnership, PartnershipNetwork


def _published(slug: str) -> Partnership:
    partnership = (
        Partnership.objects.filter(slug=slug, is_public=True).select_related("owner").first()
    )
    if partnership is None or selectors.adopted_charter(partnership) is None:
        raise Http404("No such charter")
    return partnership


@public
def charter(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _published(slug)
    version = selectors.adopted_charter(partnership)
    signatories = selectors.signed_with_pledges(partnership)
    file_format = request.GET.get("format")
    if file_format == "csv":
        return exports.csv_response(
            f"{partnership.slug}-charter-signatories.csv", exports.signatory_rows(signatories)
        )
    if file_format == "json":
        return exports.json_response(
            f"{partnership.slug}-charter.json",
            {
                **exports.charter_data(partnership, version),
                "signatories": exports.signatories_data(signatories),
            },
        )
    return render(
        request,
        "partnership/public_charter.html",
        {
            "partnership": partnership,
            "version": version,
            "principles": selectors.principles_of(version) if version else [],
            "signatories": signatories,
            "counts": selectors.charter_counts(partnership),
            "networks": selectors.networks_of(partnership),
        },
    )


@public
def network(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _published(slug)
    link = (
        PartnershipNetwork.objects.filter(partnership=partnership, network_id=pk)
        .select_related("network__convener")
        .first()
    )
    if link is None:
        raise Http404("No such network")
    view = selectors.network_view(link.network, request.GET.get("year"))
    file_format = request.GET.get("format")
    name = f"{partnership.slug}-network-{pk}-{view.financial_year or 'no-year'}"
    if file_format == "csv":
        return exports.csv_response(f"{name}.csv", exports.network_rows(view, named=False))
    if file_format == "json":
        return exports.json_response(f"{name}.json", exports.network_data(view, named=False))
    return render(
        request,
        "partnership/public_network.html",
        {"partnership": partnership, "network": link.network, "view": view},
    )
