"""Evidence uploads: type by content, size limit, safe names, downloads only as attachments and
only for people who may see the contract, and the optional virus scan."""

from __future__ import annotations

import io
import os
import socket
import struct
import tempfile
import threading
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commonweal.monitoring import services
from commonweal.monitoring.evidence import EvidenceRefused, check_upload, detect_type, safe_name
from commonweal.monitoring.models import EvidenceFile
from tests.contracts.builders import build_contract, build_measures
from tests.monitoring.helpers import decide, file_return

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
HTML_BYTES = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def office_file(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


@pytest.fixture
def draft(world, supplier_user, contract_manager):
    measures = build_measures(world.council)
    contract = build_contract(
        world.council, world.supplier, measures, contract_manager=contract_manager
    )
    return file_return(contract, "2025-26 Q1", {"RM1": "0.5"}, by=supplier_user, submit=False)


def upload(client, draft, name, content, evidence_type="payroll_extract"):
    return client.post(
        reverse("monitoring:evidence-upload", args=[draft.pk]),
        {"evidence_type": evidence_type, "file": SimpleUploadedFile(name, content), "line": ""},
    )


@pytest.mark.parametrize(
    ("content", "extension"),
    [
        (PDF_BYTES, "pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "jpg"),
        (b"name,hours\nSam,37.5\n", "csv"),
        (b"name,hours\rSam,37.5\r", "csv"),  # old Mac line ends: a stray \r is no crash
        (office_file("xl/workbook.xml"), "xlsx"),
        (office_file("word/document.xml"), "docx"),
    ],
)
def test_each_allowed_type_is_recognised_by_its_content(content, extension):
    assert detect_type(io.BytesIO(content)).extension == extension


@pytest.mark.parametrize(
    "content",
    [
        HTML_BYTES,
        b"MZ\x90\x00binary",
        office_file("other/part.xml"),
        b"just one column\n",
        b"<svg/>,x\n",
    ],
)
def test_anything_else_is_refused_by_content(content):
    with pytest.raises(EvidenceRefused):
        detect_type(io.BytesIO(content))


def test_names_are_sanitised_and_take_the_extension_of_the_real_type():
    from commonweal.monitoring.evidence import PDF

    assert safe_name("../../etc/Payroll März<script>.exe", PDF) == "Payroll Marz-script.pdf"
    assert safe_name("", PDF) == "evidence.pdf"


def test_an_html_file_renamed_pdf_is_refused(draft, client_for, supplier_user):
    page = upload(client_for(supplier_user), draft, "payroll.pdf", HTML_BYTES).content.decode()
    assert "The file&#x27;s content is not a type we accept" in page
    assert not EvidenceFile.objects.exists()


def test_an_oversize_file_is_refused(draft, client_for, supplier_user, settings):
    settings.COMMONWEAL_EVIDENCE_MAX_BYTES = 1024
    page = upload(
        client_for(supplier_user), draft, "big.pdf", PDF_BYTES + b"0" * 2048
    ).content.decode()
    assert "The file must be smaller than" in page
    assert not EvidenceFile.objects.exists()


def test_a_good_file_downloads_only_as_an_attachment_and_only_for_allowed_people(
    draft,
    client_for,
    supplier_user,
    contract_manager,
    viewer,
    other_council_officer,
    partner_user,
    world,
):
    response = upload(client_for(supplier_user), draft, "payroll June.pdf", PDF_BYTES)
    assert response.status_code == 302
    record = EvidenceFile.objects.get()
    assert record.content_type == "application/pdf"
    assert record.original_name == "payroll June.pdf"
    assert not record.file.name.endswith("payroll June.pdf")  # stored under a random name
    url = reverse("monitoring:evidence-download", args=[record.pk])
    # While the return is a draft it is the supplier's own: the council sees it once submitted.
    for person in (contract_manager, viewer):
        assert client_for(person).get(url).status_code == 404
    detail = reverse("monitoring:return-detail", args=[draft.pk])
    assert client_for(contract_manager).get(detail).status_code == 404
    services.return_submit(supplier_return=draft, by=supplier_user, today=date(2026, 1, 15))
    assert client_for(contract_manager).get(detail).status_code == 200
    for person in (supplier_user, contract_manager, viewer):
        download = client_for(person).get(url)
        assert download.status_code == 200
        assert download["Content-Disposition"].startswith("attachment;")
        assert download["X-Content-Type-Options"] == "nosniff"
        assert b"".join(download.streaming_content) == PDF_BYTES
    from commonweal.accounts.models import Organisation
    from tests.factories import MembershipFactory, UserFactory

    rival = Organisation.objects.create(kind="supplier", name="Rival Ltd")
    rival_user = UserFactory(email="rival@rival.test")
    MembershipFactory(user=rival_user, organisation=rival, role="supplier_admin")
    for person in (other_council_officer, partner_user, rival_user):
        assert client_for(person).get(url).status_code == 404


def test_only_the_supplier_uploads(
    draft, client_for, supplier_user, contract_manager, other_council_officer
):
    # The council cannot see a draft at all; once a query reopens it for evidence, it may
    # read it but not add to it.
    assert upload(client_for(contract_manager), draft, "a.pdf", PDF_BYTES).status_code == 404
    services.return_submit(supplier_return=draft, by=supplier_user, today=date(2026, 1, 15))
    decide(draft, {"RM1": ("queried", None, "Payroll please")}, by=contract_manager)
    assert upload(client_for(contract_manager), draft, "a.pdf", PDF_BYTES).status_code == 403
    assert upload(client_for(other_council_officer), draft, "a.pdf", PDF_BYTES).status_code == 404
    assert not EvidenceFile.objects.exists()


class FakeClamd:
    """A clamd stand-in on a Unix socket that answers FOUND for content containing EICAR."""

    def __init__(self, path: str) -> None:
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path)
        self.server.listen(1)
        self.thread = threading.Thread(target=self.serve_once, daemon=True)
        self.thread.start()

    def serve_once(self) -> None:
        connection, _ = self.server.accept()
        with connection:
            received = b""
            while b"zINSTREAM\0" not in received:
                received += connection.recv(64)
            body = received.split(b"zINSTREAM\0", 1)[1]
            content = b""
            while True:
                while len(body) < 4:
                    body += connection.recv(4096)
                (size,) = struct.unpack("!L", body[:4])
                body = body[4:]
                if size == 0:
                    break
                while len(body) < size:
                    body += connection.recv(4096)
                content += body[:size]
                body = body[size:]
            verdict = (
                b"stream: Eicar-Test-Signature FOUND\0" if b"EICAR" in content else b"stream: OK\0"
            )
            connection.sendall(verdict)
        self.server.close()


def test_the_virus_scan_refuses_what_clamd_flags_and_passes_the_rest(settings):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "clamd.sock")
        settings.COMMONWEAL_CLAMD_SOCKET = path
        FakeClamd(path)
        with pytest.raises(EvidenceRefused, match="virus check found a problem"):
            check_upload(io.BytesIO(PDF_BYTES + b"EICAR"), len(PDF_BYTES) + 5)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "clamd.sock")
        settings.COMMONWEAL_CLAMD_SOCKET = path
        FakeClamd(path)
        assert check_upload(io.BytesIO(PDF_BYTES), len(PDF_BYTES)).extension == "pdf"


def test_an_unreachable_virus_scanner_refuses_the_file(settings):
    settings.COMMONWEAL_CLAMD_SOCKET = "/nonexistent/clamd.sock"
    with pytest.raises(EvidenceRefused, match="could not be checked for viruses"):
        check_upload(io.BytesIO(PDF_BYTES), len(PDF_BYTES))
