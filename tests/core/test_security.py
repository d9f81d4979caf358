from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _run_django(
    env_extra: dict[str, str], *args: str, cwd: Path
) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTEST_VERSION", "DATABASE_URL", "COMMONWEAL_ENV")
    }
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-m", "commonweal.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_page_sends_a_content_security_policy_with_a_nonce():
    response = Client().get("/sign-in/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "default-src 'self'" in policy
    nonce = policy.split("'nonce-", 1)[1].split("'", 1)[0]
    assert f'nonce="{nonce}"' in response.content.decode()
    assert "unsafe-inline" not in policy


def test_nonces_differ_between_responses():
    first = Client().get("/sign-in/")["Content-Security-Policy"]
    second = Client().get("/sign-in/")["Content-Security-Policy"]
    assert first != second


def test_security_headers_are_present():
    response = Client().get("/sign-in/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_production_settings_pass_djangos_deployment_checks(tmp_path):
    result = _run_django(
        {
            "COMMONWEAL_ENV": "production",
            "SECRET_KEY": "x" * 20 + "-production-secret-key-for-checks-" + "y" * 20,
            "ALLOWED_HOSTS": "commonweal.example.gov.uk",
            "COMMONWEAL_SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_sets_secure_cookies_and_hsts(tmp_path):
    result = _run_django(
        {
            "COMMONWEAL_ENV": "production",
            "SECRET_KEY": "s" * 60,
            "ALLOWED_HOSTS": "commonweal.example.gov.uk",
            "COMMONWEAL_SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        },
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0, s.DEBUG)",
        cwd=tmp_path,
    )
    assert result.stdout.split()[-5:] == ["True", "True", "True", "True", "False"], result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"COMMONWEAL_ENV": "staging"}, "COMMONWEAL_ENV must be one of"),
        ({"COMMONWEAL_ENV": "production", "SECRET_KEY": "s" * 60}, "ALLOWED_HOSTS must name"),
        ({"COMMONWEAL_ENV": "development", "DEBUG": "perhaps"}, "DEBUG must be true or false"),
        ({"COMMONWEAL_ENV": "development", "SECRET_KEY": "short"}, "at least 50 characters"),
        ({"COMMONWEAL_ENV": "development", "DATABASE_URL": "mysql://x/y"}, "DATABASE_URL must be"),
        (
            {"COMMONWEAL_ENV": "development", "COMMONWEAL_SIGN_IN_MAX_FAILURES": "five"},
            "must be a whole number",
        ),
        (
            {"COMMONWEAL_ENV": "development", "COMMONWEAL_SHARED_CACHE_URL": "memcached://x"},
            "COMMONWEAL_SHARED_CACHE_URL must be a redis://",
        ),
    ],
)
def test_nonsense_settings_stop_the_service_with_a_clear_message(tmp_path, env, message):
    env = {"COMMONWEAL_SQLITE_PATH": str(tmp_path / "db.sqlite3"), **env}
    result = _run_django(env, "check", cwd=tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_several_machines_share_sessions_and_pages_through_redis(tmp_path):
    result = _run_django(
        {
            "COMMONWEAL_ENV": "development",
            "COMMONWEAL_SQLITE_PATH": str(tmp_path / "db.sqlite3"),
            "COMMONWEAL_SHARED_CACHE_URL": "redis://cache.internal:6379/1",
        },
        "shell",
        "-c",
        "from django.conf import settings as s; shared = s.CACHES[s.SESSION_CACHE_ALIAS]; "
        "print(shared['BACKEND'], shared['LOCATION'])",
        cwd=tmp_path,
    )
    assert result.stdout.split()[-2:] == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://cache.internal:6379/1",
    ], result.stderr


def test_sqlite_runs_in_wal_mode_with_immediate_transactions():
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in settings.DATABASES["default"]["OPTIONS"]["init_command"]


def test_files_live_under_the_data_folder_beside_the_database(tmp_path):
    result = _run_django(
        {
            "COMMONWEAL_ENV": "development",
            "COMMONWEAL_SQLITE_PATH": str(tmp_path / "x" / "db.sqlite3"),
        },
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.DATA_DIR)",
        cwd=tmp_path,
    )
    assert result.stdout.strip().splitlines()[-1] == str((tmp_path / "x" / "data").resolve())
