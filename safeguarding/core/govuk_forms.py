"""One bridge from Django forms to GOV.UK Frontend components.

``govuk_form_fields(form)`` renders every visible field with the matching
govuk-frontend-jinja macro (input, textarea, select, radios, checkboxes, date,
file upload, password), and ``govuk_error_summary(form)`` the summary at the top
of the page that links to each field in error.
"""

from __future__ import annotations

from django import forms
from django.db.models.utils import get_blank_choice_label
from jinja2 import pass_context
from markupsafe import Markup

from safeguarding.core.date_input import PARTS, GovukDateWidget, wrong_parts

MACRO_FILES = {
    "govukInput": "input",
    "govukTextarea": "textarea",
    "govukSelect": "select",
    "govukRadios": "radios",
    "govukCheckboxes": "checkboxes",
    "govukDateInput": "date-input",
    "govukFileUpload": "file-upload",
    "govukPasswordInput": "password-input",
    "govukErrorSummary": "error-summary",
}


def _macro(env, name: str):
    template = env.get_template(f"govuk_frontend_jinja/components/{MACRO_FILES[name]}/macro.html")
    return getattr(template.module, name)


def _field_id(bound: forms.BoundField) -> str:
    return bound.auto_id or bound.html_name


def _noun(label: str) -> str:
    """The label as it reads inside a sentence: "User name" becomes "user name", "MASH" stays."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def _required_message(bound: forms.BoundField) -> str:
    """What to do, as GOV.UK asks, instead of Django's "This field is required."
    (which reads the same for every field in the error summary)."""
    widget = bound.field.widget
    label = str(bound.label).strip().rstrip("?").rstrip()
    if isinstance(widget, forms.CheckboxInput):
        return f"Tick ‘{label}’ to continue"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return f"Choose a file for ‘{label}’"
    if isinstance(widget, forms.Select | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"Select {_noun(label)}"
    return f"Enter {_noun(label)}"


def _messages(bound: forms.BoundField) -> list[str]:
    """The field's error messages, with the stock "required" one made specific."""
    if not bound.errors:
        return []
    stock = forms.Field.default_error_messages["required"]
    data = bound.form.errors.as_data().get(bound.name, [])
    messages = []
    for error in data:
        for message in error.messages:
            if error.code == "required" and str(message) == str(stock):
                message = _required_message(bound)
            elif error.code == "unique" and str(message).endswith(" already exists."):
                # Django's "Organisation with this Code already exists.": say it in words.
                message = f"{_sentence_label(bound)} is already used: choose another"
            messages.append(str(message))
    return messages or [str(e) for e in bound.errors]


def _sentence_label(bound: forms.BoundField) -> str:
    label = str(bound.label).strip().rstrip("?").rstrip()
    return f"This {_noun(label)}"


def _error(bound: forms.BoundField) -> dict | None:
    messages = _messages(bound)
    return {"text": " ".join(messages)} if messages else None


def _value(bound: forms.BoundField):
    value = bound.value()
    return "" if value is None else value


def _choices(bound: forms.BoundField, selected) -> list[dict]:
    selected = {str(v) for v in (selected if isinstance(selected, list | tuple) else [selected])}
    return [
        {"value": str(value), "text": str(label), "checked": str(value) in selected}
        for value, label in bound.field.choices
        if str(value) != ""
    ]


DATE_BOX_WIDTHS = {"day": "govuk-input--width-2", "month": "govuk-input--width-2", "year": "govuk-input--width-4"}


def _date_input(env, bound: forms.BoundField, common: dict) -> Markup:
    """Day, month and year boxes; only the boxes an error is about are marked as wrong."""
    value = bound.value() or {}
    wrong = wrong_parts(bound) if bound.errors else ()
    items = [
        {
            "name": part,
            "value": value.get(part, ""),
            "classes": DATE_BOX_WIDTHS[part] + (" govuk-input--error" if part in wrong else ""),
            "attributes": {"disabled": "disabled"} if bound.field.disabled else {},
        }
        for part in PARTS
    ]
    return _macro(env, "govukDateInput")(
        common
        | {
            "namePrefix": bound.html_name,
            "fieldset": {"legend": {"text": str(bound.label), "classes": "govuk-fieldset__legend--s"}},
            "items": items,
        }
    )


def _href(bound: forms.BoundField) -> str:
    """Where the error summary's link goes: the field, or a date's first wrong box."""
    if isinstance(bound.field.widget, GovukDateWidget):
        return f"#{_field_id(bound)}-{(wrong_parts(bound) or PARTS)[0]}"
    return f"#{_field_id(bound)}"


def render_field(env, bound: forms.BoundField) -> Markup:
    widget = bound.field.widget
    field_id = _field_id(bound)
    label = {"text": str(bound.label)}
    hint = {"text": str(bound.help_text)} if bound.help_text else None
    common = {"id": field_id, "name": bound.html_name, "hint": hint, "errorMessage": _error(bound)}
    attrs = dict(widget.attrs)
    classes = attrs.pop("class", "")
    if bound.field.disabled:
        attrs["disabled"] = "disabled"

    if isinstance(widget, GovukDateWidget):
        return _date_input(env, bound, common)
    if isinstance(widget, forms.CheckboxInput):
        return _macro(env, "govukCheckboxes")(
            common
            | {
                "idPrefix": field_id,
                "items": [{"value": "on", "text": str(bound.label), "checked": bool(bound.value())}],
            }
        )
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        macro = "govukCheckboxes" if isinstance(widget, forms.CheckboxSelectMultiple) else "govukRadios"
        value = _value(bound)
        return _macro(env, macro)(
            common
            | {
                "idPrefix": field_id,
                "fieldset": {"legend": {"text": str(bound.label), "classes": "govuk-fieldset__legend--s"}},
                "items": [
                    {"value": c["value"], "text": c["text"], "checked": c["checked"]} for c in _choices(bound, value)
                ],
            }
        )
    if isinstance(widget, forms.Select):
        value = _value(bound)
        empty_label = getattr(bound.field, "empty_label", None)
        # Django's stock blank choice ("---------", or "- Select an option -" from 6.1) reads as "Choose…".
        stock = {"---------", str(get_blank_choice_label())}
        placeholder = empty_label if empty_label and str(empty_label) not in stock else "Choose…"
        items = [{"value": "", "text": placeholder}]
        items += [{"value": c["value"], "text": c["text"], "selected": c["checked"]} for c in _choices(bound, value)]
        return _macro(env, "govukSelect")(common | {"label": label, "items": items})
    if isinstance(widget, forms.Textarea):
        return _macro(env, "govukTextarea")(
            common | {"label": label, "value": _value(bound), "classes": classes, "attributes": attrs}
        )
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return _macro(env, "govukFileUpload")(common | {"label": label, "attributes": attrs})
    if isinstance(widget, forms.PasswordInput):
        return _macro(env, "govukPasswordInput")(
            common | {"label": label, "autocomplete": attrs.pop("autocomplete", "current-password")}
        )
    input_type = getattr(widget, "input_type", "text") or "text"
    return _macro(env, "govukInput")(
        common
        | {
            "label": label,
            "type": input_type,
            "value": _value(bound),
            "classes": classes,
            "autocomplete": attrs.pop("autocomplete", None),
            "spellcheck": False if input_type in {"email", "password"} else None,
            "attributes": attrs,
        }
    )


@pass_context
def govuk_field(context, bound: forms.BoundField) -> Markup:
    return render_field(context.environment, bound)


@pass_context
def govuk_form_fields(context, form: forms.Form) -> Markup:
    hidden = "".join(str(f) for f in form.hidden_fields())
    shown = "".join(render_field(context.environment, f) for f in form.visible_fields())
    return Markup(hidden + shown)


@pass_context
def govuk_error_summary(context, form: forms.Form) -> Markup:
    if not form.is_bound or not form.errors:
        return Markup("")
    # In the page's order, whatever order the checks ran in (clean() adds its errors last).
    errors = [{"text": str(e)} for e in form.non_field_errors()]
    for bound in [*form.hidden_fields(), *form.visible_fields()]:
        if bound.name in form.errors:
            errors += [{"text": message, "href": _href(bound)} for message in _messages(bound)]
    return _macro(context.environment, "govukErrorSummary")({"titleText": "There is a problem", "errorList": errors})
