from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from commonweal.accounts import services
from commonweal.accounts.models import Organisation
from commonweal.accounts.roles import OrganisationKind
from commonweal.accounts.selectors import organisation_by_reference
from commonweal.core.commands import CommonwealCommand


class Command(CommonwealCommand):
    help = "Create and list organisations (councils, combined authorities, partners, suppliers)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create an organisation and print its id")
        create.add_argument("--kind", required=True, choices=[k.value for k in OrganisationKind])
        create.add_argument("--name", required=True)
        create.add_argument(
            "--code", default="", help="ONS GSS code (councils, combined authorities)"
        )
        create.add_argument("--company-number", default="")
        create.add_argument("--charity-number", default="")
        create.add_argument(
            "--combined-authority", default="", help="GSS code of the council's combined authority"
        )
        create.add_argument("--require-two-factor", action="store_true")
        sub.add_parser("list", help="List organisations with their ids and codes")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            for org in Organisation.objects.order_by("kind", "name"):
                code = org.gss_code or org.company_number or org.charity_number or "-"
                self.stdout.write(f"{org.pk}\t{org.kind}\t{code}\t{org.name}")
            return
        combined_authority = None
        if options["combined_authority"]:
            combined_authority = organisation_by_reference(options["combined_authority"])
            if combined_authority is None:
                raise CommandError(
                    f"No combined authority with code {options['combined_authority']}"
                )
        try:
            organisation = services.organisation_create(
                by=None,
                kind=options["kind"],
                name=options["name"],
                gss_code=options["code"],
                company_number=options["company_number"],
                charity_number=options["charity_number"],
                combined_authority=combined_authority,
                require_two_factor=options["require_two_factor"],
            )
        except ValidationError as problem:
            raise CommandError(_describe(problem)) from None
        self.stdout.write(str(organisation.pk))


def _describe(problem: ValidationError) -> str:
    if hasattr(problem, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(m for e in errors for m in e.messages)}"
            for field, errors in problem.error_dict.items()
        )
    return " ".join(problem.messages)
