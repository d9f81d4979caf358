"""On a laptop, email is printed as a person reads it: recipient, subject and text."""

from __future__ import annotations

import io

from django.core.mail import EmailMessage

from commonweal.core.mail import ReadableConsoleBackend


def test_a_message_is_printed_with_its_recipient_subject_and_text_only():
    stream = io.StringIO()
    message = EmailMessage(
        subject="Rotherham Metropolitan Borough Council: how much of our payments do you spend locally?",
        body="Answer here: http://127.0.0.1:8765/local-economy/survey/abc/\n",
        to=["accounts@donvalley.demo"],
    )
    assert ReadableConsoleBackend(stream=stream).send_messages([message]) == 1
    printed = stream.getvalue()
    assert printed.startswith("── Email to accounts@donvalley.demo ─")
    # The subject stays on one line (Django's console backend folds long headers).
    assert (
        "Subject: Rotherham Metropolitan Borough Council: how much of our payments do you spend locally?\n"
        in printed
    )
    assert "Answer here: http://127.0.0.1:8765/local-economy/survey/abc/\n" in printed
    assert "Content-Type" not in printed and "MIME-Version" not in printed
