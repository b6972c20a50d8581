"""Generated messages in plain words, in the page's order (issue 14, item 16)."""

from types import SimpleNamespace

from django.template import engines

from safeguarding.accounts.forms import OrganisationForm
from safeguarding.accounts.models import Person
from safeguarding.core.govuk_forms import _messages
from safeguarding.governance.forms import RegisterRowForm
from safeguarding.moves.forms import AlertUpdateForm
from safeguarding.training.forms import SessionForm
from tests.factories import OrganisationFactory


def _summary(form) -> list[str]:
    html = engines["jinja2"].env.from_string("{{ govuk_error_summary(form) }}").render(form=form)
    import lxml.html

    return [a.text_content().strip() for a in lxml.html.fromstring(html).xpath("//a")]


def test_the_registers_errors_name_the_person():
    member = SimpleNamespace(
        person=SimpleNamespace(full_name="Clare Adams"), organisation=SimpleNamespace(name="Council")
    )
    form = RegisterRowForm({}, member=member, people=Person.objects.none())
    assert not form.is_valid()
    assert form.errors["status"] == ["Select how Clare Adams attended"]


def test_a_question_label_makes_a_message_without_its_question_mark():
    form = AlertUpdateForm({}, choices=[("closed", "Closed")])
    assert not form.is_valid()
    assert _messages(form["status"]) == ["Select what has happened"]


def test_a_duplicate_code_is_said_in_words_not_the_frameworks_text(db):
    OrganisationFactory(code="northshire-police")
    form = OrganisationForm({"code": "northshire-police", "name": "X", "kind": "police", "standing": "other"})
    assert not form.is_valid()
    messages = _messages(form["code"])
    assert messages and not any("with this" in m for m in messages)
    assert messages == ["This short code is already used: choose another"]


def test_the_error_summary_lists_errors_in_the_pages_order(db):
    """The form's own checks (venue) run after the fields' (capacity), but venue comes first on the page."""
    form = SessionForm({"starts_at": "10:00", "ends_at": "09:00"})
    assert not form.is_valid()
    summary = _summary(form)
    order = [name for name in form.fields if name in form.errors]
    assert order.index("venue") < order.index("capacity")
    assert summary.index("Enter a venue or an online joining link") < summary.index("Enter places")
    assert summary.index("The end time must be after the start time") < summary.index(
        "Enter a venue or an online joining link"
    )
