"""Settings for Safeguarding.

SQLite with no configuration; PostgreSQL when DATABASE_URL is set. With DEBUG off
there is no default SECRET_KEY, and the security headers, secure cookies and HSTS
are on unless SAFEGUARDING_HTTPS=false says the site is served without TLS (the
local demo).
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.env import envbool, envchoice, envfloat, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("SAFEGUARDING_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("DEBUG", False)

MIN_SECRET_KEY_LENGTH = 50
SECRET_KEY = envstr("SECRET_KEY")
if SECRET_KEY is None:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (a long random string), "
            "or set DEBUG=true for local development only."
        )
    SECRET_KEY = "insecure-development-key-used-only-when-DEBUG-is-on"
elif not DEBUG and len(SECRET_KEY) < MIN_SECRET_KEY_LENGTH:
    # Sessions, password-reset links and two-step secrets are signed with this key.
    raise ImproperlyConfigured(
        f"SECRET_KEY is {len(SECRET_KEY)} characters long: with DEBUG off it must be at least "
        f"{MIN_SECRET_KEY_LENGTH}: a long random string, e.g. from "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000")
PARTNERSHIP_NAME = envstr("PARTNERSHIP_NAME", "Northshire Safeguarding Children Partnership")
SERVICE_NAME = "Safeguarding"

INSTALLED_APPS = [
    "safeguarding.core.admin_site.SafeguardingAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "ninja",
    "safeguarding.core",
    "safeguarding.accounts",
    "safeguarding.governance",
    "safeguarding.training",
    "safeguarding.performance",
    "safeguarding.children",
    "safeguarding.moves",
    "safeguarding.reviews",
    "safeguarding.reports",
    # The demo app is installed only by config.demo_settings (make demo) and the tests.
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "safeguarding.core.middleware.DefaultDenyMiddleware",
    "safeguarding.core.middleware.ControlCharacterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "config.jinja2.environment",
            "context_processors": ["safeguarding.core.context_processors.page"],
        },
    },
    {
        # The admin (and ninja's API docs page) keep Django templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASE_URL = envstr("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": envstr("SQLITE_PATH", str(VAR_DIR / "safeguarding.sqlite3")),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Log-in protection: lock an account after this many failures in a row, for this long.
LOGIN_MAX_FAILURES = envint("LOGIN_MAX_FAILURES", 5)
LOGIN_LOCKOUT_MINUTES = envint("LOGIN_LOCKOUT_MINUTES", 15)
# An administrator-issued code a child-data role needs to enrol an authenticator
# (docs/decisions/0001): hours it stays valid, 1 to 720.
ENROLMENT_CODE_HOURS = envint("ENROLMENT_CODE_HOURS", 72)
if not 1 <= ENROLMENT_CODE_HOURS <= 720:
    raise ImproperlyConfigured(f"ENROLMENT_CODE_HOURS={ENROLMENT_CODE_HOURS} must be between 1 and 720 hours.")
# A set-password link (an account's first, or one an administrator sends) lasts this
# many days, 1 to 14; it works once whatever the time.
PASSWORD_LINK_DAYS = envint("PASSWORD_LINK_DAYS", 3)
if not 1 <= PASSWORD_LINK_DAYS <= 14:
    raise ImproperlyConfigured(f"PASSWORD_LINK_DAYS={PASSWORD_LINK_DAYS} must be between 1 and 14 days.")
PASSWORD_RESET_TIMEOUT = PASSWORD_LINK_DAYS * 24 * 3600

# Record linkage: pairs at or above CHILDREN_LINK_FROM are the same child; pairs from
# CHILDREN_REVIEW_FROM up to it go to a practitioner to decide.
CHILDREN_LINK_FROM = envfloat("SAFEGUARDING_CHILDREN_LINK_FROM", 0.9)
CHILDREN_REVIEW_FROM = envfloat("SAFEGUARDING_CHILDREN_REVIEW_FROM", 0.5)
if not 0 < CHILDREN_REVIEW_FROM < CHILDREN_LINK_FROM < 1:
    raise ImproperlyConfigured(
        "SAFEGUARDING_CHILDREN_REVIEW_FROM must be above 0 and below SAFEGUARDING_CHILDREN_LINK_FROM, itself below 1."
    )

# A linkage run (queued or running) with no heartbeat for this many minutes is taken to be
# dead (its process or worker was killed) and marked failed, so that a new run can start.
LINKAGE_STALE_MINUTES = envint("SAFEGUARDING_LINKAGE_STALE_MINUTES", 30)
if LINKAGE_STALE_MINUTES < 1:
    raise ImproperlyConfigured("SAFEGUARDING_LINKAGE_STALE_MINUTES must be a whole number of minutes, 1 or more.")

# How many synthetic agency records about children the demo loads and links.
DEMO_CHILD_RECORDS = envint("SAFEGUARDING_DEMO_CHILD_RECORDS", 50_000)

# Published and public figures hide counts from 1 to this number less one ("fewer than 5").
SUPPRESSION_THRESHOLD = envint("SAFEGUARDING_SUPPRESSION_THRESHOLD", 5)
if SUPPRESSION_THRESHOLD < 1:
    raise ImproperlyConfigured("SAFEGUARDING_SUPPRESSION_THRESHOLD must be 1 or more.")
# The published annual report goes to the National Panel within this many days (the brief:
# 7, unconfirmed, so configurable).
REPORT_PANEL_COPY_DAYS = envint("SAFEGUARDING_REPORT_PANEL_COPY_DAYS", 7)
if REPORT_PANEL_COPY_DAYS < 0:
    raise ImproperlyConfigured("SAFEGUARDING_REPORT_PANEL_COPY_DAYS must be 0 or more.")

# The rapid review's 15 working days run from the day the partners became aware of the
# incident ("aware", the Panel's FAQ) or from the day the Panel was notified ("notified"):
# sources differ, so both dates are stored and the partnership chooses. Each review keeps
# the start it was opened with.
REVIEWS_RAPID_REVIEW_CLOCK_START = envchoice("SAFEGUARDING_RAPID_REVIEW_CLOCK_START", "aware", ("aware", "notified"))
# A CSPR's final report goes to the Panel and the Secretary of State at least this many
# working days before it is published (the brief: 7, unconfirmed, so configurable).
REVIEWS_PRE_PUBLICATION_WORKING_DAYS = envint("SAFEGUARDING_CSPR_PRE_PUBLICATION_WORKING_DAYS", 7)
if REVIEWS_PRE_PUBLICATION_WORKING_DAYS < 0:
    raise ImproperlyConfigured("SAFEGUARDING_CSPR_PRE_PUBLICATION_WORKING_DAYS must be 0 or more.")

# Sessions end after this much inactivity: every request pushes the expiry on.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Served over TLS unless told otherwise; the demo on 127.0.0.1 sets SAFEGUARDING_HTTPS=false.
HTTPS = envbool("SAFEGUARDING_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and envbool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_TLS_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Django's built-in CSP: nothing inline runs without the request's nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "media")},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

# Uploads: anything bigger is refused before it is read into memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

TASKS = {
    "default": {
        "BACKEND": envstr("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# E-mail goes through the outbox (safeguarding.core.mail) and is sent by the task worker.
# SMTP in production, configured from the environment; the console backend only for
# development (DEBUG on) and the demo. A mailer that cannot be built (no EMAIL_HOST, say)
# stops start-up through the core.E001 system check, which `check --deploy` runs too.
_smtp = "django.core.mail.backends.smtp.EmailBackend"
_email_backend = envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend" if DEBUG else _smtp)
MAILERS = {"default": {"BACKEND": _email_backend}}
if _email_backend == _smtp:
    # Lower-case names: Django 6.1 refuses the old EMAIL_* settings alongside MAILERS.
    _use_ssl = envbool("EMAIL_USE_SSL", False)
    # STARTTLS unless implicit TLS is asked for: links in these e-mails sign people in to a booking.
    _use_tls = envbool("EMAIL_USE_TLS", not _use_ssl)
    if _use_tls and _use_ssl:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL are both true: set at most one of them.")
    _port = envint("EMAIL_PORT", 465 if _use_ssl else 587 if _use_tls else 25)
    if not 0 < _port < 65536:
        raise ImproperlyConfigured(f"EMAIL_PORT={_port} is not a port number (1 to 65535).")
    _timeout = envint("EMAIL_TIMEOUT", 30)
    if _timeout < 1:
        raise ImproperlyConfigured("EMAIL_TIMEOUT must be 1 second or more.")
    MAILERS["default"]["OPTIONS"] = {
        "host": envstr("EMAIL_HOST"),
        "port": _port,
        "username": envstr("EMAIL_HOST_USER", ""),
        "password": envstr("EMAIL_HOST_PASSWORD", ""),
        "use_tls": _use_tls,
        "use_ssl": _use_ssl,
        "timeout": _timeout,
    }
# The demo's outbox (safeguarding.core.demo_outbox): sent e-mails written to a folder and
# shown to administrators on "Sent e-mails". Both variables or neither.
_outbox_backend = "safeguarding.core.demo_outbox.OutboxBackend"
DEMO_OUTBOX_DIR = envstr("DEMO_OUTBOX_DIR", "")
if _email_backend == _outbox_backend and not DEMO_OUTBOX_DIR:
    raise ImproperlyConfigured("EMAIL_BACKEND is the demo outbox: set DEMO_OUTBOX_DIR to the folder it writes to.")
if DEMO_OUTBOX_DIR and _email_backend != _outbox_backend:
    raise ImproperlyConfigured(
        f"DEMO_OUTBOX_DIR is set but EMAIL_BACKEND is not {_outbox_backend}: set both or neither."
    )
# How many times the worker tries to send an e-mail before recording it as failed.
EMAIL_MAX_ATTEMPTS = envint("EMAIL_MAX_ATTEMPTS", 5)
if EMAIL_MAX_ATTEMPTS < 1:
    raise ImproperlyConfigured("EMAIL_MAX_ATTEMPTS must be 1 or more.")
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "safeguarding@northshire.example")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}
