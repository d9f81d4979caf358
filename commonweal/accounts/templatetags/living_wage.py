"""Show whether an employer is an accredited Real Living Wage employer, wherever it is shown.

`{% living_wage_tag organisation %}` shows it as the signed-in person's organisation sees it;
`{% living_wage_tag organisation seen_by=contract.council %}` as one council sees it (for pages
laid out once for everyone who sees them); `{% living_wage_tag_for_names name company charity %}`
for a supplier known only by the names it is paid under (the supplier register). Each page
reads the accreditations once, however many suppliers it lists.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest

from commonweal.accounts.models import Organisation
from commonweal.accounts.selectors import LivingWageIndex, LivingWageStatus, living_wage_index

register = template.Library()

TEMPLATE = "accounts/_living_wage_tag.html"


def _index(context: template.Context, seen_by: Organisation | None) -> LivingWageIndex:
    request: HttpRequest | None = context.get("request")
    if seen_by is None and request is not None:
        membership = getattr(request, "membership", None)
        seen_by = membership.organisation if membership is not None else None
    key = seen_by.pk if seen_by is not None else None
    if request is None:
        return living_wage_index(seen_by)
    kept: dict[int | None, LivingWageIndex] = getattr(request, "_living_wage_indexes", {})
    if key not in kept:
        kept[key] = living_wage_index(seen_by)
        request._living_wage_indexes = kept  # type: ignore[attr-defined]
    return kept[key]


def _shown(status: LivingWageStatus | None, as_words: bool = False) -> dict[str, Any]:
    return {"status": status, "as_words": as_words}


@register.inclusion_tag(TEMPLATE, takes_context=True)
def living_wage_tag(
    context: template.Context,
    employer: Organisation | None,
    seen_by: Organisation | None = None,
    as_words: bool = False,
) -> dict[str, Any]:
    if employer is None:
        return _shown(None, as_words)
    return _shown(_index(context, seen_by).for_employer(employer.pk), as_words)


@register.inclusion_tag(TEMPLATE, takes_context=True)
def living_wage_tag_for_names(
    context: template.Context,
    name: str,
    company_number: str = "",
    charity_number: str = "",
    as_words: bool = False,
) -> dict[str, Any]:
    status = _index(context, None).for_identity(
        name=name, company_number=company_number, charity_number=charity_number
    )
    return _shown(status, as_words)
