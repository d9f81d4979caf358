"""Email through GOV.UK Notify, as UK public services send it.

Notify sends only from templates its service owner made, so Commonweal uses one email template
whose subject is ``((subject))`` and whose body is ``((body))``; every message the product sends
(invitations, reminders, queries, password resets…) fills those two from Django's message.
Choose it with ``EMAIL_BACKEND=commonweal.core.notify.NotifyEmailBackend`` and set
``COMMONWEAL_NOTIFY_API_KEY`` and ``COMMONWEAL_NOTIFY_TEMPLATE_ID``; SMTP stays the default.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

logger = logging.getLogger(__name__)


class NotifyEmailBackend(BaseEmailBackend):
    """Sends each recipient of each message as one Notify email notification."""

    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.client = NotificationsAPIClient(  # type: ignore[no-untyped-call]
            settings.COMMONWEAL_NOTIFY_API_KEY, base_url=settings.COMMONWEAL_NOTIFY_BASE_URL
        )

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            try:
                for address in [*message.to, *message.cc, *message.bcc]:
                    self.client.send_email_notification(  # type: ignore[no-untyped-call]
                        email_address=address,
                        template_id=settings.COMMONWEAL_NOTIFY_TEMPLATE_ID,
                        personalisation={"subject": message.subject, "body": message.body},
                        email_reply_to_id=settings.COMMONWEAL_NOTIFY_REPLY_TO_ID or None,
                    )
            except APIError:
                if not self.fail_silently:
                    raise
                logger.exception("GOV.UK Notify refused an email to %s", ", ".join(message.to))
            else:
                sent += 1
        return sent
