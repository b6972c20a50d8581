"""One view of a child: who sees which parts, the purpose asked once per session and
child, every look recorded, information sharing agreements, and what agencies disagree on."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguarding.accounts.models import Organisation
from safeguarding.children import policy, services
from safeguarding.children import records as record_checks
from safeguarding.children.child_view import RecordRow, address_timeline, discrepancies
from safeguarding.children.models import AgencyRecord, Child
from safeguarding.core.models import AuditEvent
from safeguarding.core.permissions import Role
from safeguarding.governance.models import SharingAgreement
from tests.children.conftest import SYSTEM, TODAY
from tests.conftest import make_persona, sign_in
from tests.factories import OrganisationFactory, PostFactory, UserFactory

HEADER = ",".join(record_checks.COLUMNS + record_checks.INVOLVEMENT_COLUMNS) + "\n"
ROWS = (
    "ns-csc,C1,Oliver,James,Kowalski,2014-02-03,M,9990000018,NS1 4AB,1 Mill Lane,2023-01-01,cp_plan,2025-03-01,\n"
    "sv-gp,G1,Ollie,,Kowalski,2014-03-02,M,9990000018,SV1 2CD,5 Quay Street,2026-08-01,,,\n"
)


# The policy table -------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("desk", list(policy.Desk))
def test_only_a_mash_practitioner_sees_any_part_of_a_child_and_education_sees_no_involvement_details(role, desk):
    kind = {v: k for k, v in policy.DESK_OF_KIND.items()}.get(desk, Organisation.Kind.VOLUNTARY)
    parts = policy.parts_for(frozenset({role}), Organisation(kind=kind))
    if role != Role.MASH_PRACTITIONER:
        assert parts == frozenset()
    elif desk == policy.Desk.EDUCATION:
        assert policy.Part.INVOLVEMENT_EXISTS in parts and policy.Part.INVOLVEMENTS not in parts
        assert policy.Part.HISTORY not in parts
    elif desk == policy.Desk.OTHER:
        assert policy.Part.ADDRESSES not in parts and policy.Part.IDENTITY in parts
    else:
        assert parts == policy.EVERYTHING


def test_the_policy_page_shows_the_table_to_anyone_signed_in(client, db):
    sign_in(client, make_persona(Role.SCRUTINY_MEMBER))
    page = client.get(reverse("children:access_policy")).content.decode()
    assert "MASH practitioner" in page and "Education" in page and "Only that an agency is involved" in page


# What agencies disagree on ------------------------------------------------------------------


def row(source, **values):
    return RecordRow(
        unique_id=f"{source}:1", source=source, source_kind="health", organisation="", shared=True, **values
    )


def test_two_dates_of_birth_and_two_surnames_are_said_plainly():
    found = discrepancies(
        [
            row("Social care", date_of_birth=dt.date(2014, 2, 3), last_name="Kowalski"),
            row("GP", date_of_birth=dt.date(2014, 3, 2), last_name="KOWALSKI"),
            row("School", date_of_birth=dt.date(2014, 2, 3), last_name="Smith"),
        ]
    )
    assert (
        "The agencies disagree on the date of birth: 3 February 2014 (School, Social care); 2 March 2014 (GP)." in found
    )
    assert any("more than one last name" in f and "Smith" in f for f in found)
    assert discrepancies([row("GP", date_of_birth=dt.date(2014, 2, 3))]) == []


def test_an_agency_still_holding_an_old_address_is_marked():
    rows = address_timeline(
        [
            row("Social care", address="1 Mill Lane", postcode="NS1 4AB", address_from=dt.date(2023, 1, 1)),
            row("GP", address="5 Quay Street", postcode="SV1 2CD", address_from=dt.date(2026, 8, 1)),
        ]
    )
    assert [(a.source, a.current, a.out_of_date) for a in rows] == [("GP", True, False), ("Social care", False, True)]


# The page -------------------------------------------------------------------------------------


def one_child_from(text: str) -> Child:
    """The rows imported and every record given one child, as a full run would."""
    checked = record_checks.check_rows(
        "o.csv", record_checks.read_table("o.csv", text.encode()), known_sources={"ns-csc", "sv-gp"}, today=TODAY
    )
    services.import_records(checked, actor=SYSTEM, origin="upload", file_name="o.csv")
    child = Child.objects.create(created_at=timezone.now())
    AgencyRecord.objects.update(child=child)
    return child


def social_care_shares_with(reader, sources) -> None:
    """A signed information sharing agreement between the reader's agency and social care only."""
    agreement = SharingAgreement.objects.create(
        reference=f"ISA-{reader.pk}",
        title="MASH",
        purpose="MASH",
        data_shared="All",
        review_due_on=TODAY + dt.timedelta(days=300),
        signed_on=TODAY - dt.timedelta(days=30),
    )
    agreement.parties.set([reader.person.posts.get().organisation, sources["csc"].organisation])


@pytest.fixture
def oliver(sources):
    return one_child_from(HEADER + ROWS)


def mash(kind: str, code: str):
    organisation = OrganisationFactory(code=code, kind=kind, standing="relevant_agency")
    user = UserFactory(username=f"mash-{code}", roles=["mash_practitioner"])
    PostFactory(person=user.person, organisation=organisation)
    return user


def open_child(client, child, purpose="mash_enquiry", detail=""):
    url = reverse("children:child", kwargs={"reference": child.reference})
    client.post(url, {"purpose": purpose, "purpose_detail": detail})
    return client.get(url).content.decode()


def test_the_purpose_is_asked_once_per_session_and_child_and_every_look_is_recorded(client, oliver):
    practitioner = mash("local_authority", "mash-council")
    sign_in(client, practitioner)
    url = reverse("children:child", kwargs={"reference": oliver.reference})
    asking = client.get(url).content.decode()
    assert "Why are you opening this record?" in asking and "Kowalski" not in asking
    assert not AuditEvent.objects.filter(action="read", object_id=str(oliver.pk)).exists()
    assert "Say why" in client.post(url, {"purpose": "other", "purpose_detail": ""}).content.decode()
    assert client.post(url, {"purpose": "section_47"}).status_code == 302
    first = client.get(url).content.decode()
    assert "Kowalski" in first and "Child protection plan" in first
    client.get(url)  # asked once: no form the second time, but the look is recorded again
    reads = AuditEvent.objects.filter(action="read", actor=practitioner, object_id=str(oliver.pk))
    assert reads.count() == 2
    assert set(reads.values_list("purpose", flat=True)) == {"A child protection (section 47) enquiry"}
    other = Child.objects.create(created_at=timezone.now())
    assert (
        "Why are you opening"
        in client.get(reverse("children:child", kwargs={"reference": other.reference})).content.decode()
    )
    client.logout()
    sign_in(client, practitioner)
    assert "Why are you opening" in client.get(url).content.decode()  # a new session asks again


def test_the_page_shows_records_side_by_side_addresses_over_time_and_disagreements(client, oliver):
    sign_in(client, mash("police", "mash-police"))
    page = open_child(client, oliver)
    assert "Oliver James Kowalski" in page and "Ollie Kowalski" in page
    assert "The agencies disagree on the date of birth" in page
    assert "5 Quay Street" in page and "Latest" in page and "Older address" in page
    assert "Still holding an older address: Northshire social care" in page


def test_an_education_officer_learns_social_care_is_involved_but_not_how(client, oliver):
    sign_in(client, mash("school", "mash-school"))
    page = open_child(client, oliver)
    assert "Social care: Northshire social care" in page
    assert "Child protection plan" not in page and "History of the records" not in page


def test_records_of_an_agency_without_an_agreement_with_the_reader_are_withheld(client, oliver, sources):
    police = mash("police", "mash-police")
    social_care_shares_with(police, sources)
    sign_in(client, police)
    page = open_child(client, oliver)
    assert "Oliver James Kowalski" in page  # social care shares with the police
    assert "Ollie" not in page and "5 Quay Street" not in page  # the GPs do not
    assert "not shared with your agency" in page and "Southvale GPs" in page


def test_a_merged_id_leads_to_the_child_it_was_merged_into(client, oliver):
    old = Child.objects.create(created_at=timezone.now(), status="merged", merged_into=oliver)
    sign_in(client, mash("local_authority", "mash-council"))
    response = client.get(reverse("children:child", kwargs={"reference": old.reference}))
    assert response.status_code == 302 and oliver.reference in response["Location"]
    assert client.get(reverse("children:child", kwargs={"reference": "CH-NOONE-NOONE"})).status_code == 404


# Who looked: the child's responsible agency ----------------------------------------------------


def test_an_agency_lead_sees_who_looked_only_at_children_their_agency_answers_for(client, oliver, sources):
    looker = mash("local_authority", "mash-council")
    sign_in(client, looker)
    open_child(client, oliver, purpose="section_47")
    council_lead = UserFactory(username="lead-council", roles=["agency_lead"])
    PostFactory(person=council_lead.person, organisation=sources["csc"].organisation)  # holds the CP plan
    gp_lead = UserFactory(username="lead-gp", roles=["agency_lead"])
    PostFactory(person=gp_lead.person, organisation=sources["gp"].organisation)  # a record, no involvement
    sign_in(client, council_lead)
    page = client.get(reverse("children:access_log"), {"child": oliver.reference}).content.decode()
    assert "mash-mash-council" in page and "section 47" in page
    sign_in(client, gp_lead)
    page = client.get(reverse("children:access_log"), {"child": oliver.reference}).content.decode()
    assert "that your agency answers for" in page and "mash-mash-council" not in page


FLAGGED_HEADER = ",".join(record_checks.COLUMNS + ["expected_on"]) + "\n"
FLAGGED_ROWS = (
    "ns-csc,C7,Baby,,Nowak,,U,,NS1 4AB,1 Mill Lane,2026-10-01,2027-01-20\n"
    "sv-gp,G7,Baby,,Nowak,,X,,NS1 9J,1 Mill Lane,2026-10-01,2027-01-20\n"
)


@pytest.fixture
def unborn(sources):
    return one_child_from(FLAGGED_HEADER + FLAGGED_ROWS)


def test_the_childs_page_shows_an_unborn_child_and_each_cell_kept_but_not_used(client, unborn):
    """Issue 14, item 10: the delivery page said flagged cells are shown on the child's record."""
    sign_in(client, mash("police", "mash-police"))
    page = open_child(client, unborn)
    assert page.count("Unborn: expected 20 January 2027") == 2
    assert "From Southvale GPs, the postcode is kept as sent but not used" in page and "&#39;NS1 9J&#39;" in page
    assert "From Southvale GPs, the sex is kept as sent but not used" in page
    assert "From Northshire social care" not in page  # its cells were all usable


def test_a_flagged_cell_of_an_agency_that_does_not_share_with_the_reader_is_withheld(client, unborn, sources):
    police = mash("police", "mash-police")
    social_care_shares_with(police, sources)
    sign_in(client, police)
    page = open_child(client, unborn)
    assert "Unborn: expected 20 January 2027" in page
    assert "NS1 9J" not in page and "kept as sent but not used" not in page
