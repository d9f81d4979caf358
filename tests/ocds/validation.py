"""Validate OCDS packages with libcoveocds (the Open Contracting Partnership's own checker,
behind its Data Review Tool) with no network: the standard's schema comes from the copy
Commonweal ships, and each extension is served from this machine for the duration."""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from libcoveocds.api import ocds_json_output
from libcoveocds.config import LibCoveOCDSConfig

OCDS_DIR = Path(__file__).resolve().parents[2] / "commonweal" / "ocds"


def standard_zip() -> bytes:
    """The shipped schema folder as a ZIP shaped like the standard repository's archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("standard-1__1__5/", "")
        for path in sorted((OCDS_DIR / "standard" / "schema").rglob("*")):
            if path.is_file():
                relative = path.relative_to(OCDS_DIR / "standard")
                archive.writestr(f"standard-1__1__5/{relative}", path.read_bytes())
    return buffer.getvalue()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@contextlib.contextmanager
def extensions_served() -> Iterator[dict[str, str]]:
    """Serve the shipped extensions on 127.0.0.1; yields each extension.json's address."""
    handler = functools.partial(_Quiet, directory=str(OCDS_DIR / "extensions"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        yield {
            "social_value": f"{base}/social_value/extension.json",
            "metrics": f"{base}/metrics/extension.json",
        }
    finally:
        server.shutdown()
        server.server_close()


def validate(package: dict[str, Any], scratch: Path) -> dict[str, Any]:
    """libcoveocds' report on a release package (extensions must be reachable); the extended
    schema it writes goes in ``scratch``."""
    config = LibCoveOCDSConfig()
    config.config["context"] = "api"
    config.config["standard_zip"] = standard_zip()
    return ocds_json_output(str(scratch), json_data=package, lib_cove_ocds_config=config)


def problems(report: dict[str, Any]) -> list[str]:
    found = [str(e) for e in report.get("validation_errors", [])]
    extensions = report.get("extensions") or {}
    found += [f"extension {k}: {v}" for k, v in extensions.get("invalid_extension", {}).items()]
    if report.get("json_deref_error"):
        found.append(str(report["json_deref_error"]))
    return found
