"""Email on a laptop (the demo, development): each message printed as a person reads it."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend


class ReadableConsoleBackend(ConsoleEmailBackend):
    """Prints who a message is to, its subject and its text, without the MIME headers and
    encoded parts Django's console backend shows, so the links in it can be followed."""

    def write_message(self, message: EmailMessage) -> None:
        heading = f"Email to {', '.join(message.to)}"
        self.stream.write(f"── {heading} {'─' * max(3, 76 - len(heading))}\n")
        self.stream.write(f"Subject: {message.subject}\n\n{message.body.rstrip()}\n\n")
