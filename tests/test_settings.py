"""Settings fail loudly: no silent defaults for secrets or booleans, and a deployment
configured for TLS passes Django's deployment checks.

Start-up is checked in a fresh interpreter with ``config.settings`` (not the test
settings), so what is tested is what a server would do.
"""

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
}
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


def test_with_debug_off_tls_is_assumed():
    result = _python(
        PRINT.format("settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.SECURE_SSL_REDIRECT"),
        DEBUG="false",
        SECRET_KEY="x" * 60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True"]


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
    result = _check_deploy(SECRET_KEY=secrets.token_urlsafe(45)[:60], DEBUG="false", SAFEGUARDING_HTTPS="true")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert _issue_ids(output) <= ALLOWED_DEPLOY_WARNINGS, output
    assert "no issues" in output


def test_check_deploy_names_what_is_missing_when_tls_is_left_to_a_proxy():
    """SECURE_SSL_REDIRECT=false is for a proxy that redirects to HTTPS itself: Django
    says so (W008) and nothing else."""
    result = _check_deploy(
        SECRET_KEY=secrets.token_urlsafe(45)[:60], DEBUG="false", SAFEGUARDING_HTTPS="true", SECURE_SSL_REDIRECT="false"
    )
    assert _issue_ids(result.stdout + result.stderr) == {"security.W008"}
