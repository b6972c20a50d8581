"""Every form refuses text holding a control character (issue 13, defect 12): one
middleware for all pages; the readers and the API name file, row and column themselves."""

import pytest
from django.urls import reverse

from safeguarding.core.models import AuditEvent


@pytest.mark.django_db
@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
def test_a_form_with_a_control_character_is_refused_naming_the_box(character, client, signed_in):
    client = signed_in(client, "mash_practitioner")
    reads = AuditEvent.objects.filter(action=AuditEvent.Action.READ).count()
    response = client.post(
        reverse("children:lookup"),
        {"first_name": "Ol" + character + "iver", "last_name": "Kowalski", "purpose": "section_47"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "The box “first name” contains an invisible control character" in page
    assert f"U+{ord(character):04X}" in page and "at position 3" in page
    assert AuditEvent.objects.filter(action=AuditEvent.Action.READ).count() == reads, "nothing was read"


@pytest.mark.django_db
def test_tabs_and_line_breaks_pass_to_the_form(client, signed_in):
    client = signed_in(client, "mash_practitioner")
    response = client.post(
        reverse("children:lookup"),
        {"first_name": "Oliver", "last_name": "Kowal\tski", "purpose": "section_47", "purpose_detail": "a\r\nb"},
    )
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_sign_in_page_is_covered_too(client):
    response = client.post(reverse("accounts:login"), {"username": "sam\x00", "password": "x"})
    assert response.status_code == 400 and "username" in response.content.decode()
