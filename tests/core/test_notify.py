"""GOV.UK Notify as the email backend: every message the product sends goes out through
Notify's own client, here to a fake Notify endpoint on this machine that checks the signed
token and records each notification as Notify's API would receive it."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
import uuid
from datetime import date

import jwt
import pytest
from django.core.mail import send_mail
from django.test import Client
from notifications_python_client.errors import APIError

from commonweal.accounts.services import invitation_create
from commonweal.monitoring import services as monitoring_services
from tests.contracts.builders import build_contract, build_measures

pytestmark = pytest.mark.django_db

SERVICE_ID = str(uuid.uuid4())
SECRET = str(uuid.uuid4())
API_KEY = f"commonweal_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = str(uuid.uuid4())


class FakeNotify(http.server.BaseHTTPRequestHandler):
    received: list[dict] = []

    def log_message(self, *args):
        pass

    def do_POST(self):  # noqa: N802 (the standard library's name)
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        try:
            claims = jwt.decode(token, SECRET, algorithms=["HS256"])
        except jwt.InvalidTokenError:
            return self._answer(
                403, {"errors": [{"error": "AuthError", "message": "Invalid token"}]}
            )
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path != "/v2/notifications/email" or claims["iss"] != SERVICE_ID:
            return self._answer(400, {"errors": [{"error": "BadRequestError", "message": "?"}]})
        if body["email_address"].endswith("@refused.test"):
            return self._answer(
                400, {"errors": [{"error": "BadRequestError", "message": "Not a team member"}]}
            )
        self.received.append(body)
        self._answer(201, {"id": str(uuid.uuid4()), "content": {"subject": "", "body": ""}})

    def _answer(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def notify(settings):
    FakeNotify.received = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeNotify)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "commonweal.core.notify.NotifyEmailBackend"
    settings.COMMONWEAL_NOTIFY_API_KEY = API_KEY
    settings.COMMONWEAL_NOTIFY_TEMPLATE_ID = TEMPLATE_ID
    settings.COMMONWEAL_NOTIFY_BASE_URL = f"http://127.0.0.1:{server.server_port}"
    yield FakeNotify.received
    server.shutdown()
    server.server_close()


def test_an_invitation_goes_through_notify(
    notify, world, council_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _, link = invitation_create(
            organisation=world.council,
            email="new.officer@rotherham.test",
            role="viewer",
            by=council_admin,
        )
    (sent,) = notify
    assert sent["email_address"] == "new.officer@rotherham.test"
    assert sent["template_id"] == TEMPLATE_ID
    assert "invited to join Rotherham" in sent["personalisation"]["subject"]
    assert link in sent["personalisation"]["body"]


def test_a_password_reset_goes_through_notify(notify, council_officer):
    response = Client().post("/password-reset/", {"email": council_officer.email})
    assert response.status_code == 302
    (sent,) = notify
    assert sent["email_address"] == council_officer.email
    assert "/password-reset/" in sent["personalisation"]["body"]


def test_a_reminder_goes_through_notify(notify, world, contract_manager, supplier_user):
    build_contract(
        world.council,
        world.supplier,
        build_measures(world.council),
        contract_manager=contract_manager,
    )
    run = monitoring_services.reminders_send(today=date(2025, 7, 23))
    assert run.emails == 1
    (sent,) = notify
    assert sent["email_address"] == supplier_user.email
    assert "due by 30 July 2025" in sent["personalisation"]["body"]


def test_every_recipient_is_one_notification(notify):
    assert send_mail("Subject", "Body", None, ["a@example.test", "b@example.test"]) == 1
    assert [s["email_address"] for s in notify] == ["a@example.test", "b@example.test"]


def test_a_refusal_from_notify_is_raised_unless_told_to_fail_silently(notify):
    with pytest.raises(APIError):
        send_mail("Subject", "Body", None, ["someone@refused.test"])
    assert send_mail("Subject", "Body", None, ["someone@refused.test"], fail_silently=True) == 0


def test_notify_needs_its_key_and_template(tmp_path):
    """Choosing Notify without a key stops the service at start-up, naming the variable."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_VERSION", "DATABASE_URL")}
    env.update(
        COMMONWEAL_ENV="development",
        COMMONWEAL_SQLITE_PATH=str(tmp_path / "db.sqlite3"),
        EMAIL_BACKEND="commonweal.core.notify.NotifyEmailBackend",
        COMMONWEAL_NOTIFY_TEMPLATE_ID=TEMPLATE_ID,
    )
    env.pop("COMMONWEAL_NOTIFY_API_KEY", None)
    started = subprocess.run(
        [sys.executable, "-c", "import commonweal.settings"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode != 0
    assert "COMMONWEAL_NOTIFY_API_KEY must be set" in started.stderr
