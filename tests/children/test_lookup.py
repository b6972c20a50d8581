""" "Is this child known?": partial details, a misspelt name, the agencies that know the
child, and every search recorded with its purpose."""

import pytest
from django.urls import reverse

from safeguarding.accounts.services import api_token_create
from safeguarding.children import selectors
from safeguarding.children.models import AgencyRecord
from safeguarding.core.date_input import date_input_data
from safeguarding.core.models import AuditEvent
from tests.conftest import make_persona, sign_in


@pytest.fixture
def child_record(linked):
    """A linked record with an NHS number and a longish first name."""
    return (
        AgencyRecord.objects.filter(nhs_number_valid=True, child__isnull=False)
        .exclude(date_of_birth=None)
        .select_related("child", "source")
        .order_by("pk")
        .filter(first_name__regex=r"^[A-Za-z]{6,}$")
        .first()
    )


def test_an_nhs_number_alone_finds_the_child_and_the_agencies_that_know_them(child_record):
    results = selectors.lookup_unscoped({"nhs_number": child_record.nhs_number})
    assert results[0].reference == child_record.child.reference
    assert child_record.source.name in results[0].agencies


def test_a_misspelt_name_with_the_date_of_birth_still_finds_the_child(child_record):
    name = child_record.first_name
    misspelt = name[0] + name[2] + name[1] + name[3:]  # two letters swapped
    results = selectors.lookup_unscoped(
        {"first_name": misspelt, "last_name": child_record.last_name, "date_of_birth": str(child_record.date_of_birth)}
    )
    assert child_record.child.reference in [r.reference for r in results[:3]]


def test_nobody_matches_a_stranger(linked):
    assert (
        selectors.lookup_unscoped({"first_name": "Zebedee", "last_name": "Quillfeather", "date_of_birth": "2019-02-02"})
        == []
    )


def test_the_page_asks_why_and_records_the_search_and_each_child_found(client, child_record):
    practitioner = make_persona("mash_practitioner")
    sign_in(client, practitioner)
    url = reverse("children:lookup")
    refused = client.post(url, {"nhs_number": child_record.nhs_number})
    assert refused.status_code == 200 and "Select why you are checking" in refused.content.decode()
    assert not AuditEvent.objects.filter(action="read", actor=practitioner).exists()
    response = client.post(url, {"nhs_number": child_record.nhs_number, "purpose": "mash_enquiry"})
    assert child_record.child.reference in response.content.decode()
    search = AuditEvent.objects.get(action="read", actor=practitioner, object_type="")
    assert search.changes["search"] == {"nhs_number": child_record.nhs_number}
    assert search.purpose.startswith("Is this child known? A MASH enquiry")
    assert AuditEvent.objects.filter(
        action="read", actor=practitioner, object_type="children.child", object_id=str(child_record.child_id)
    ).exists()


def test_too_little_detail_is_refused(client, linked):
    sign_in(client, make_persona("mash_practitioner"))
    response = client.post(reverse("children:lookup"), {"first_name": "Amy", "purpose": "mash_enquiry"})
    assert "Enter an NHS number, or a first and last name" in response.content.decode()


def test_partner_systems_look_a_child_up_through_the_api(client, child_record):
    admin = make_persona("administrator")
    _row, token = api_token_create(organisation=child_record.source.organisation, name="ED", actor=admin)
    headers = {"Authorization": f"Bearer {token}"}
    body = {"nhs_number": child_record.nhs_number, "purpose": "Child in the emergency department"}
    response = client.post("/api/v1/children/lookup", body, content_type="application/json", headers=headers)
    assert response.status_code == 200
    assert response.json()["children"][0]["child_id"] == child_record.child.reference
    too_little = client.post(
        "/api/v1/children/lookup",
        {"last_name": "Smith", "purpose": "x y z"},
        content_type="application/json",
        headers=headers,
    )
    assert too_little.status_code == 422


def test_a_date_of_birth_is_typed_day_month_year_and_a_wrong_one_is_named(client, child_record):
    sign_in(client, make_persona("mash_practitioner"))
    dob = child_record.date_of_birth
    form = {"first_name": child_record.first_name, "last_name": child_record.last_name, "purpose": "section_47"}
    response = client.post(reverse("children:lookup"), form | date_input_data("date_of_birth", dob))
    assert child_record.child.reference in response.content.decode()
    wrong = client.post(
        reverse("children:lookup"),
        form | {"date_of_birth-day": "31", "date_of_birth-month": "2", "date_of_birth-year": "2019"},
    )
    assert "Date of birth must be a real date" in wrong.content.decode()


def test_the_child_is_still_found_when_many_records_make_any_two_unlikely_to_match(child_record):
    from safeguarding.children import matching

    index = matching.index_cache.get()
    index.prior_weight -= 20  # as with millions of records: the same details now score below zero
    try:
        results = selectors.lookup_unscoped({"nhs_number": child_record.nhs_number})
    finally:
        index.prior_weight += 20
    assert results and results[0].reference == child_record.child.reference


# The purpose asked once: the search's reason opens the children it found (issue 14, item 14) ----


def _search(client, record, **extra):
    """Search for the record's child by NHS number; the results page and the link to the child."""
    import re

    response = client.post(
        reverse("children:lookup"), {"nhs_number": record.nhs_number, "purpose": "section_47"} | extra
    )
    page = response.content.decode()
    child_url = reverse("children:child", kwargs={"reference": record.child.reference})
    links = re.findall(re.escape(child_url) + r"\?search=([A-Za-z0-9_\-]+)", page)
    assert links, "the result links to the child with the search"
    return page, links[0]


def _child_reads(user, child):
    return AuditEvent.objects.filter(
        actor=user, action="read", object_type="children.child", object_id=str(child.pk)
    ).order_by("pk")


def test_a_child_opened_from_the_results_is_not_asked_for_a_purpose_again_and_the_read_is_recorded(
    client, child_record
):
    practitioner = make_persona("mash_practitioner")
    sign_in(client, practitioner)
    _page, search = _search(client, child_record)
    found_at_search = _child_reads(practitioner, child_record.child).count()
    child_url = reverse("children:child", kwargs={"reference": child_record.child.reference})
    response = client.get(f"{child_url}?search={search}", follow=True)
    page = response.content.decode()
    assert "Why are you opening this record?" not in page
    assert f"Child {child_record.child.reference}" in page and child_record.last_name in page
    reads = list(_child_reads(practitioner, child_record.child))
    assert len(reads) == found_at_search + 1
    assert reads[-1].purpose == "Lookup: A child protection (section 47) enquiry"
    client.get(child_url)  # looked at again: recorded again, with the same reason
    assert _child_reads(practitioner, child_record.child).count() == found_at_search + 2


def test_the_search_detail_given_as_the_reason_is_the_reason_recorded(client, child_record):
    practitioner = make_persona("mash_practitioner")
    sign_in(client, practitioner)
    _page, search = _search(client, child_record, purpose="other", purpose_detail="Call from a nursery")
    url = reverse("children:child", kwargs={"reference": child_record.child.reference})
    client.get(f"{url}?search={search}")
    assert client.get(url).status_code == 200
    assert _child_reads(practitioner, child_record.child).last().purpose == (
        "Lookup: Another safeguarding reason (say which below): Call from a nursery"
    )


def _another_child(record):
    return AgencyRecord.objects.exclude(child=record.child).filter(child__isnull=False).select_related("child").first()


@pytest.mark.parametrize("tamper", ["another_child", "made_up", "blank", "other_reader", "expired"])
def test_a_lookup_link_cannot_be_bent_into_skipping_the_purpose(tamper, client, child_record):
    """A result's link opens only the children that search found, for the session that
    searched, for a short while; anything else asks for the purpose and records nothing."""
    from django.test import Client

    from safeguarding.children.lookup_purpose import LINK_LIFETIME, SESSION_KEY
    from tests.factories import PostFactory, UserFactory

    practitioner = make_persona("mash_practitioner")
    sign_in(client, practitioner)
    _page, search = _search(client, child_record)
    child, reader, browser = child_record.child, practitioner, client
    if tamper == "another_child":
        child = _another_child(child_record).child
    elif tamper == "made_up":
        search = "AAAAAAAAAAAA"
    elif tamper == "blank":
        search = ""
    elif tamper == "other_reader":
        reader = UserFactory(username="mo", roles=["mash_practitioner"])
        PostFactory(person=reader.person, organisation=practitioner.person.posts.first().organisation)
        browser = sign_in(Client(), reader)
    elif tamper == "expired":
        import datetime as dt

        session = client.session
        stored = session[SESSION_KEY]
        issued = dt.datetime.fromisoformat(stored[search]["at"]) - LINK_LIFETIME - dt.timedelta(minutes=1)
        stored[search]["at"] = issued.isoformat()
        session[SESSION_KEY] = stored
        session.save()
    before = _child_reads(reader, child).count()
    url = reverse("children:child", kwargs={"reference": child.reference})
    page = browser.get(f"{url}?search={search}", follow=True).content.decode()
    assert "Why are you opening this record?" in page, tamper
    assert _child_reads(reader, child).count() == before
    if tamper != "another_child":
        assert child_record.last_name not in page


def test_a_child_opened_any_other_way_still_asks_why(client, child_record):
    practitioner = make_persona("mash_practitioner")
    sign_in(client, practitioner)
    page = client.get(reverse("children:child", kwargs={"reference": child_record.child.reference})).content.decode()
    assert "Why are you opening this record?" in page


# What the results say (issue 14, item 14) ------------------------------------------------------


def test_the_results_name_the_child_with_the_date_of_birth_the_agencies_and_why_they_match(client, child_record):
    sign_in(client, make_persona("mash_practitioner"))
    name = child_record.first_name
    misspelt = name[0] + name[2] + name[1] + name[3:]
    dob = child_record.date_of_birth
    response = client.post(
        reverse("children:lookup"),
        {
            "first_name": misspelt,
            "last_name": child_record.last_name,
            **date_input_data("date_of_birth", dob),
            "purpose": "mash_enquiry",
        },
    )
    page = response.content.decode()
    assert child_record.last_name in page and f"Born {dob:%-d %B %Y}" in page
    assert child_record.source.name in page
    assert "Last name: the same" in page and "Date of birth: the same" in page
    assert "First name: " in page and ("differs</strong>" in page or "close</strong>" in page)
    assert "100%" not in page


def test_a_misspelt_name_reads_as_close_not_certain(child_record):
    from safeguarding.children.policy import EVERYTHING
    from safeguarding.children.selectors import ReaderScope

    name = child_record.first_name
    misspelt = name[0] + name[2] + name[1] + name[3:]
    found = selectors.lookup_unscoped(
        {"first_name": misspelt, "last_name": child_record.last_name, "date_of_birth": str(child_record.date_of_birth)}
    )
    (known,) = [
        k
        for k in selectors.lookup_as_seen_by(found, ReaderScope(None, EVERYTHING, None))
        if k.reference == child_record.child.reference
    ]
    verdicts = {r.field: r.verdict for r in known.reasons}
    assert verdicts["last_name"] == verdicts["date_of_birth"] == "agrees"
    assert verdicts["first_name"] in ("close", "differs")
    assert known.match_shown != "100%" and int(known.match_shown.rstrip("%")) <= 99


@pytest.mark.parametrize(
    ("probability", "shown"),
    [(0.99994, "99%"), (1.0, "99%"), (0.999, "99%"), (0.987, "98%"), (0.5, "50%"), (0.0, "0%")],
)
def test_the_match_figure_is_cut_down_never_rounded_up_to_certainty(probability, shown):
    from safeguarding.children.match_reasons import match_shown

    assert match_shown(probability) == shown


def test_each_detail_compared_gives_a_reason_and_missing_ones_give_none():
    from safeguarding.children.match_reasons import reasons, summary

    found = reasons(
        [
            ("first_name", "one typo", 5.1),
            ("last_name", "exact", 7.6),
            ("date_of_birth", "different", -6.0),
            ("nhs_number", "missing", 0.0),
            ("nhs_number", "one typo", 4.0),
        ]
    )
    assert [(r.label, r.words, r.verdict) for r in found] == [
        ("First name", "one letter different", "close"),
        ("Last name", "the same", "agrees"),
        ("Date of birth", "different", "differs"),
        ("NHS number", "one digit different, or two digits swapped", "close"),
    ]
    assert summary(found) == "1 of 4 details compared agree exactly"


def test_every_level_of_the_model_has_words_of_its_own():
    from safeguarding.children.match_reasons import LEVEL_WORDS
    from safeguarding.linkage.spec import COMPARISONS

    labels = {level.label for spec in COMPARISONS for level in spec.levels if not level.is_null}
    assert labels <= set(LEVEL_WORDS)


def test_the_api_lookup_gives_the_name_date_of_birth_and_reasons(client, child_record):
    from tests.factories import OrganisationFactory

    admin = make_persona("administrator")
    hospital = OrganisationFactory(code="shire-hospital", kind="nhs_trust")  # the health desk
    _row, token = api_token_create(organisation=hospital, name="ED", actor=admin)
    body = {"nhs_number": child_record.nhs_number, "purpose": "Child in the emergency department"}
    response = client.post(
        "/api/v1/children/lookup", body, content_type="application/json", headers={"Authorization": f"Bearer {token}"}
    )
    found = response.json()["children"][0]
    assert child_record.last_name in found["name"]
    assert found["date_of_birth"] == child_record.date_of_birth.isoformat()
    assert {"field": "nhs_number", "verdict": "agrees", "detail": "the same"} in found["reasons"]


# Speed: the index is built once per process, not on a search (issue 14, item 14) ---------------


def test_a_new_model_version_reuses_the_records_the_index_holds(linked):
    """After a full run the web workers' indexes meet a new model version; rebuilding
    from the database there made the next search take seconds."""
    from django.utils import timezone

    from safeguarding.children import matching
    from safeguarding.children.models import ModelVersion

    index = matching.index_cache.get()
    builds, size = matching.index_cache.builds, len(index)
    current = ModelVersion.objects.get(is_current=True)
    ModelVersion.objects.filter(pk=current.pk).update(is_current=False)
    newer = ModelVersion.objects.create(
        version=f"{current.version}-next",
        trained_at=timezone.now(),
        records_trained_on=current.records_trained_on,
        parameters={
            **current.parameters,
            "settings": {**current.parameters["settings"], "probability_two_random_records_match": 0.001},
        },
        is_current=True,
    )
    again = matching.index_cache.get()
    assert matching.index_cache.builds == builds and len(again) == size
    assert again is not index and again._cols is index._cols
    assert again.prior_weight != index.prior_weight  # scored by the new version
    assert matching.index_cache._version == newer.version
