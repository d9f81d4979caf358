"""One settings module, driven by the environment.

COMMONWEAL_ENV chooses the profile: ``production`` (the default outside tests), ``demo``
(the seeded local demo over plain HTTP on loopback), ``development`` or ``test`` (chosen
automatically while pytest runs). Nonsense values raise ImproperlyConfigured at start-up.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import re
import secrets
import shutil
import tempfile
from dataclasses import fields
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from commonweal.tabular.limits import Limits

BASE_DIR = Path(__file__).resolve().parent

ENVIRONMENTS = ("production", "demo", "development", "test")


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def _env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def _env_url(name: str, schemes: tuple[str, ...], described: str) -> str:
    """The address in `name` ("" when unset), which must start with one of `schemes`."""
    raw = os.environ.get(name, "")
    if raw and not raw.startswith(schemes):
        raise ImproperlyConfigured(
            f"{name} must be a {described} address, not {raw.split(':', 1)[0]!r}"
        )
    return raw


COMMONWEAL_ENV = os.environ.get("COMMONWEAL_ENV") or (
    "test" if "PYTEST_VERSION" in os.environ else "production"
)
if COMMONWEAL_ENV not in ENVIRONMENTS:
    raise ImproperlyConfigured(
        f"COMMONWEAL_ENV must be one of {', '.join(ENVIRONMENTS)}, not {COMMONWEAL_ENV!r}"
    )
PRODUCTION = COMMONWEAL_ENV == "production"
DEMO_MODE = COMMONWEAL_ENV == "demo"
TESTING = COMMONWEAL_ENV == "test"

DEBUG = _env_bool("DEBUG", COMMONWEAL_ENV == "development")
if DEBUG and PRODUCTION:
    raise ImproperlyConfigured("DEBUG cannot be on when COMMONWEAL_ENV is production")

# --- Where the service keeps its files -------------------------------------------------------

if TESTING:
    # Tests never use the checkout's var/, where a demo may be running: this process gets a
    # folder of its own (and each test its own data folder besides, see tests/conftest.py).
    _VAR = Path(tempfile.mkdtemp(prefix="commonweal-test-"))
    atexit.register(shutil.rmtree, _VAR, ignore_errors=True)
else:
    _VAR = Path.cwd() / "var"
SQLITE_PATH = Path(os.environ.get("COMMONWEAL_SQLITE_PATH", _VAR / "commonweal.sqlite3"))
DATA_DIR = Path(os.environ.get("COMMONWEAL_DATA_DIR", SQLITE_PATH.parent / "data")).resolve()


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data folder."""
    from_env = os.environ.get("SECRET_KEY", "")
    if from_env:
        if len(from_env) < 50:
            raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long")
        return from_env
    if TESTING:
        return "test-only-" + "k" * 60
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = _env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name this service's host names in production")

SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL must start with http:// or https://, not {SITE_URL!r}")

# --- Applications ----------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "auditlog",
    "csp",
    "commonweal.core",
    "commonweal.accounts",
    "commonweal.frameworks",
    "commonweal.commissioning",
    "commonweal.tenders",
    "commonweal.contracts",
    "commonweal.monitoring",
    "commonweal.cwb",
    "commonweal.fairwork",
    "commonweal.partnership",
    "commonweal.reporting",
    "commonweal.home",
    "commonweal.demo",
    "commonweal.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "commonweal.accounts.middleware.ActiveOrganisationMiddleware",
    "commonweal.accounts.middleware.TwoFactorRequiredMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "commonweal.urls"
WSGI_APPLICATION = "commonweal.wsgi.application"

# django-ninja's API viewer (its templates and static files) is found here rather than by listing
# "ninja" as an app: loading it as an app imports all of django-ninja and pydantic into every
# command, the API's or not. find_spec locates the package without running it.
_ninja_spec = importlib.util.find_spec("ninja")
if _ninja_spec is None or _ninja_spec.origin is None:
    raise ImproperlyConfigured("django-ninja is not installed")
NINJA_DIR = Path(_ninja_spec.origin).parent

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates", NINJA_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "commonweal.core.context_processors.service",
                "commonweal.accounts.context_processors.navigation",
            ],
        },
    }
]
FORM_RENDERER = "commonweal.core.forms.GovukFormRenderer"

# --- Database --------------------------------------------------------------------------------

DATABASE_URL = _env_url(
    "DATABASE_URL", ("postgres://", "postgresql://", "sqlite://"), "postgres:// or sqlite://"
)
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            # Kept open between requests, as for PostgreSQL: opening one (its PRAGMAs, closing
            # the WAL) took about 10 ms of CPU, as much as a whole page kept in the cache.
            "CONN_MAX_AGE": 60,
            "OPTIONS": {
                # IMMEDIATE avoids "database is locked" upgrades when the worker and the web
                # process write at once; WAL lets readers carry on during a write.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Files: evidence, datasets ---------------------------------------------------------------

S3_BUCKET = os.environ.get("COMMONWEAL_S3_BUCKET", "")
if S3_BUCKET:
    _file_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("COMMONWEAL_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("COMMONWEAL_S3_REGION") or None,
            "access_key": os.environ.get("COMMONWEAL_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("COMMONWEAL_S3_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _file_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "files", "base_url": None},
    }
STORAGES = {
    "default": _file_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Nothing is served from here: evidence files go out only through access-checked views.
MEDIA_URL = "/media/"
STATIC_URL = "/static/"
# collectstatic gathers assets here for production; elsewhere they are served from source.
STATIC_ROOT = (
    Path(os.environ.get("COMMONWEAL_STATIC_ROOT", DATA_DIR.parent / "static"))
    if PRODUCTION
    else None
)
STATICFILES_DIRS = [BASE_DIR / "static", NINJA_DIR / "static"]
# Outside production the assets are served straight from the source folders.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
COMMONWEAL_EVIDENCE_MAX_BYTES = _env_int("COMMONWEAL_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
# A clamd Unix socket; when set, every evidence file is scanned before it is stored.
COMMONWEAL_CLAMD_SOCKET = os.environ.get("COMMONWEAL_CLAMD_SOCKET", "")


def _upload_limits() -> Limits:
    """The most an uploaded table may hold: one setting per limit, named in ``Limits``."""
    try:
        return Limits(
            **{
                limit.name: _env_int(limit.metadata["setting"], getattr(Limits(), limit.name))
                for limit in fields(Limits)
            }
        )
    except ValueError as problem:
        raise ImproperlyConfigured(str(problem)) from None


# Every uploaded table (spend, creditor, framework, deflator, contracts and offer files) is
# read within these limits, checked before the file is parsed; see commonweal/tabular/limits.py.
COMMONWEAL_UPLOAD_LIMITS = _upload_limits()
# A CSV file up to this size is read while the person waits; a larger one, and every workbook,
# is read by a background job while the person watches its progress page.
COMMONWEAL_UPLOAD_BACKGROUND_BYTES = _env_int("COMMONWEAL_UPLOAD_BACKGROUND_BYTES", 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000

# --- Caches ----------------------------------------------------------------------------------

# Entries are keyed by what they rest on (change counters), so a cache never has to be emptied
# when data changes. "shared" is shared by every server process: contract pages laid out once
# (or ahead of time, by `commonweal monitoring prepare-pages`) serve every process, and sessions
# are read from it rather than the database on every request. On one machine it is a folder of
# files; on several it must be a Redis server they all use, or a sign-out on one machine would
# not reach a session another still holds.
SHARED_CACHE_URL = _env_url(
    "COMMONWEAL_SHARED_CACHE_URL",
    ("redis://", "rediss://", "unix://"),
    "redis://, rediss:// or unix://",
)
if SHARED_CACHE_URL and importlib.util.find_spec("redis") is None:
    raise ImproperlyConfigured(
        "COMMONWEAL_SHARED_CACHE_URL needs the Redis client: pip install 'commonweal[redis]'"
    )
if TESTING:
    _shared_cache: dict[str, Any] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "shared",
    }
elif SHARED_CACHE_URL:
    _shared_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": SHARED_CACHE_URL,
    }
else:
    _shared_cache = {
        "BACKEND": "commonweal.core.caching.FileCache",
        "LOCATION": DATA_DIR / "cache",
        "OPTIONS": {"MAX_ENTRIES": 200_000},
    }


# Pages and figures in the shared cache are kept under the code that laid them out, so after an
# upgrade none of the old code's output is shown, and machines running the same code share them.
# The key function works out that digest at the cache's first use, not in every command.
_shared_cache["KEY_PREFIX"] = "commonweal-"
_shared_cache["KEY_FUNCTION"] = "commonweal.core.caching.code_versioned_key"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": _shared_cache,
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "shared"

# --- Accounts and sign-in --------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["commonweal.accounts.backends.MemberBackend"]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests that check hashing ask for it explicitly.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# --- Single sign-on (OpenID Connect), off unless an issuer is set --------------------------

COMMONWEAL_OIDC_ISSUER = _env_url("COMMONWEAL_OIDC_ISSUER", ("https://", "http://"), "https://")
COMMONWEAL_OIDC_GROUPS_CLAIM = os.environ.get("COMMONWEAL_OIDC_GROUPS_CLAIM", "groups")
COMMONWEAL_OIDC_ORGANISATIONS = os.environ.get("COMMONWEAL_OIDC_ORGANISATIONS", "")
OIDC_RP_CLIENT_ID = os.environ.get("COMMONWEAL_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("COMMONWEAL_OIDC_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("COMMONWEAL_OIDC_SIGN_ALGORITHM", "RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_STORE_ID_TOKEN = True  # for signing out at the provider too
OIDC_USE_PKCE = True
OIDC_AUTHENTICATE_CLASS = "commonweal.accounts.oidc.CouncilOIDCRequestView"
OIDC_CALLBACK_CLASS = "mozilla_django_oidc.views.OIDCAuthenticationCallbackView"
LOGIN_REDIRECT_URL_FAILURE = "/sign-in/?sso=refused"
OIDC_TIMEOUT = 10
# Match the id_token's key id against the provider's keys (turn off only for a provider with one
# key that names none, such as the development provider).
OIDC_VERIFY_KID = _env_bool("COMMONWEAL_OIDC_VERIFY_KID", True)


def _sso_organisations() -> list[Any]:
    from commonweal.accounts.sso_config import parse_organisations

    return parse_organisations(COMMONWEAL_OIDC_ORGANISATIONS)


COMMONWEAL_OIDC_ORGANISATION_LIST: list[Any] = []
if COMMONWEAL_OIDC_ISSUER:
    if not (OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET):
        raise ImproperlyConfigured(
            "COMMONWEAL_OIDC_CLIENT_ID and COMMONWEAL_OIDC_CLIENT_SECRET must be set with "
            "COMMONWEAL_OIDC_ISSUER"
        )
    COMMONWEAL_OIDC_ORGANISATION_LIST = _sso_organisations()
    if not COMMONWEAL_OIDC_ORGANISATION_LIST:
        raise ImproperlyConfigured(
            "COMMONWEAL_OIDC_ORGANISATIONS must name at least one organisation and its domains"
        )
    AUTHENTICATION_BACKENDS = [
        *AUTHENTICATION_BACKENDS,
        "commonweal.accounts.oidc.CouncilOIDCBackend",
    ]

SIGN_IN_MAX_FAILURES = _env_int("COMMONWEAL_SIGN_IN_MAX_FAILURES", 5)
SIGN_IN_LOCKOUT_MINUTES = _env_int("COMMONWEAL_SIGN_IN_LOCKOUT_MINUTES", 15)
# Failed sign-ins from one client address, whatever the email, before that address must wait
# (docs/adr/0008-sign-in-throttling.md): high, as a council's staff may share one address.
SIGN_IN_MAX_FAILURES_PER_ADDRESS = _env_int("COMMONWEAL_SIGN_IN_MAX_FAILURES_PER_ADDRESS", 30)
# Council admins must use a security code (or single sign-on) in production unless turned off.
REQUIRE_TWO_FACTOR_FOR_COUNCIL_ADMINS = _env_bool(
    "COMMONWEAL_REQUIRE_TWO_FACTOR_FOR_COUNCIL_ADMINS", PRODUCTION
)
INVITATION_VALID_DAYS = _env_int("COMMONWEAL_INVITATION_VALID_DAYS", 14)
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2
OTP_TOTP_ISSUER = "Commonweal"

# --- Open contracting data (OCDS) --------------------------------------------------------

# The prefix the Open Contracting Partnership registered for this publisher; ocids are
# PREFIX-<council GSS code>-<contract id>. Register one before publishing for real.
COMMONWEAL_OCID_PREFIX = os.environ.get("COMMONWEAL_OCID_PREFIX", "ocds-commonweal")
if not re.fullmatch(r"ocds-[a-z0-9]+", COMMONWEAL_OCID_PREFIX):
    raise ImproperlyConfigured(
        f"COMMONWEAL_OCID_PREFIX must be ocds- then lower-case letters or digits, like "
        f"ocds-b5fd17, not {COMMONWEAL_OCID_PREFIX!r}"
    )

# --- API -------------------------------------------------------------------------------------

COMMONWEAL_API_RATE = os.environ.get("COMMONWEAL_API_RATE", "600/min")
if not re.fullmatch(r"\d+/(s|sec|second|m|min|minute|h|hour|d|day)", COMMONWEAL_API_RATE):
    raise ImproperlyConfigured(
        f"COMMONWEAL_API_RATE must be calls per period, like 600/min, not {COMMONWEAL_API_RATE!r}"
    )

SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "commonweal.core.views.csrf_failure"

# --- Security headers ------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = _env_bool("COMMONWEAL_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = _env_bool("COMMONWEAL_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = _env_int("COMMONWEAL_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = False
# Behind a reverse proxy the client's address is the last one the proxy added to
# X-Forwarded-For (core.client.client_address), and HTTPS is what the proxy says.
BEHIND_PROXY = _env_bool("COMMONWEAL_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = ["security.W021"]  # HSTS preload is a deliberate choice per deployment

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Email -----------------------------------------------------------------------------------

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "commonweal.core.mail.ReadableConsoleBackend",
)
if TESTING:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Commonweal <no-reply@localhost>")
# GOV.UK Notify (EMAIL_BACKEND=commonweal.core.notify.NotifyEmailBackend): an API key and the
# id of an email template whose subject is ((subject)) and body ((body)).
NOTIFY_BACKEND = "commonweal.core.notify.NotifyEmailBackend"
COMMONWEAL_NOTIFY_API_KEY = os.environ.get("COMMONWEAL_NOTIFY_API_KEY", "")
COMMONWEAL_NOTIFY_TEMPLATE_ID = os.environ.get("COMMONWEAL_NOTIFY_TEMPLATE_ID", "")
COMMONWEAL_NOTIFY_REPLY_TO_ID = os.environ.get("COMMONWEAL_NOTIFY_REPLY_TO_ID", "")
COMMONWEAL_NOTIFY_BASE_URL = (
    _env_url("COMMONWEAL_NOTIFY_BASE_URL", ("https://", "http://"), "https:// or http://")
    or "https://api.notifications.service.gov.uk"
)
if EMAIL_BACKEND == NOTIFY_BACKEND:
    for _name in ("COMMONWEAL_NOTIFY_API_KEY", "COMMONWEAL_NOTIFY_TEMPLATE_ID"):
        if not globals()[_name]:
            raise ImproperlyConfigured(f"{_name} must be set to send email through GOV.UK Notify")
    # A Notify API key ends with the service id and the secret, each a UUID (36 characters).
    if len(COMMONWEAL_NOTIFY_API_KEY) < 74:
        raise ImproperlyConfigured(
            "COMMONWEAL_NOTIFY_API_KEY must be a whole Notify API key (name-serviceid-secret)"
        )

# --- Background work -------------------------------------------------------------------------

TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

# --- Audit -----------------------------------------------------------------------------------

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

# --- Locale ----------------------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Splink's SQL generator logs every query it builds at INFO.
        "sqlglot": {"level": "WARNING"},
        "splink": {"level": "WARNING"},
    },
}
