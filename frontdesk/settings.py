"""Frontdesk settings: every value comes from the environment (see README)."""

from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from frontdesk import secret_key
from frontdesk.env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_proxy_ssl_header,
    env_seconds,
    env_str,
    env_url,
)

# Lets the admin classes be subscripted at runtime (ModelAdmin[Ticket]) as the
# type checker needs them to be; it must run before any admin module is imported.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
# Importing the settings writes nothing: the folder is made by what first
# writes into it (`frontdesk run`, the SQLite backend, the worker queue).
DATA_DIR = Path(env_str("FRONTDESK_DATA_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Django's admin on the site of frontdesk/admin_site.py (two-step sign-in).
    "frontdesk.apps.FrontdeskAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "template_partials",
    "huey.contrib.djhuey",
    # Two-factor sign-in: authenticator apps (TOTP) and recovery codes (accounts/two_factor.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "frontdesk",
    "accounts",
    "tickets",
    "search",
    "mail",
    "panel",
    "portal",
    "kb",
    # The REST API (S38); "ninja" serves its documentation's scripts as static files.
    "ninja",
    "api",
    "spelling",
    # Webhooks (S38): deliveries of ticket events to registered URLs.
    "webhooks",
    # PGP-protected information (S35): the help desk's keys, decryption on request.
    "crypto",
    # Notifications of staff (S41) and who else is on a ticket's page (S42).
    "notifications",
    # Canned replies and macros of the answer form.
    "canned",
    # Reports (issue 15): figures kept current from the domain signals, charts, ratings.
    "reports",
    # Service levels (issue 15): calendars, policies and the tickets' due times.
    "sla",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language of the cookie the language switcher sets, else the browser's.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.otp_device: the device this session passed the second step with.
    "django_otp.middleware.OTPMiddleware",
    "frontdesk.middleware.no_store_when_signed_in",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.sessions.SessionTimeouts",
    # A signed-in person's own language and time zone over the browser's; the panel
    # in English (frontdesk/languages.py).
    "frontdesk.languages.PersonalLanguageAndTimeZone",
    # After the idle sign-out: a session owing its second step reaches nothing else.
    "frontdesk.second_step.SecondStepGate",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "frontdesk.urls"
WSGI_APPLICATION = "frontdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # LANGUAGE_CODE for <html lang>.
                "django.template.context_processors.i18n",
                "portal.context.portal",
            ],
        },
    },
]


#: Seconds a SQLite writer waits for the write lock before "database is locked".
SQLITE_BUSY_TIMEOUT = 60


def _database(url: str) -> dict[str, Any]:
    parsed = dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0))
    config: dict[str, Any] = dict(parsed)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Django's backend, plus the database file's folder made on connect.
        config["ENGINE"] = "frontdesk.sqlite"
        # WAL lets readers run beside the one writer; IMMEDIATE takes the write
        # lock at BEGIN so two writers queue instead of failing mid-transaction.
        # SQLite's waiters poll, the newest most often, so one that has waited
        # long can keep losing the lock to new ones under a stream of writes: a
        # long busy timeout makes that a slow request rather than an error.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": SQLITE_BUSY_TIMEOUT,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        # Tests run real concurrent transactions, which an in-memory database
        # shared between threads cannot do.
        config["TEST"] = {
            "NAME": env_str("TEST_SQLITE_NAME", str(DATA_DIR / "test-frontdesk.sqlite3"))
        }
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # libpq waits for ever for a server that takes the connection and never
        # answers (frozen, or its packets dropped): every request and mailgate
        # would hang. A connect_timeout in DATABASE_URL wins.
        config.setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 10)
        )
    return config


DATABASES = {
    "default": _database(env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'frontdesk.sqlite3'}")),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One machine, no configuration: `frontdesk run` keeps a generated key beside
# the SQLite data so sessions and signed Message-IDs survive restarts. With any
# other database every node must share one key, so only the environment counts.
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY and DATABASES["default"]["ENGINE"] == "frontdesk.sqlite":
    SECRET_KEY = secret_key.read(DATA_DIR)
# Seals the PGP private key and its passphrase at rest (crypto/sealing.py); when
# empty, a key derived from SECRET_KEY does. Changing either makes the stored
# key unreadable: paste it again.
FRONTDESK_ENCRYPTION_KEY = env_str("FRONTDESK_ENCRYPTION_KEY")

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"
# Failed sign-ins per e-mail address typed, and per client address, in a
# window of seconds that is also the cooldown (frontdesk/sign_in.py).
SIGN_IN_FAILURES = env_int("SIGN_IN_FAILURES", 5)
SIGN_IN_ADDRESS_FAILURES = env_int("SIGN_IN_ADDRESS_FAILURES", 20)
SIGN_IN_WINDOW = env_int("SIGN_IN_WINDOW", 15 * 60)
# Requests a minute per API token before 429 (accounts/tokens.py); 0: no limit.
API_RATE_LIMIT = env_int("API_RATE_LIMIT", 600)
# Proxies of ours that append to X-Forwarded-For; 0 trusts only the connection.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# A session ends after this many seconds without a request, and this many
# seconds after signing in whatever happens (accounts/sessions.py).
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 8 * 3600)
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 7 * 24 * 3600)
# Where people reach this help desk: links in mail (the portal's one-time links,
# password reset, address verification) start with it, never with a request's
# Host header, which a client writes (frontdesk/public_url.py reads it at call time).
FRONTDESK_URL = env_url("FRONTDESK_URL", "http://127.0.0.1:8000")
# Days a one-time link in a mail to a customer opens its ticket (portal/links.py).
PORTAL_LINK_DAYS = env_int("PORTAL_LINK_DAYS", 30)
# Seconds a password reset link (and an invitation made with Django's token
# generator) and an address verification link work; Django's default, 3 days.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3 * 24 * 3600)
# Mail anyone may ask for without signing in (password reset, registration, a
# fresh link): per e-mail address typed, and per client address, in a window
# of seconds that is also the cooldown (portal/identity_forms.py).
PORTAL_MAIL_REQUESTS = env_int("PORTAL_MAIL_REQUESTS", 3)
PORTAL_MAIL_ADDRESS_REQUESTS = env_int("PORTAL_MAIL_ADDRESS_REQUESTS", 20)
PORTAL_MAIL_WINDOW = env_int("PORTAL_MAIL_WINDOW", 3600)
# Two-factor sign-in (django-otp): the name authenticator apps show beside the address.
OTP_TOTP_ISSUER = "Frontdesk"
# Wrong codes are limited by accounts/throttle.py like passwords (frontdesk/sign_in.py),
# which says how long to wait; django-otp's own per-device delay would refuse a right
# code after a typo without saying why.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

# The portal, the knowledge base, the sign-in page and mail to customers speak
# these (accounts/models.py LANGUAGE_CHOICES holds the same); English is the
# fallback and the panel's language. Each app's catalogue is in its locale/.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("de", "Deutsch"), ("ru", "Русский")]
# The switcher's choice, for visitors too; like the session's cookie over HTTPS.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# The help desk's time zone: people who chose none of their own see times in it.
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Filled (and created) by collectstatic in `frontdesk run`.
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
# Several machines need one media store (README, "Several machines"): an
# S3-compatible bucket, or a MEDIA_ROOT that every machine mounts. `serve`,
# `worker` and `run` refuse a local one on a node told it is one of several.
FRONTDESK_NODES = env_choice("FRONTDESK_NODES", ("one", "several"), "one")
MEDIA_ROOT_SHARED = env_bool("MEDIA_ROOT_SHARED", False)
_MEDIA_S3_OPTIONS = {
    "endpoint_url": "MEDIA_S3_ENDPOINT_URL",
    "region_name": "MEDIA_S3_REGION",
    "access_key": "MEDIA_S3_ACCESS_KEY_ID",
    "secret_key": "MEDIA_S3_SECRET_ACCESS_KEY",
}


def media_storage() -> dict[str, Any]:
    """Attachments and raw mail: local files, whole or not at all, or an S3-compatible store."""
    bucket = env_str("MEDIA_S3_BUCKET")
    given = {option: env_str(name) for option, name in _MEDIA_S3_OPTIONS.items()}
    if not bucket:
        named = [name for option, name in _MEDIA_S3_OPTIONS.items() if given[option]]
        if named:
            # Without a bucket the files would silently stay on this machine.
            raise ImproperlyConfigured(f"{named[0]} is set but MEDIA_S3_BUCKET is not")
        return {"BACKEND": "frontdesk.storage.AtomicFileSystemStorage"}
    options: dict[str, Any] = {option: value for option, value in given.items() if value}
    # Unset keys leave boto3 its own search (AWS_* variables, an instance role).
    options.update(
        bucket_name=bucket,
        # Downloads go through the panel's checks, never by a link to the bucket;
        # objects are private (the bucket's own policy, no ACL of ours).
        default_acl=None,
        # Like local files: a save never replaces another file of the same name.
        file_overwrite=False,
    )
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": media_storage(),
    # Names with a hash of the content, gzip and Brotli copies beside them: WhiteNoise
    # serves those with a year-long max-age (immutable). `frontdesk serve` collects
    # them; tests that render pages use a plain storage (tests/conftest.py).
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Attachments and raw mail (and the folders storage makes for them) for
# Frontdesk's own user only; see frontdesk/private_files.py.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

SESSION_COOKIE_HTTPONLY = True
# Behind TLS (README, "Deploying behind TLS"); off for the one-machine HTTP default.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Only for a proxy that sets this header on every request and drops the one a
# client sent: otherwise anyone could claim to have come over HTTPS.
SECURE_PROXY_SSL_HEADER = env_proxy_ssl_header("SECURE_PROXY_SSL_HEADER")
# A redirect to HTTPS means cookies must never travel without it either.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", SECURE_SSL_REDIRECT)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# django-csp: on every page. Scripts, styles and images from Frontdesk's own
# static files only, nothing inline (htmx's indicator style is switched off in
# panel/base.html and lives in panel.css), no frames, no plugins, forms post
# only here. Attachment downloads keep the sandboxing policy they set
# themselves. Django's admin runs under the same policy: its pages have no
# inline script or style (tests/browser/test_admin_under_csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "support@localhost")

# Mail in and out (mail/conf.py reads these at call time).
MAIL_AUTO_RESPONSE_LIMIT = env_int("MAIL_AUTO_RESPONSE_LIMIT", 10)
MAIL_AUTO_RESPONSE_WINDOW = env_int("MAIL_AUTO_RESPONSE_WINDOW", 3600)
MAIL_OUTBOX_MAX_ATTEMPTS = env_int("MAIL_OUTBOX_MAX_ATTEMPTS", 10)
MAIL_OUTBOX_BACKOFF = env_int("MAIL_OUTBOX_BACKOFF", 60)
MAIL_OUTBOX_BACKOFF_CAP = env_int("MAIL_OUTBOX_BACKOFF_CAP", 6 * 3600)
MAIL_OUTBOX_LEASE = env_int("MAIL_OUTBOX_LEASE", 300)
# Sending that fails this many seconds with nothing sent raises a banner for administrators.
MAIL_OUTBOX_ALERT_AFTER = env_int("MAIL_OUTBOX_ALERT_AFTER", 600)
MAIL_MAILBOX_ALERT_AFTER = env_int("MAIL_MAILBOX_ALERT_AFTER", 3)
MAIL_MAILBOX_TIMEOUT = env_int("MAIL_MAILBOX_TIMEOUT", 60)
MAIL_MAX_CC = env_int("MAIL_MAX_CC", 20)
MAIL_MESSAGE_ID_DOMAIN = env_str("MAIL_MESSAGE_ID_DOMAIN")
MAIL_NEW_TICKETS_PER_SENDER = env_int("MAIL_NEW_TICKETS_PER_SENDER", 20)
MAIL_NEW_TICKETS_WINDOW = env_int("MAIL_NEW_TICKETS_WINDOW", 3600)
MAIL_TRUSTED_AUTHSERV_IDS = env_list("MAIL_TRUSTED_AUTHSERV_IDS", [])

# Webhooks (webhooks/conf.py reads these at call time): retries, and how long a
# receiver may take before an attempt counts as failed.
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 10)
WEBHOOK_BACKOFF = env_int("WEBHOOK_BACKOFF", 30)
WEBHOOK_BACKOFF_CAP = env_int("WEBHOOK_BACKOFF_CAP", 6 * 3600)
WEBHOOK_LEASE = env_int("WEBHOOK_LEASE", 120)
WEBHOOK_CONNECT_TIMEOUT = env_int("WEBHOOK_CONNECT_TIMEOUT", 5)
WEBHOOK_READ_TIMEOUT = env_int("WEBHOOK_READ_TIMEOUT", 10)
WEBHOOK_TOTAL_TIMEOUT = env_int("WEBHOOK_TOTAL_TIMEOUT", 20)

REDIS_URL = env_str("REDIS_URL")
HUEY_IMMEDIATE = env_bool("HUEY_IMMEDIATE", False)
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": env_str("HUEY_NAME", "frontdesk"),
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": env_int("HUEY_WORKERS", 2), "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "frontdesk.sqlite.queue.SqliteHuey",
        "name": "frontdesk",
        "filename": str(DATA_DIR / "huey.sqlite3"),
        # As long as the main database waits for its write lock (web and workers share it).
        "timeout": SQLITE_BUSY_TIMEOUT,
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": env_int("HUEY_WORKERS", 2), "worker_type": "thread"},
    }

# Tickets a mass action changes per transaction (tickets/mass.py, read at call time).
# Larger batches commit less often; on SQLite a batch holds the write lock while
# it runs, and people's changes wait for it.
MASS_ACTION_BATCH = env_int("MASS_ACTION_BATCH", 200)

# Periodic jobs (frontdesk/jobs.py): seconds between runs, and how long a run
# holds its lock, by job name; only the jobs named change (see README).
JOB_INTERVALS = env_seconds("JOB_INTERVALS")
JOB_TIMEOUTS = env_seconds("JOB_TIMEOUTS")

# Shared by every web process, as the sign-in limits need: Redis when there is
# one; otherwise a table in the database (made by a migration), which every
# process and machine on that database sees and whose primary key makes
# cache.add atomic. Django's default, memory per process, counts per worker.
if REDIS_URL:
    CACHES: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("HUEY_NAME", "frontdesk"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "frontdesk_cache",
            # Culling drops entries once there are more; keep it out of reach.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "[{asctime}] {levelname} {name}: {message}", "style": "{"}},
    # A 403 or 404 is one line with its reason, never a traceback (frontdesk/errors.py).
    "filters": {"one_line_refusals": {"()": "frontdesk.errors.OneLineRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # A handler of its own stops the huey consumer from adding a second one.
        "huey": {"handlers": ["console"], "propagate": False},
        "django.request": {"filters": ["one_line_refusals"]},
    },
}
