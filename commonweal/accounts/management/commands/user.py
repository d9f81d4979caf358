from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from commonweal.accounts import services
from commonweal.accounts.management.commands.org import _describe
from commonweal.accounts.roles import Role
from commonweal.accounts.selectors import organisation_by_reference
from commonweal.core.commands import CommonwealCommand


class Command(CommonwealCommand):
    help = "Invite people to organisations."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        invite = sub.add_parser("invite", help="Invite someone by email and print the link")
        invite.add_argument(
            "--org", required=True, help="GSS code, company or charity number, or id"
        )
        invite.add_argument("--email", required=True)
        invite.add_argument("--role", required=True, choices=[r.value for r in Role])
        invite.add_argument(
            "--no-email", action="store_true", help="Only print the link; send no email"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = organisation_by_reference(options["org"])
        if organisation is None:
            raise CommandError(f"No organisation with code or id {options['org']!r}")
        try:
            _, link = services.invitation_create(
                organisation=organisation,
                email=options["email"],
                role=options["role"],
                by=None,
                send=not options["no_email"],
            )
        except ValidationError as problem:
            raise CommandError(_describe(problem)) from None
        self.stdout.write(link)
