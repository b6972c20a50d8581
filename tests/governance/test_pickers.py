"""Person pickers (issue 14, item 16): each person shown with their post and organisation,
and the people the choice is most likely among offered first, not 74 bare names."""

import datetime
import re

from safeguarding.accounts.selectors import person_choices
from safeguarding.governance.forms import ActionForm
from safeguarding.governance.models import Meeting
from safeguarding.training.forms import SessionForm
from safeguarding.training.models import Session
from tests.factories import PostFactory, gcp2_course, three_hour_session
from tests.governance.test_pages import SYSTEM, TODAY, board  # noqa: F401 (a fixture)


def _options(select_html: str) -> list[str]:
    return re.findall(r"<option value=\"\d+\"[^>]*>([^<]+)</option>", select_html)


def test_the_deputy_picker_offers_the_members_organisation_first_with_each_persons_post(client, signed_in, board):  # noqa: F811
    stranger = PostFactory(job_title="Youth worker", person__full_name="Aaron Aardvark").person
    meeting = Meeting.objects.create(group=board["group"], date=TODAY - datetime.timedelta(days=3), mode="in_person")
    signed_in(client, "business_manager")
    page = client.get(f"/governance/meetings/{meeting.pk}/register/").content.decode()
    police_row = page[page.index("Conor Constable") :]  # the police chief's row comes second
    own, rest = police_row.split('<optgroup label="Everyone else">', 1)
    assert '<optgroup label="Testshire Police">' in own
    assert _options(own.split('<optgroup label="Testshire Police">', 1)[1]) == [
        "Conor Constable — Chief Constable, Testshire Police",
        "Ian Inspector — Chief Inspector, Testshire Police",
    ]
    others = _options(rest.split("</select>", 1)[0])
    assert others[0].startswith(f"{stranger.full_name} — Youth worker, ")  # A before C: names stay in order
    assert "Clare Chief — Chief Executive, Testshire Council" in others


def test_the_action_owner_picker_offers_group_members_first(board):  # noqa: F811
    PostFactory(job_title="Youth worker", person__full_name="Aaron Aardvark")
    labels = [label for value, label in ActionForm().fields["owner_person"].choices if value]
    assert labels[:2] == [
        "Clare Chief — Chief Executive, Testshire Council",
        "Conor Constable — Chief Constable, Testshire Police",
    ]
    assert labels[2].startswith("Aaron Aardvark — Youth worker")


def test_the_trainer_picker_offers_those_who_trained_before_first(board):  # noqa: F811
    starts = datetime.datetime(2026, 5, 1, 9, 0, tzinfo=datetime.UTC)
    three_hour_session(gcp2_course(actor=SYSTEM), starts=starts, trainer=board["inspector"], actor=SYSTEM)
    labels = [label for value, label in SessionForm().fields["trainer"].choices if value]
    assert labels[0] == "Ian Inspector — Chief Inspector, Testshire Police"
    assert Session.objects.count() == 1


def test_a_person_without_a_post_on_the_day_is_shown_by_name_and_the_choices_cost_two_queries(
    board,  # noqa: F811
    django_assert_num_queries,
):
    with django_assert_num_queries(2):
        choices = person_choices(on=TODAY - datetime.timedelta(days=4000))
    assert {c.label for c in choices} >= {"Clare Chief", "Conor Constable"}
