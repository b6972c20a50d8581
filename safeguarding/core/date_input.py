"""Dates and times entered one way on every form: the GOV.UK date input.

A date is three boxes, day, month and year (``<name>-day``, ``<name>-month``,
``<name>-year``), never the browser's date picker, which reads mm/dd/yyyy in a
US-locale browser. The messages follow the Design System's date input
(https://design-system.service.gov.uk/components/date-input/): "Enter the date of
the meeting", "Date of the meeting must include a month", "… must be a real date",
and each error says which boxes are wrong, so only those are highlighted and the
error summary links to the first of them.

A link may still carry the date as one ISO value (``?date_from=2025-04-01``), as the
figures pages' links and bookmarks do; the field reads that too.

GOV.UK has no time component: a time is a text box, "for example 09:30".
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms

PARTS = ("day", "month", "year")


def _sentence(text: str) -> str:
    """ "the date of the meeting" as a sentence's subject, as GOV.UK writes it: "Date of the meeting"."""
    text = text.removeprefix("the ")
    return text[:1].upper() + text[1:]


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


class GovukDateWidget(forms.Widget):
    """Reads the three boxes; rendered by ``govuk_forms.render_field`` with govukDateInput."""

    def value_from_datadict(self, data, files, name):
        keys = {part: f"{name}-{part}" for part in PARTS}
        if any(key in data for key in keys.values()):
            return {part: data.get(key, "") for part, key in keys.items()}
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and not any(f"{name}-{part}" in data for part in PARTS)

    def render(self, name, value, attrs=None, renderer=None):  # pragma: no cover - Jinja renders it
        raise NotImplementedError("Render a GovukDateField with govuk_field() or govuk_form_fields()")


class GovukDateField(forms.Field):
    """A date from day, month and year boxes.

    ``what`` is the date as it reads in a sentence, e.g. "the date of the meeting":
    messages say "Enter the date of the meeting" and "Date of the meeting must include a
    month". ``past``: the date must be today or earlier ("… must be today or in the past").
    Every error carries ``params["parts"]``, the boxes it is about."""

    widget = GovukDateWidget

    def __init__(self, *, what: str, past: bool = False, **kwargs):
        self.what = what
        self.past = past
        kwargs.setdefault("help_text", "For example, 27 3 2026")
        super().__init__(**kwargs)

    def _error(self, message: str, code: str, parts=PARTS) -> forms.ValidationError:
        return forms.ValidationError(message, code=code, params={"parts": tuple(parts)})

    def prepare_value(self, value):
        """The boxes' contents: what was typed, or the parts of a date."""
        if isinstance(value, dict):
            return {part: str(value.get(part) or "") for part in PARTS}
        if isinstance(value, str) and value:
            try:
                value = dt.date.fromisoformat(value.strip())
            except ValueError:
                return {part: "" for part in PARTS}
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        return {part: "" for part in PARTS}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                raise self._error(f"{_sentence(self.what)} must be a real date", "invalid") from None
        parts = {part: str(value.get(part) or "").strip() for part in PARTS}
        if not any(parts.values()):
            return None
        missing = [part for part in PARTS if not parts[part]]
        if missing:
            raise self._error(f"{_sentence(self.what)} must include a {_listed(missing)}", "incomplete", missing)
        wrong = [part for part in PARTS if not parts[part].isdigit()]
        if wrong:
            raise self._error(f"{_sentence(self.what)} must be a real date", "invalid", wrong)
        day, month, year = (int(parts[part]) for part in PARTS)
        if len(parts["year"]) != 4:
            raise self._error("Year must include 4 numbers", "year_length", ["year"])
        if not 1 <= month <= 12:
            raise self._error(f"{_sentence(self.what)} must be a real date", "invalid", ["month"])
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise self._error(f"{_sentence(self.what)} must be a real date", "invalid", ["day"]) from None

    def validate(self, value):
        if value is None and self.required:
            raise self._error(f"Enter {self.what}", "required")
        if value is not None and self.past and value > dt.date.today():
            raise self._error(f"{_sentence(self.what)} must be today or in the past", "future")

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != self.to_python(initial)
        except forms.ValidationError:
            return True


_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$", re.IGNORECASE)


class GovukTimeField(forms.Field):
    """A time of day in a text box: "09:30", "9.30", "14:00", "2pm" or "9:30am".

    ``what`` reads in a sentence, e.g. "the start time"."""

    widget = forms.TextInput(attrs={"class": "govuk-input--width-5", "autocomplete": "off"})

    def __init__(self, *, what: str, **kwargs):
        self.what = what
        kwargs.setdefault("help_text", "For example, 09:30 or 14:00")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, dt.time):
            return value.strftime("%H:%M")
        return value

    def to_python(self, value):
        if isinstance(value, dt.time):
            return value
        text = str(value or "").strip()
        if not text:
            return None
        example = f"Enter {self.what} as hours and minutes, for example 09:30 or 14:00"
        match = _TIME.match(text)
        if not match:
            raise forms.ValidationError(example, code="invalid")
        hour, minute, half = int(match[1]), int(match[2] or 0), (match[3] or "").lower()
        if match[2] is None and not half:
            raise forms.ValidationError(example, code="invalid")
        if half:
            if not 1 <= hour <= 12:
                raise forms.ValidationError(f"{_sentence(self.what)} must be a real time", code="invalid")
            hour = hour % 12 + (12 if half == "pm" else 0)
        if hour > 23 or minute > 59:
            raise forms.ValidationError(f"{_sentence(self.what)} must be a real time", code="invalid")
        return dt.time(hour, minute)

    def validate(self, value):
        if value is None and self.required:
            raise forms.ValidationError(f"Enter {self.what}", code="required")

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != self.to_python(initial)
        except forms.ValidationError:
            return True


def wrong_parts(bound: forms.BoundField) -> tuple[str, ...]:
    """The boxes of a date field its errors are about, in page order; all three for an
    error that names none (a rule of the whole form, such as "must be on or after the start")."""
    wrong: set[str] = set()
    for error in bound.form.errors.as_data().get(bound.name, []):
        params = getattr(error, "params", None) or {}
        wrong.update(params.get("parts", PARTS))
    return tuple(part for part in PARTS if part in wrong)


def date_input_data(name: str, value: dt.date) -> dict[str, str]:
    """What a browser posts for ``value`` in the date field ``name``: its three boxes."""
    return {f"{name}-day": str(value.day), f"{name}-month": str(value.month), f"{name}-year": str(value.year)}
