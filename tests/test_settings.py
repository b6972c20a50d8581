"""Settings fail loudly: no silent defaults for secrets or booleans."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import envbool, envint

ROOT = Path(__file__).resolve().parent.parent


def _run(code: str, **env) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings", SQLITE_PATH="/tmp/safeguarding-settings.db")
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_missing_secret_key_with_debug_off_stops_start_up_with_a_clear_message():
    result = _run("import django; django.setup()", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_a_bad_boolean_is_refused_naming_the_variable():
    result = _run("import django; django.setup()", DEBUG="maybe", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_debug_on_allows_a_development_key():
    result = _run(
        "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)", DEBUG="true"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


@pytest.mark.parametrize(
    "raw, expected", [("true", True), ("YES", True), ("1", True), ("off", False), ("0", False), ("", False)]
)
def test_envbool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert envbool("SOME_FLAG", not expected) is expected


def test_envbool_and_envint_refuse_nonsense(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        envbool("SOME_FLAG", False)
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER"):
        envint("SOME_NUMBER", 1)


def test_check_deploy_is_clean_with_tls_settings():
    key = secrets.token_urlsafe(60)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": key,
            "DEBUG": "false",
            "SAFEGUARDING_HTTPS": "true",
            "SQLITE_PATH": "/tmp/safeguarding-settings.db",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
