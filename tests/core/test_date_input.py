"""Dates are entered one way on every form: the GOV.UK date input, day, month and year
boxes, with the Design System's messages (issue 14, item 13)."""

import datetime as dt
import importlib
import pathlib
import re

import lxml.html
import pytest
from django import forms
from django.template import engines

from safeguarding.core.date_input import GovukDateField, GovukTimeField, date_input_data
from safeguarding.core.govuk_forms import render_field
from safeguarding.governance.forms import MeetingForm
from safeguarding.governance.services import group_create
from tests.conftest import make_persona, sign_in

ROOT = pathlib.Path(__file__).resolve().parents[2] / "safeguarding"
APPS = ["accounts", "children", "core", "governance", "performance", "reports", "training"]


class MeetingDate(forms.Form):
    date = GovukDateField(label="Date", what="the date of the meeting")
    held = GovukDateField(label="Held on", required=False, past=True, what="the date it was held")


def _env():
    return engines["jinja2"].env


def _html(form, name):
    return lxml.html.fragment_fromstring(str(render_field(_env(), form[name])), create_parent="div")


def _marked(doc) -> list[str]:
    """The names of the boxes marked as wrong."""
    return doc.xpath("//input[contains(@class, 'govuk-input--error')]/@name")


def test_a_date_is_three_boxes_day_month_and_year_with_the_gov_uk_widths():
    doc = _html(MeetingDate(initial={"date": dt.date(2026, 3, 27)}), "date")
    boxes = doc.xpath("//input")
    assert [(b.get("name"), b.get("id"), b.get("value"), b.get("type")) for b in boxes] == [
        ("date-day", "id_date-day", "27", "text"),
        ("date-month", "id_date-month", "3", "text"),
        ("date-year", "id_date-year", "2026", "text"),
    ]
    assert "govuk-input--width-2" in boxes[0].get("class") and "govuk-input--width-4" in boxes[2].get("class")
    assert all(b.get("inputmode") == "numeric" for b in boxes)
    assert doc.xpath("string(//legend)").strip() == "Date"


def test_a_missing_month_is_named_and_only_the_month_box_is_marked():
    form = MeetingDate({"date-day": "3", "date-month": "", "date-year": "2026"})
    assert not form.is_valid()
    assert form.errors["date"] == ["Date of the meeting must include a month"]
    doc = _html(form, "date")
    assert _marked(doc) == ["date-month"]
    assert "Date of the meeting must include a month" in doc.xpath("string(//*[@class='govuk-error-message'])")


def test_the_thirty_first_of_february_is_not_a_real_date():
    form = MeetingDate(date_input_data("date", dt.date(2026, 2, 1)) | {"date-day": "31"})
    assert not form.is_valid()
    assert form.errors["date"] == ["Date of the meeting must be a real date"]
    assert _marked(_html(form, "date")) == ["date-day"]


@pytest.mark.parametrize(
    ("data", "message", "marked"),
    [
        ({}, "Enter the date of the meeting", ["date-day", "date-month", "date-year"]),
        ({"date-day": "3"}, "Date of the meeting must include a month and year", ["date-month", "date-year"]),
        ({"date-day": "3", "date-month": "13", "date-year": "2026"}, "must be a real date", ["date-month"]),
        ({"date-day": "3", "date-month": "x", "date-year": "2026"}, "must be a real date", ["date-month"]),
        ({"date-day": "3", "date-month": "4", "date-year": "26"}, "Year must include 4 numbers", ["date-year"]),
    ],
)
def test_each_kind_of_wrong_date_is_named_on_its_boxes(data, message, marked):
    form = MeetingDate(data)
    assert not form.is_valid()
    assert message in form.errors["date"][0]
    assert _marked(_html(form, "date")) == marked


def test_a_date_that_must_be_past_says_so():
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    form = MeetingDate(date_input_data("date", tomorrow) | date_input_data("held", tomorrow))
    assert form.errors == {"held": ["Date it was held must be today or in the past"]}


def test_a_date_from_a_link_still_reads_as_iso():
    """The figures pages' links carry ?date_from=2025-04-01; those keep working."""
    form = MeetingDate({"date": "2026-03-27"})
    assert form.is_valid() and form.cleaned_data["date"] == dt.date(2026, 3, 27)


def test_the_error_summary_links_to_the_first_wrong_box(client, db):
    group = group_create(
        code="board", name="Board", kind="board", quorum_minimum=2, actor=make_persona("administrator")
    )
    sign_in(client, make_persona("business_manager"))
    response = client.post(
        "/governance/meetings/add/",
        {"group": group.pk, "date-day": "3", "date-year": "2026", "starts_at": "25:00", "mode": "hybrid"},
    )
    doc = lxml.html.fromstring(response.content)
    summary = doc.xpath("//*[contains(@class, 'govuk-error-summary')]//a")
    links = {a.text_content().strip(): a.get("href") for a in summary}
    assert links["Date of the meeting must include a month"] == "#id_date-month"
    assert doc.xpath("//input[@id='id_date-month']")
    assert links["Start time must be a real time"] == "#id_starts_at"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("09:30", dt.time(9, 30)), ("9.30", dt.time(9, 30)), ("14:00", dt.time(14)), ("2pm", dt.time(14))],
)
def test_a_time_is_typed_in_a_text_box(typed, expected):
    field = GovukTimeField(what="the start time")
    assert field.clean(typed) == expected


@pytest.mark.parametrize("typed", ["9", "half nine", "930x"])
def test_a_time_that_cannot_be_read_gives_an_example(typed):
    with pytest.raises(forms.ValidationError, match="Enter the start time as hours and minutes, for example 09:30"):
        GovukTimeField(what="the start time").clean(typed)


def test_the_meeting_form_renders_its_times_as_text_boxes():
    form = MeetingForm(initial={"starts_at": dt.time(9, 30)})
    (box,) = _html(form, "starts_at").xpath("//input")
    assert box.get("type") == "text" and box.get("value") == "09:30"


def test_no_form_uses_the_browsers_date_or_time_picker():
    """A US-locale browser shows type=date as mm/dd/yyyy: no form field, widget or template may use it."""
    for app in APPS:
        module = importlib.import_module(f"safeguarding.{app}.forms")
        for name, form in vars(module).items():
            if not (isinstance(form, type) and issubclass(form, forms.BaseForm)):
                continue
            for field_name, field in form.base_fields.items():
                where = f"{app}.forms.{name}.{field_name}"
                assert not isinstance(field, forms.DateField | forms.TimeField | forms.DateTimeField), where
                assert not isinstance(field.widget, forms.DateInput | forms.TimeInput), where
                assert field.widget.attrs.get("type") not in {"date", "time", "datetime-local"}, where
    picker = re.compile(r"""type\s*[=:]\s*["'](date|time|datetime-local)["']""")
    for path in ROOT.rglob("*"):
        if path.suffix in {".html", ".py", ".js"} and "static" not in path.parts:
            assert not picker.search(path.read_text(encoding="utf-8")), path
