"""Settings fail loudly: no silent defaults for secrets or booleans, and a deployment
configured for TLS passes Django's deployment checks.

Start-up is checked in a fresh interpreter with ``config.settings`` (not the test
settings), so what is tested is what a server would do.
"""

import ast
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import envbool, envint, envlist, envstr

ROOT = Path(__file__).resolve().parent.parent
# Variables the test run sets for itself; a server would not have them.
NOT_INHERITED = {
    "SECRET_KEY",
    "DEBUG",
    "DATABASE_URL",
    "SAFEGUARDING_HTTPS",
    "SECURE_SSL_REDIRECT",
    "ALLOWED_HOSTS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
}
# A production mailer: check --deploy builds it, so it needs a host (nothing is sent).
SMTP = {"EMAIL_HOST": "smtp.northshire.example"}
# Deployment warnings that depend on how the host terminates TLS, not on the app.
ALLOWED_DEPLOY_WARNINGS: frozenset[str] = frozenset()


def _environment(**env) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings", SQLITE_PATH="/tmp/safeguarding-settings.sqlite3")
    environment.update(env)
    return environment


def _python(code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=_environment(**env), capture_output=True, text=True, timeout=120
    )


def _check_deploy(**env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=_environment(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _issue_ids(output: str) -> set[str]:
    return set(re.findall(r"\(([a-z_]+\.[EWCI]\d+)\)", output))


START = "import django; django.setup()"
PRINT = "import django; django.setup(); from django.conf import settings; print({})"


# Start-up -----------------------------------------------------------------------------


def test_missing_secret_key_with_debug_off_stops_start_up_with_a_clear_message():
    result = _python(START, DEBUG="false")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_asked_for_so_a_missing_key_is_refused_by_default():
    result = _python(START)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_a_blank_secret_key_counts_as_missing():
    result = _python(START, DEBUG="false", SECRET_KEY="   ")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_a_secret_key_under_50_characters_is_refused_with_debug_off():
    result = _python(START, DEBUG="false", SECRET_KEY="k" * 49)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is 49 characters long: with DEBUG off it must be at least 50" in result.stderr
    assert _python(START, DEBUG="false", SECRET_KEY="k" * 50).returncode == 0


def test_a_short_secret_key_is_allowed_for_local_development():
    result = _python(START, DEBUG="true", SECRET_KEY="short")
    assert result.returncode == 0, result.stderr


def test_a_bad_boolean_is_refused_naming_the_variable():
    result = _python(START, DEBUG="maybe", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_a_bad_number_is_refused_naming_the_variable():
    result = _python(START, DEBUG="false", SECRET_KEY="x" * 60, LOGIN_MAX_FAILURES="ten")
    assert result.returncode != 0
    assert "LOGIN_MAX_FAILURES='ten' is not a whole number" in result.stderr


def test_debug_on_allows_a_development_key():
    result = _python(PRINT.format("settings.DEBUG, settings.SECRET_KEY.startswith('insecure')"), DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True True"


def test_sqlite_without_configuration_and_postgresql_with_database_url():
    engine = PRINT.format("settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME']")
    sqlite = _python(engine, SECRET_KEY="x" * 60)
    assert sqlite.returncode == 0, sqlite.stderr
    assert sqlite.stdout.split() == ["django.db.backends.sqlite3", "/tmp/safeguarding-settings.sqlite3"]
    postgres = _python(engine, SECRET_KEY="x" * 60, DATABASE_URL="postgres://sg:pw@db.internal:5432/safeguarding")
    assert postgres.returncode == 0, postgres.stderr
    assert postgres.stdout.split() == ["django.db.backends.postgresql", "safeguarding"]


def test_production_has_no_demo_app_and_the_demo_settings_add_it():
    """Synthetic people and children can be loaded only where the demo's settings are used."""
    code = (
        "import django; django.setup(); from django.apps import apps; "
        "from django.core.management import get_commands; "
        "print(apps.is_installed('safeguarding.demo'), 'load_demo' in get_commands())"
    )
    production = _python(code, SECRET_KEY="x" * 60)
    assert production.returncode == 0, production.stderr
    assert production.stdout.split() == ["False", "False"]
    demo = _python(code, SECRET_KEY="x" * 60, DJANGO_SETTINGS_MODULE="config.demo_settings")
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.split() == ["True", "True"]


def test_with_debug_off_tls_is_assumed():
    result = _python(
        PRINT.format("settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.SECURE_SSL_REDIRECT"),
        DEBUG="false",
        SECRET_KEY="x" * 60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True"]


# E-mail ----------------------------------------------------------------------------------

MAILER = PRINT.format("settings.MAILERS['default']")


def test_smtp_comes_from_the_environment():
    result = _python(
        MAILER,
        DEBUG="false",
        SECRET_KEY="x" * 60,
        EMAIL_HOST="smtp.northshire.example",
        EMAIL_PORT="2525",
        EMAIL_HOST_USER="safeguarding",
        EMAIL_HOST_PASSWORD="app-password",
    )
    assert result.returncode == 0, result.stderr
    mailer = ast.literal_eval(result.stdout)
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailer["OPTIONS"] == {
        "host": "smtp.northshire.example",
        "port": 2525,
        "username": "safeguarding",
        "password": "app-password",
        "use_tls": True,  # STARTTLS unless told otherwise
        "use_ssl": False,
        "timeout": 30,
    }


def test_implicit_tls_changes_the_default_port():
    result = _python(MAILER, DEBUG="false", SECRET_KEY="x" * 60, EMAIL_HOST="smtp.example", EMAIL_USE_SSL="true")
    assert result.returncode == 0, result.stderr
    options = ast.literal_eval(result.stdout)["OPTIONS"]
    assert (options["use_ssl"], options["use_tls"], options["port"]) == (True, False, 465)


def test_development_prints_e_mail_to_the_console():
    result = _python(MAILER, DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert ast.literal_eval(result.stdout) == {"BACKEND": "django.core.mail.backends.console.EmailBackend"}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"EMAIL_USE_TLS": "true", "EMAIL_USE_SSL": "true"}, "EMAIL_USE_TLS and EMAIL_USE_SSL are both true"),
        ({"EMAIL_USE_TLS": "sometimes"}, "EMAIL_USE_TLS='sometimes' is not a boolean"),
        ({"EMAIL_PORT": "smtp"}, "EMAIL_PORT='smtp' is not a whole number"),
        ({"EMAIL_PORT": "70000"}, "EMAIL_PORT=70000 is not a port number"),
    ],
)
def test_bad_e_mail_settings_stop_start_up_naming_the_variable(env, message):
    result = _python(START, DEBUG="false", SECRET_KEY="x" * 60, EMAIL_HOST="smtp.example", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_a_mailer_without_a_host_fails_the_checks_naming_the_variable():
    """Django 6.1 will not build an SMTP mailer without a host; found at start-up (every
    command, the worker included, runs the checks), not after an import has committed."""
    result = _check_deploy(SECRET_KEY=secrets.token_urlsafe(45)[:60], DEBUG="false", SAFEGUARDING_HTTPS="true")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "core.E001" in output and "EMAIL_HOST" in output


def test_a_mailer_backend_that_does_not_exist_fails_the_checks_naming_the_variable():
    result = _check_deploy(
        SECRET_KEY=secrets.token_urlsafe(45)[:60],
        DEBUG="false",
        SAFEGUARDING_HTTPS="true",
        EMAIL_BACKEND="django.core.mail.backends.carrier_pigeon.EmailBackend",
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "core.E001" in output and "EMAIL_BACKEND" in output


# The environment helpers ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("YES", True), ("1", True), (" on ", True), ("off", False), ("0", False), ("No", False)],
)
def test_envbool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert envbool("SOME_FLAG", not expected) is expected


def test_envbool_uses_the_default_only_when_unset(monkeypatch):
    monkeypatch.delenv("SOME_FLAG", raising=False)
    assert envbool("SOME_FLAG", True) is True
    assert envbool("SOME_FLAG", False) is False
    monkeypatch.setenv("SOME_FLAG", "")
    assert envbool("SOME_FLAG", True) is False


@pytest.mark.parametrize("raw", ["perhaps", "maybe", "2", "y e s", "None"])
def test_envbool_refuses_nonsense_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("SOME_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match=r"SOME_FLAG=.* is not a boolean"):
        envbool("SOME_FLAG", False)


def test_envint_reads_numbers_and_refuses_words(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "12")
    assert envint("SOME_NUMBER", 1) == 12
    monkeypatch.setenv("SOME_NUMBER", " ")
    assert envint("SOME_NUMBER", 1) == 1
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER"):
        envint("SOME_NUMBER", 1)


def test_envstr_and_envlist_treat_blank_as_unset(monkeypatch):
    monkeypatch.setenv("SOME_TEXT", "  ")
    assert envstr("SOME_TEXT") is None
    assert envstr("SOME_TEXT", "fallback") == "fallback"
    monkeypatch.setenv("SOME_LIST", " a.example , ,b.example")
    assert envlist("SOME_LIST", ["default"]) == ["a.example", "b.example"]
    monkeypatch.delenv("SOME_LIST")
    assert envlist("SOME_LIST", ["default"]) == ["default"]


# Deployment checks ------------------------------------------------------------------------


def test_check_deploy_is_clean_with_tls_settings():
    result = _check_deploy(SECRET_KEY=secrets.token_urlsafe(45)[:60], DEBUG="false", SAFEGUARDING_HTTPS="true", **SMTP)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert _issue_ids(output) <= ALLOWED_DEPLOY_WARNINGS, output
    assert "no issues" in output


def test_check_deploy_names_what_is_missing_when_tls_is_left_to_a_proxy():
    """SECURE_SSL_REDIRECT=false is for a proxy that redirects to HTTPS itself: Django
    says so (W008) and nothing else."""
    result = _check_deploy(
        SECRET_KEY=secrets.token_urlsafe(45)[:60],
        DEBUG="false",
        SAFEGUARDING_HTTPS="true",
        SECURE_SSL_REDIRECT="false",
        **SMTP,
    )
    assert _issue_ids(result.stdout + result.stderr) == {"security.W008"}


def test_the_web_server_refuses_to_start_with_a_mailer_that_cannot_be_built():
    """Gunicorn runs no system checks, so config.wsgi runs the mailer check itself."""
    started = _python("import config.wsgi", DEBUG="false", SECRET_KEY="x" * 60, **SMTP)
    assert started.returncode == 0, started.stderr
    refused = _python("import config.wsgi", DEBUG="false", SECRET_KEY="x" * 60, EMAIL_BACKEND="no.such.Backend", **SMTP)
    assert refused.returncode != 0 and "E-mail cannot be sent" in refused.stderr
    assert "EMAIL_BACKEND" in refused.stderr
