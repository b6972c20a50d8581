"""The rapid review clock's start is a setting that fails loudly."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import envchoice
from tests.test_settings import PRINT, _python


def test_envchoice_reads_one_of_its_choices_and_refuses_anything_else(monkeypatch):
    monkeypatch.delenv("CLOCK", raising=False)
    assert envchoice("CLOCK", "aware", ("aware", "notified")) == "aware"
    monkeypatch.setenv("CLOCK", " notified ")
    assert envchoice("CLOCK", "aware", ("aware", "notified")) == "notified"
    monkeypatch.setenv("CLOCK", "Notified")
    with pytest.raises(ImproperlyConfigured, match="CLOCK='Notified' is not one of: aware, notified"):
        envchoice("CLOCK", "aware", ("aware", "notified"))


def test_the_clock_starts_when_the_partners_became_aware_unless_configured():
    result = _python(PRINT.format("settings.REVIEWS_RAPID_REVIEW_CLOCK_START"), DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "aware"
    result = _python(
        PRINT.format("settings.REVIEWS_RAPID_REVIEW_CLOCK_START"),
        DEBUG="true",
        SAFEGUARDING_RAPID_REVIEW_CLOCK_START="notified",
    )
    assert result.stdout.strip() == "notified"


def test_a_bad_clock_start_stops_start_up_naming_the_variable():
    result = _python("import django; django.setup()", DEBUG="true", SAFEGUARDING_RAPID_REVIEW_CLOCK_START="incident")
    assert result.returncode != 0
    assert "SAFEGUARDING_RAPID_REVIEW_CLOCK_START='incident' is not one of: aware, notified" in result.stderr


def test_the_working_days_before_a_cspr_is_published_are_a_setting_that_fails_loudly():
    result = _python(PRINT.format("settings.REVIEWS_PRE_PUBLICATION_WORKING_DAYS"), DEBUG="true")
    assert result.stdout.strip() == "7", result.stderr
    result = _python(
        PRINT.format("settings.REVIEWS_PRE_PUBLICATION_WORKING_DAYS"),
        DEBUG="true",
        SAFEGUARDING_CSPR_PRE_PUBLICATION_WORKING_DAYS="10",
    )
    assert result.stdout.strip() == "10"
    result = _python("import django; django.setup()", DEBUG="true", SAFEGUARDING_CSPR_PRE_PUBLICATION_WORKING_DAYS="-1")
    assert result.returncode != 0
    assert "SAFEGUARDING_CSPR_PRE_PUBLICATION_WORKING_DAYS must be 0 or more" in result.stderr
