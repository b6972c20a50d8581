"""The audit trail reads as sentences (issue 14, item 18): one line per event naming the
record with a link, each change as field: before → after, long values cut with the
whole behind "Show full", and the kinds of record in words."""

import re

import pytest
from django.urls import reverse

from safeguarding.accounts import services
from safeguarding.core.audit import SystemActor, record_child_read, record_write
from safeguarding.core.audit_display import FULL_VALUE, SHORT_VALUE, kind_label, object_type_choices
from safeguarding.core.models import AuditEvent
from safeguarding.core.permissions import Role
from tests.conftest import make_persona, sign_in

SYSTEM = SystemActor("test")


@pytest.fixture
def admin(db):
    return make_persona(Role.ADMINISTRATOR)


def _page(client, **query) -> str:
    response = client.get(reverse("core:audit"), query)
    assert response.status_code == 200
    return response.content.decode()


def _row_of(page: str, needle: str) -> str:
    """The table row holding ``needle``."""
    rows = re.findall(r'<tr class="govuk-table__row">.*?</tr>', page, flags=re.S)
    return next(row for row in rows if needle in row)


def _words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


def test_an_update_reads_as_a_sentence_with_a_link_and_field_before_after(client, admin):
    organisation = services.organisation_create(
        code="ns-fire", name="Northshire Fire", kind="fire_rescue", standing="relevant_agency", actor=admin
    )
    services.organisation_update(organisation=organisation, actor=admin, name="Northshire Fire and Rescue")
    sign_in(client, admin)
    row = _row_of(_page(client, action="update"), "Northshire Fire and Rescue")
    assert (
        _words(row.split("sg-audit__summary")[1].split("</p>")[0])
        == '">ada changed organisation Northshire Fire and Rescue'
    )
    assert f'href="{reverse("accounts:organisation", kwargs={"code": "ns-fire"})}"' in row
    assert "Name: Northshire Fire → Northshire Fire and Rescue" in _words(row)


def test_a_creation_lists_what_was_stored_with_choices_in_words_and_empty_fields_left_out(client, admin):
    services.organisation_create(
        code="ns-fire", name="Northshire Fire", kind="fire_rescue", standing="relevant_agency", actor=admin
    )
    sign_in(client, admin)
    row = _row_of(_page(client, action="create", object_type="accounts.organisation"), "Northshire Fire")
    assert "ada created organisation Northshire Fire" in _words(row)
    assert "Kind: Fire and rescue service" in _words(row) and "fire_rescue" not in row
    assert "→" not in row  # nothing was there before


def test_a_huge_value_is_cut_and_the_whole_of_a_shorter_one_is_behind_show_full(client, admin):
    organisation = services.organisation_create(
        code="ns-fire", name="Northshire Fire", kind="fire_rescue", standing="relevant_agency", actor=admin
    )
    report = {"chapters": [{"title": f"Chapter {n}", "text": "word " * 2_000} for n in range(100)]}  # ~1 MB
    record_write(actor=admin, action=AuditEvent.Action.UPDATE, instance=organisation, changes={"content": [{}, report]})
    middling = "x" * (SHORT_VALUE + 50)
    record_write(actor=admin, action=AuditEvent.Action.UPDATE, instance=organisation, changes={"notes": ["", middling]})
    sign_in(client, admin)
    page = _page(client, action="update")
    assert len(page) < 60_000, "a report's whole content must not land on the page"
    huge = _row_of(page, "Content</span>")
    assert "Content: (empty) → " in _words(huge) and "Show full" in huge and "the CSV download has all of it" in huge
    assert huge.count("word") < FULL_VALUE // 4
    small = _row_of(page, "Notes</span>")
    assert "Show full" in small and middling in small and "CSV download" not in small


def test_dates_and_times_read_as_people_say_them():
    from safeguarding.core.audit_display import value_shown

    assert value_shown("2026-12-03").short == "3 December 2026"
    assert value_shown("2026-07-03T13:26:50.207068+00:00").short == "3 July 2026, 14:26"  # British Summer Time
    assert value_shown("2026-13-45").short == "2026-13-45"  # not a date after all: shown as stored
    assert value_shown("CH-2026-12").short == "CH-2026-12"


def test_the_kinds_of_record_are_named_in_words_and_the_filter_still_works(client, admin, db):
    assert kind_label("children.movealert") == "Move alert"
    assert kind_label("accounts.organisation") == "Organisation"
    choices = object_type_choices(["children.movealert", "accounts.organisation", "gone.thing"])
    assert choices == [
        ("children.movealert", "Move alert"),
        ("accounts.organisation", "Organisation"),
        ("gone.thing", "Thing"),
    ]
    services.organisation_create(
        code="y", name="Audited Org", kind="voluntary", standing="relevant_agency", actor=admin
    )
    sign_in(client, admin)
    page = _page(client)
    assert '<option value="accounts.organisation">Organisation</option>' in page
    assert ">accounts.organisation<" not in page
    assert "1 event<" in _page(client, object_type="accounts.organisation")


def test_a_look_at_a_child_says_why_and_links_only_where_the_reader_may_open_the_page(client, admin):
    from django.utils import timezone

    from safeguarding.children.models import Child

    child = Child.objects.create(created_at=timezone.now())
    record_child_read(actor=SYSTEM, instance=child, purpose="A child protection (section 47) enquiry")
    sign_in(client, admin)
    row = _row_of(_page(client, action="read"), child.reference)
    assert "looked at child" in _words(row) and "Why: A child protection (section 47) enquiry" in row
    assert "<a " not in row  # an administrator may not open a child's record


def test_a_deleted_record_is_named_but_not_linked(client, admin):
    organisation = services.organisation_create(
        code="gone", name="Gone Org", kind="voluntary", standing="relevant_agency", actor=admin
    )
    record_write(actor=admin, action=AuditEvent.Action.DELETE, instance=organisation, changes={})
    sign_in(client, admin)
    row = _row_of(_page(client, action="delete"), "Gone Org")
    assert "ada deleted organisation Gone Org" in _words(row) and "<a " not in row


def test_the_page_asks_the_same_number_of_queries_for_five_events_or_fifty(client, admin, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def organisations(first: int, count: int):
        for n in range(first, first + count):
            services.organisation_create(
                code=f"o{n}", name=f"Org {n}", kind="voluntary", standing="relevant_agency", actor=admin
            )

    sign_in(client, admin)
    organisations(0, 5)
    with CaptureQueriesContext(connection) as few:
        _page(client)
    organisations(5, 45)
    with CaptureQueriesContext(connection) as many:
        _page(client)
    assert len(many) == len(few)
