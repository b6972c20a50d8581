"""Object-level access to child-level data (issue 13): the same page or API route, read
by a reader of another agency (with and without a signed sharing agreement), a desk the
policy gives no such part (education, "other"), a MASH practitioner with no post, and a
partner token of another organisation.

One small partnership is built and linked once for the module; each test runs in a
savepoint inside it. Readers are made per test, with any agreement they rely on.
"""

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from safeguarding.accounts.services import api_token_create
from safeguarding.children import records as record_checks
from safeguarding.children import services
from safeguarding.children.models import AgencyRecord, MatchReview
from safeguarding.core.models import AuditEvent
from safeguarding.governance.models import SharingAgreement
from safeguarding.moves.models import MoveAlert
from tests.children.conftest import SYSTEM, TODAY, store_a_model_trained_on_synthetic_records
from tests.conftest import sign_in
from tests.factories import OrganisationFactory, PostFactory, UserFactory

HEADER = ",".join(record_checks.COLUMNS + record_checks.INVOLVEMENT_COLUMNS) + "\n"
KNOWN = (
    "ns-csc,C1,Oliver,James,Kowalski,2014-02-03,M,9990000018,NS1 4AB,1 Mill Lane,2023-01-01,cp_plan,2025-03-01,\n"
    "ns-csc,C2,Maja,,Kowalski,2016-07-09,F,,NS1 4AB,1 Mill Lane,2023-01-01,,,\n"
    "ns-csc,C3,Amelia,,Hart,2012-11-20,F,9990000026,NS2 1AA,4 Kiln Row,2021-05-05,,,\n"
    "sv-gp,G7,Amelia,Rose,Hart,2012-11-20,F,9990000026,NS2 1AA,4 Kiln Row,2021-05-05,,,\n"
)
# The GP registration in Southvale that moves Oliver, on a Northshire plan, across the border.
ARRIVES = "sv-gp,G1,Ollie,,Kowalski,2014-02-03,M,999 000 0018,SV1 2CD,5 Quay Street,2026-11-23,,,\n"
OLIVER_NHS = "9990000018"
# Enough for a model trained on five records to name him (an NHS number alone is not).
OLIVER = {
    "first_name": "Oliver",
    "last_name": "Kowalski",
    "date_of_birth": "2014-02-03",
    "postcode": "NS1 4AB",
    "nhs_number": OLIVER_NHS,
}


def _receive(text: str, name: str):
    checked = record_checks.check_rows(
        name, record_checks.read_table(name, text.encode()), known_sources={"ns-csc", "sv-gp"}, today=TODAY
    )
    return services.records_receive(checked, actor=SYSTEM, origin="upload", file_name=name)


def _agreement(reference: str, *parties) -> SharingAgreement:
    agreement = SharingAgreement.objects.create(
        reference=reference,
        title=reference,
        purpose="MASH",
        data_shared="Records about children",
        signed_on=TODAY - dt.timedelta(days=30),
        review_due_on=TODAY + dt.timedelta(days=300),
    )
    agreement.parties.set(parties)
    return agreement


@pytest.fixture(scope="module")
def partnership_once(django_db_setup, django_db_blocker):
    """Northshire and Southvale; a council (social care, Northshire) and an ICB (GPs,
    Southvale), each with a system; a police force, a school, a women's aid charity and a
    second police force that serves no area. The register holds one signed agreement:
    council and police. Oliver, on a Northshire CP plan, is registered with a Southvale GP
    (a move alert); two pairs wait for review: council-GP and council-council."""
    from django.db import transaction

    from safeguarding.accounts.models import Area

    with django_db_blocker.unblock(), transaction.atomic():
        north = Area.objects.create(code="E06999001", name="Northshire")
        south = Area.objects.create(code="E06999002", name="Southvale")
        services.postcode_areas_set(prefixes={"NS1": north, "NS2": north, "SV1": south}, actor=SYSTEM)
        org = {
            "council": OrganisationFactory(code="council", name="Northshire Council", kind="local_authority"),
            "icb": OrganisationFactory(code="icb", name="Southvale ICB", kind="icb"),
            "police": OrganisationFactory(code="police", name="Shire Police", kind="police"),
            "school": OrganisationFactory(code="school", name="Mill Lane Primary", kind="school"),
            "womens_aid": OrganisationFactory(code="womens-aid", name="Shire Women's Aid", kind="voluntary"),
            "police_no_areas": OrganisationFactory(code="police-2", name="Transport Police", kind="police"),
        }
        org["council"].areas.set([north])
        org["icb"].areas.set([south])
        org["police"].areas.set([north, south])
        org["school"].areas.set([north])
        org["womens_aid"].areas.set([north, south])
        services.source_register(
            code="ns-csc", name="Northshire social care", organisation=org["council"], kind="social_care",
            areas=[north], actor=SYSTEM,
        )  # fmt: skip
        services.source_register(
            code="sv-gp", name="Southvale GPs", organisation=org["icb"], kind="health", areas=[south], actor=SYSTEM
        )
        _agreement("ISA-MASH", org["council"], org["police"])
        _receive(HEADER + KNOWN, "known.csv")
        store_a_model_trained_on_synthetic_records()
        call_command("children", "link", "--reuse-model")
        _receive(HEADER + ARRIVES, "arrives.csv")
        record = {r.record_id: r for r in AgencyRecord.objects.all()}
        now = timezone.now()
        pairs = {
            "council_gp": MatchReview.objects.create(
                record_a=record["C1"], record_b=record["G1"], match_probability=0.6, match_weight=1.0, created_at=now
            ),
            "council_council": MatchReview.objects.create(
                record_a=record["C1"], record_b=record["C2"], match_probability=0.5, match_weight=0.5, created_at=now
            ),
        }
        yield {"org": org, "pairs": pairs, "oliver": record["C1"].child, "alert": MoveAlert.objects.get()}
        transaction.set_rollback(True)


@pytest.fixture
def partnership(partnership_once, db):
    return partnership_once


# The readers -------------------------------------------------------------------------------


def _mash(world, org_key: str | None, name: str):
    user = UserFactory(username=name, roles=["mash_practitioner"])
    if org_key:
        PostFactory(person=user.person, organisation=world["org"][org_key])
    return user


def _with_agreement(org_key: str, *others: str) -> Callable:
    def make(world, name):
        _agreement(f"ISA-{name}", *(world["org"][key] for key in (org_key, *others)))
        return _mash(world, org_key, name)

    return make


READERS: dict[str, Callable] = {
    # the council's own MASH: shares with the police only
    "council": lambda world, name: _mash(world, "council", name),
    # another agency with an agreement with the council, not with the ICB
    "police": lambda world, name: _mash(world, "police", name),
    # another agency without any agreement
    "icb": lambda world, name: _mash(world, "icb", name),
    # another agency with agreements with both sides
    "icb_shared": _with_agreement("icb", "council"),
    # a desk without involvement details, without and with agreements
    "school": lambda world, name: _mash(world, "school", name),
    "school_shared": _with_agreement("school", "council", "icb"),
    # the "other" desk: no addresses, no involvements, no moves, whatever it has signed
    "womens_aid": _with_agreement("womens_aid", "council", "icb"),
    # a police desk serving no area
    "police_no_areas": lambda world, name: _mash(world, "police_no_areas", name),
    # a MASH practitioner with no post: no organisation, no desk, no areas
    "no_post": lambda world, name: _mash(world, None, name),
}


def reader(world, persona: str, client=None):
    user = READERS[persona](world, f"reader-{persona}")
    if client is not None:
        sign_in(client, user)
    return user


# The review queue (defect 2) ----------------------------------------------------------------

# Which pairs each reader may open: only those whose both records they may read.
REVIEW_PAIRS = {
    "council": {"council_council"},
    "police": {"council_council"},
    "icb": set(),
    "icb_shared": {"council_council", "council_gp"},
    "school": set(),
    "school_shared": {"council_council", "council_gp"},
    "womens_aid": set(),  # the "other" desk has no addresses, and a pair is decided on them
    "no_post": set(),
}


@pytest.mark.parametrize("persona", sorted(REVIEW_PAIRS))
def test_the_review_queue_lists_and_opens_only_pairs_whose_both_records_the_reader_may_read(
    persona, partnership, client
):
    user = reader(partnership, persona, client)
    allowed = REVIEW_PAIRS[persona]
    listing = client.get(reverse("children:reviews")).content.decode()
    for key, pair in partnership["pairs"].items():
        shown = f">Pair {pair.pk}<" in listing
        assert shown == (key in allowed), f"{persona}: pair {key} listed={shown}"
        response = client.get(reverse("children:review", kwargs={"pk": pair.pk}))
        assert response.status_code == (200 if key in allowed else 404), f"{persona}: pair {key}"
        page = response.content.decode()
        if key not in allowed:
            assert "Kowalski" not in page and OLIVER_NHS not in page and "5 Quay Street" not in page
    reads = AuditEvent.objects.filter(actor=user, action="read", object_type="children.matchreview")
    assert set(reads.values_list("object_id", flat=True)) == {str(partnership["pairs"][k].pk) for k in allowed}
    assert all(read.purpose for read in reads)


@pytest.mark.parametrize("persona", ["school", "womens_aid", "no_post"])
def test_a_decision_cannot_be_posted_on_a_pair_the_reader_may_not_read(persona, partnership, client):
    reader(partnership, persona, client)
    pair = partnership["pairs"]["council_gp"]
    url = reverse("children:review", kwargs={"pk": pair.pk})
    response = client.post(url, {"decision": "different", "reason": "Not the same child"})
    assert response.status_code == 404
    pair.refresh_from_db()
    assert pair.status == MatchReview.Status.PENDING


@pytest.mark.parametrize(("persona", "expected"), [("council", 1), ("school", None), ("womens_aid", None)])
def test_the_home_page_counts_only_the_pairs_the_reader_may_open(persona, expected, partnership, client):
    reader(partnership, persona, client)
    home = client.get(reverse("core:home")).content.decode()
    assert ("Possible matches to review" in home) == (expected is not None)


# "Is this child known?" (defect 3) ------------------------------------------------------------

# What each reader learns of Oliver's open involvement (a CP plan held by council social
# care): "kind" (what it is), "agency" (only that social care is involved) or "nothing".
LOOKUP_PAGE = {
    "council": "kind",
    "police": "kind",  # social care shares with the police
    "icb": "agency",  # no agreement with the council: that it is involved, not what
    "icb_shared": "kind",
    "school": "agency",
    "school_shared": "agency",  # education never sees what the involvement is
    "womens_aid": "agency",
    "no_post": "agency",
}


@pytest.mark.parametrize("persona", sorted(LOOKUP_PAGE))
def test_the_lookup_page_shows_the_kind_of_involvement_only_to_desks_and_agencies_that_may_see_it(
    persona, partnership, client
):
    user = reader(partnership, persona, client)
    response = client.post(reverse("children:lookup"), OLIVER | {"purpose": "mash_enquiry"})
    page = response.content.decode()
    assert partnership["oliver"].reference in page
    assert ("Child protection plan" in page) == (LOOKUP_PAGE[persona] == "kind"), persona
    assert "Northshire social care" in page
    assert AuditEvent.objects.filter(
        actor=user, action="read", object_type="children.child", object_id=str(partnership["oliver"].pk)
    ).exists()


# What each reader is told of Oliver in the results (issue 14, item 14): the name and date
# of birth from the best-matching record an agency shares with them (the council's "Oliver
# James Kowalski", the GP's "Ollie Kowalski"), or none; and whether a reason speaks of the
# address, which the "other" desk may not see.
LOOKUP_DETAIL = {
    "council": ("Oliver James Kowalski", True),
    "police": ("Oliver James Kowalski", True),  # the council shares with the police
    "icb": ("Ollie Kowalski", True),  # its own GP record, not the council's
    "icb_shared": ("Oliver James Kowalski", True),
    "school": (None, False),  # no agreement: no record shared
    "school_shared": ("Oliver James Kowalski", True),
    "womens_aid": ("Oliver James Kowalski", False),  # the "other" desk: no addresses
    "police_no_areas": (None, False),  # another force, no agreement
    "no_post": (None, False),  # no organisation: nobody's records
}


@pytest.mark.parametrize("persona", sorted(LOOKUP_DETAIL))
def test_the_lookup_results_name_the_child_only_from_records_the_reader_may_read(persona, partnership, client):
    reader(partnership, persona, client)
    page = client.post(reverse("children:lookup"), OLIVER | {"purpose": "mash_enquiry"}).content.decode()
    name, address_reason = LOOKUP_DETAIL[persona]
    for held in ("Oliver James Kowalski", "Ollie Kowalski"):
        assert (held in page) == (held == name), f"{persona}: {held}"
    assert ("Born 3 February 2014" in page) == (name is not None), persona
    assert ("Name and date of birth not shared with your agency" in page) == (name is None), persona
    assert ("Address or postcode:" in page) == address_reason, persona
    assert ("First name: the same" in page) == (name == "Oliver James Kowalski"), persona
    assert "100%" not in page


@pytest.mark.parametrize("persona", ["council", "school", "no_post"])
def test_a_child_opened_from_the_results_is_still_cut_to_the_readers_scope(persona, partnership, client):
    import re

    user = reader(partnership, persona, client)
    page = client.post(reverse("children:lookup"), OLIVER | {"purpose": "mash_enquiry"}).content.decode()
    child_url = reverse("children:child", kwargs={"reference": partnership["oliver"].reference})
    (search,) = set(re.findall(re.escape(child_url) + r"\?search=([A-Za-z0-9_\-]+)", page))
    opened = client.get(f"{child_url}?search={search}", follow=True).content.decode()
    assert "Why are you opening this record?" not in opened
    assert ("1 Mill Lane" in opened) == (persona == "council"), persona
    last = (
        AuditEvent.objects.filter(actor=user, action="read", object_id=str(partnership["oliver"].pk))
        .order_by("pk")
        .last()
    )
    assert last.purpose == "Lookup: A MASH enquiry about a contact or referral"


@pytest.mark.parametrize("persona", ["icb", "police", "no_post"])
def test_another_agencys_reader_cannot_open_a_child_with_someone_elses_search(persona, partnership, client):
    import re

    from django.test import Client

    reader(partnership, "council", client)
    page = client.post(reverse("children:lookup"), OLIVER | {"purpose": "mash_enquiry"}).content.decode()
    child_url = reverse("children:child", kwargs={"reference": partnership["oliver"].reference})
    (search,) = set(re.findall(re.escape(child_url) + r"\?search=([A-Za-z0-9_\-]+)", page))
    other = Client()
    user = reader(partnership, persona, other)
    opened = other.get(f"{child_url}?search={search}", follow=True).content.decode()
    assert "Why are you opening this record?" in opened
    assert not AuditEvent.objects.filter(actor=user, action="read").exists()


# A token is cut by its organisation's desk and agreements; an organisation with no desk
# (a charity) learns nothing beyond the child's ID and the match.
CSC = "Northshire social care"
LOOKUP_API = {
    # (known_to holds the council's system, involved_agencies, open_involvements, not_shared_by)
    "council": (True, [CSC], ["Child protection plan"], []),
    "police": (True, [CSC], ["Child protection plan"], []),
    "icb": (True, [CSC], [], [CSC]),  # health may see what, but the council shares nothing with it
    "school": (True, [CSC], None, []),  # education: only that social care is involved
    "womens_aid": (False, [], None, []),
}


def _token(world, org_key: str) -> dict[str, str]:
    admin = UserFactory(username=f"admin-{org_key}", roles=["administrator"])
    _row, token = api_token_create(organisation=world["org"][org_key], name="Feed", actor=admin)
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("org_key", sorted(LOOKUP_API))
def test_the_lookup_api_cuts_the_answer_by_the_tokens_organisations_desk_and_agreements(org_key, partnership, client):
    body = OLIVER | {"purpose": "Child in the emergency department"}
    response = client.post(
        "/api/v1/children/lookup", body, content_type="application/json", headers=_token(partnership, org_key)
    )
    assert response.status_code == 200, response.content
    (found,) = [c for c in response.json()["children"] if c["child_id"] == partnership["oliver"].reference]
    known_to, involved, kinds, not_shared_by = LOOKUP_API[org_key]
    assert (CSC in found["known_to"]) == known_to, found
    assert (found["involved_agencies"], found["open_involvements"], found["not_shared_by"]) == (
        involved,
        kinds,
        not_shared_by,
    ), found


# The name, date of birth and reasons a token is given: (name, the reasons' fields).
IDENTITY_REASONS = {"first_name", "last_name", "date_of_birth", "nhs_number", "sex"}
LOOKUP_API_DETAIL = {
    "council": ("Oliver James Kowalski", IDENTITY_REASONS | {"address"}),
    "police": ("Oliver James Kowalski", IDENTITY_REASONS | {"address"}),
    "icb": ("Ollie Kowalski", None),  # its own record; which of its fields compared is its own business
    "school": (None, set()),  # no record shared with it
    "police_no_areas": (None, set()),
    "womens_aid": (None, set()),  # a token of an organisation with no desk: nothing
}


@pytest.mark.parametrize("org_key", sorted(LOOKUP_API_DETAIL))
def test_the_lookup_api_names_the_child_only_from_records_shared_with_the_tokens_organisation(
    org_key, partnership, client
):
    body = OLIVER | {"purpose": "Child in the emergency department"}
    response = client.post(
        "/api/v1/children/lookup", body, content_type="application/json", headers=_token(partnership, org_key)
    )
    (found,) = [c for c in response.json()["children"] if c["child_id"] == partnership["oliver"].reference]
    name, fields = LOOKUP_API_DETAIL[org_key]
    assert found["name"] == name, found
    assert (found["date_of_birth"] == "2014-02-03") == (name is not None)
    if fields is not None:
        assert {r["field"] for r in found["reasons"]} <= fields and bool(found["reasons"]) == bool(fields), found
    if name is None:
        assert found["held_by"] is None and found["reasons"] == []


def test_a_reader_with_no_post_sees_nothing_in_detail_even_when_the_register_is_empty(partnership, client):
    SharingAgreement.objects.all().delete()  # nothing to go by: every organisation's records are shared
    reader(partnership, "no_post", client)
    url = reverse("children:child", kwargs={"reference": partnership["oliver"].reference})
    client.post(url, {"purpose": "mash_enquiry"})
    page = client.get(url).content.decode()
    assert "Kowalski" not in page and OLIVER_NHS not in page and "not shared with your agency" in page
    assert (
        client.get(reverse("children:review", kwargs={"pk": partnership["pairs"]["council_council"].pk})).status_code
        == 404
    )


# The view of a child: the same readers ---------------------------------------------------------

CHILD_VIEW = {
    # (sees the council's record in detail, sees the GP's record in detail)
    "council": (True, False),
    "police": (True, False),
    "icb": (False, True),
    "school": (False, False),
    "school_shared": (True, True),
    "no_post": (False, False),
}


@pytest.mark.parametrize("persona", sorted(CHILD_VIEW))
def test_the_view_of_a_child_shows_in_detail_only_the_records_the_readers_agency_shares(persona, partnership, client):
    user = reader(partnership, persona, client)
    url = reverse("children:child", kwargs={"reference": partnership["oliver"].reference})
    client.post(url, {"purpose": "mash_enquiry"})
    page = client.get(url).content.decode()
    council, gp = CHILD_VIEW[persona]
    assert ("1 Mill Lane" in page or "Oliver James Kowalski" in page) == council
    assert ("Ollie" in page) == gp
    assert AuditEvent.objects.filter(actor=user, action="read", object_id=str(partnership["oliver"].pk)).exists()


# Move alerts (defect 6) -------------------------------------------------------------------------

ALERTS = {
    "council": True,  # Northshire's MASH
    "icb": True,  # Southvale's
    "school": True,  # education has the moves part
    "police_no_areas": False,  # no areas: no alerts, not every alert
    "womens_aid": False,  # the "other" desk has no moves part
    "no_post": False,
}


@pytest.mark.parametrize("persona", sorted(ALERTS))
def test_move_alerts_follow_the_desk_policy_and_no_areas_means_no_alerts(persona, partnership, client):
    user = reader(partnership, persona, client)
    alert = partnership["alert"]
    allowed = ALERTS[persona]
    listing = client.get(reverse("moves:alerts")).content.decode()
    assert (f"Alert {alert.pk}" in listing) == allowed
    home = client.get(reverse("core:home")).content.decode()
    assert ("Children who moved: new alerts" in home) == allowed
    url = reverse("moves:alert", kwargs={"pk": alert.pk})
    assert client.get(url).status_code == (200 if allowed else 404)
    response = client.post(url, {"status": "acknowledged"})
    assert response.status_code == (302 if allowed else 404)
    alert.refresh_from_db()
    assert alert.status == ("acknowledged" if allowed else "new")
    reads = AuditEvent.objects.filter(actor=user, action="read", object_id=str(alert.child_id))
    assert reads.exists() == allowed


def test_an_education_reader_of_an_alert_does_not_learn_that_a_cp_plan_applies(partnership, client):
    reader(partnership, "school", client)
    alert = partnership["alert"]
    assert alert.cp_plan
    for url in (reverse("moves:alerts"), reverse("moves:alert", kwargs={"pk": alert.pk})):
        page = client.get(url).content.decode()
        assert "child protection plan" not in page.lower() and "No CP plan" not in page
        assert "transfer-in conference by" not in page
    reader_council = reader(partnership, "council")
    sign_in(client, reader_council)
    assert "transfer-in conference by" in client.get(reverse("moves:alert", kwargs={"pk": alert.pk})).content.decode()


# The upload (defect 4) -------------------------------------------------------------------------------

# The council's social-care record for Oliver, re-sent with a new address.
RESENT = (
    "ns-csc,C1,Oliver,James,Kowalski,2014-02-03,M,9990000018,SV1 9ZZ,9 Harbour Road,2026-11-20,cp_plan,2025-03-01,\n"
)

UPLOAD = {
    "council": True,  # its own system
    "admin": True,  # administrators load for any organisation
    "police": False,  # sharing an agreement is not a licence to write
    "school": False,
    "no_post": False,
}


@pytest.mark.parametrize("persona", sorted(UPLOAD))
def test_an_upload_may_name_only_the_uploaders_own_organisations_systems(persona, partnership, client):
    if persona == "admin":
        sign_in(client, UserFactory(username="ada-upload", roles=["administrator"]))
    else:
        reader(partnership, persona, client)
    before = AgencyRecord.objects.get(record_id="C1")
    upload = SimpleUploadedFile("resend.csv", (HEADER + RESENT).encode(), content_type="text/csv")
    response = client.post(reverse("children:upload"), {"file": upload, "reason": "Monthly extract"})
    after = AgencyRecord.objects.get(record_id="C1")
    if UPLOAD[persona]:
        assert response.status_code == 302
        assert after.address == "9 Harbour Road"
    else:
        assert response.status_code == 200
        page = response.content.decode()
        assert "resend.csv, row 2, column source" in page and "ns-csc" in page
        assert "your organisation" in page
        assert (after.address, after.version, after.updated_at) == (before.address, before.version, before.updated_at)


# An empty purpose (defect 7) --------------------------------------------------------------------------


@pytest.mark.parametrize("purpose", ["", "   ", " ab ", "\t\n"])
def test_the_lookup_api_trims_the_purpose_then_requires_it(purpose, partnership, client):
    body = OLIVER | {"purpose": purpose}
    response = client.post(
        "/api/v1/children/lookup", body, content_type="application/json", headers=_token(partnership, "council")
    )
    assert response.status_code == 422, response.content
    assert [e["field"] for e in response.json()["errors"]] == ["purpose"]
    assert not AuditEvent.objects.filter(purpose__startswith="API lookup").exists()


def test_the_lookup_api_keeps_the_trimmed_purpose(partnership, client):
    body = OLIVER | {"purpose": "  Child in the emergency department  "}
    response = client.post(
        "/api/v1/children/lookup", body, content_type="application/json", headers=_token(partnership, "council")
    )
    assert response.status_code == 200
    assert set(
        AuditEvent.objects.filter(action="read", object_type="children.child").values_list("purpose", flat=True)
    ) == {"API lookup: Child in the emergency department"}


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("children:lookup", OLIVER | {"purpose": "other", "purpose_detail": "   "}),
        ("children:child", {"purpose": "other", "purpose_detail": " \t "}),
    ],
)
def test_a_blank_purpose_is_refused_on_the_pages_and_nothing_is_read(url_name, data, partnership, client):
    user = reader(partnership, "council", client)
    kwargs = {"reference": partnership["oliver"].reference} if url_name == "children:child" else {}
    url = reverse(url_name, kwargs=kwargs)
    page = client.post(url, data).content.decode()
    assert "Say why" in page
    if url_name == "children:child":
        assert "Kowalski" not in client.get(url).content.decode()  # still asking
    assert not AuditEvent.objects.filter(actor=user, action="read").exists()


def test_a_blank_upload_reason_and_a_blank_closing_note_are_refused(partnership, client):
    reader(partnership, "council", client)
    upload = SimpleUploadedFile("resend.csv", (HEADER + RESENT).encode(), content_type="text/csv")
    response = client.post(reverse("children:upload"), {"file": upload, "reason": "   "})
    assert response.status_code == 200 and AgencyRecord.objects.get(record_id="C1").address == "1 Mill Lane"
    alert = partnership["alert"]
    response = client.post(reverse("moves:alert", kwargs={"pk": alert.pk}), {"status": "closed", "note": "  "})
    assert "Say why the alert is closed" in response.content.decode()


def test_a_child_read_with_a_blank_purpose_is_refused_at_the_audit_trail(partnership):
    from safeguarding.core.audit import record_child_read

    for purpose in ("", "   ", "\n"):
        with pytest.raises(ValueError, match="purpose"):
            record_child_read(actor=SYSTEM, instance=partnership["oliver"], purpose=purpose)


# One delivery's page (issue 14, item 10) --------------------------------------------------------

# Who may open a delivery of the council's own system, with its flagged cells' examples.
DELIVERY = {
    "council": True,  # its own system
    "admin": True,  # administrators load for any organisation
    "police": False,  # a signed agreement lets it read the council's records, not its deliveries
    "school": False,
    "no_post": False,
}


@pytest.mark.parametrize("persona", sorted(DELIVERY))
def test_a_delivery_opens_only_for_those_who_may_load_every_system_in_it(persona, partnership, client):
    flagged_row = "ns-csc,C9,Ada,,Moss,2015-01-01,F,,NS1 4A8B,2 Pier Road,2024-01-01,,,\n"
    own = _receive(HEADER + flagged_row, "own.csv").imported.batch
    mixed = _receive(HEADER + KNOWN, "mixed.csv").imported.batch  # the council's and the GPs'
    if persona == "admin":
        sign_in(client, UserFactory(username="ada-delivery", roles=["administrator"]))
    else:
        reader(partnership, persona, client)
    response = client.get(reverse("children:delivery", kwargs={"pk": own.pk}))
    if DELIVERY[persona]:
        assert response.status_code == 200
        page = response.content.decode()
        assert "postcode: 1 flagged" in page and "NS1 4A8B" in page
    else:
        # Not found, as for a delivery that does not exist: the page does not say which do.
        assert response.status_code == 404
        assert b"NS1 4A8B" not in response.content
    mixed_answer = client.get(reverse("children:delivery", kwargs={"pk": mixed.pk})).status_code
    assert mixed_answer == (200 if persona == "admin" else 404)


# The reads layer itself (issue 15, item 1): what each page calls ----------------------------


@pytest.mark.parametrize("persona", ["council", "icb", "school", "no_post"])
def test_each_read_applies_the_readers_scope_and_records_one_read_with_its_purpose(persona, partnership):
    from safeguarding.children import reads
    from safeguarding.moves import reads as move_reads

    user = reader(partnership, persona)
    oliver, alert = partnership["oliver"], partnership["alert"]

    def reads_recorded() -> list[str]:
        return list(
            AuditEvent.objects.filter(actor=user, action=AuditEvent.Action.READ)
            .order_by("id")
            .values_list("purpose", flat=True)
        )

    seen = reads.child_for_reader(user=user, child=oliver, purpose="Section 47 enquiry")
    assert reads_recorded() == ["Section 47 enquiry"]
    shared = {row.source for row in seen.view.records if row.shared}
    # Each agency reads its own system's record in detail; the council and the ICB have no
    # agreement, and the school and a practitioner with no post hold no record of Oliver.
    own = {"council": {"Northshire social care"}, "icb": {"Southvale GPs"}}
    assert shared == own.get(persona, set()), shared

    alert_seen = move_reads.alert_for_reader(user=user, alert=alert)
    assert reads_recorded()[-1] == f"Handling move alert {alert.pk}"
    assert alert_seen.detailed == (persona in {"council", "icb"})  # a school desk reads "an open involvement"
    if persona != "council":
        assert alert_seen.withheld  # the council's rows are not shared with them
