"""The report's life: words with their history, comments, building the figures, review,
each Lead Partner's sign-off, the check before publication, the frozen public edition and
the copy to the National Panel."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from safeguarding.core import report_sections
from safeguarding.core.date_input import date_input_data
from safeguarding.core.models import AuditEvent
from safeguarding.reports import rules, services
from safeguarding.reports.models import Report
from safeguarding.reports.tasks import build_now
from tests.conftest import make_persona, sign_in
from tests.factories import OrganisationFactory
from tests.reports.conftest import SYSTEM, WORDS, sign_all


def test_the_panel_copy_is_due_seven_days_after_publication_and_a_report_every_twelve_months():
    assert rules.panel_copy_due(dt.date(2026, 7, 14), 7) == dt.date(2026, 7, 21)
    assert rules.next_report_due(dt.date(2026, 7, 14)) == dt.date(2027, 7, 14)
    assert rules.partners_still_to_sign({1, 2, 3}, {1, 3}) == {2}
    assert rules.can_move("in_review", "draft") and not rules.can_move("published", "draft")


def test_saving_words_keeps_each_version_and_an_unchanged_save_adds_none(db):
    report = services.report_create(year_start=2025, actor=SYSTEM)
    services.narrative_save(report=report, section_key="voice", text="First.", actor=SYSTEM)
    services.narrative_save(report=report, section_key="voice", text="Second.", actor=SYSTEM)
    narrative = services.narrative_save(report=report, section_key="voice", text="Second.", actor=SYSTEM)
    assert [v.text for v in narrative.versions.all()] == ["Second.", "First."]
    with pytest.raises(ValidationError, match="no chapter"):
        services.narrative_save(report=report, section_key="gossip", text="x", actor=SYSTEM)
    with pytest.raises(ValidationError, match="already a report"):
        services.report_create(year_start=2025, actor=SYSTEM)


def test_building_fills_every_chapter_with_the_year_and_the_year_before(written):
    assert written.build_status == "finished" and written.build_progress == 1
    assert written.content["window"]["label"] == "1 April 2025 to 31 March 2026"
    assert set(written.content["sections"]) == {chapter.key for chapter in report_sections.sections()}
    reviews = written.content["sections"]["reviews"]
    assert reviews["unavailable"] == ""  # the reviews area answers now (tests/reviews/test_report.py)
    assert reviews["figures"][0]["key"] == "notifications" and reviews["figures"][0]["value"] == 0


def test_lead_partners_sign_off_only_a_report_in_review_each_for_their_own_partner(written, partners):
    (council, council_lead), (police, _police_lead), _ = partners
    with pytest.raises(ValidationError, match="in review"):
        services.sign_off_record(
            report=written, organisation=council, person=council_lead, signed_on=dt.date.today(), actor=SYSTEM
        )
    services.report_submit_for_review(report=written, actor=SYSTEM)
    with pytest.raises(ValidationError, match="Lead Safeguarding Partner"):
        services.sign_off_record(
            report=written, organisation=police, person=council_lead, signed_on=dt.date.today(), actor=SYSTEM
        )
    with pytest.raises(ValidationError, match="future"):
        services.sign_off_record(
            report=written,
            organisation=council,
            person=council_lead,
            signed_on=dt.date.today() + dt.timedelta(days=1),
            actor=SYSTEM,
        )
    services.sign_off_record(
        report=written, organisation=council, person=council_lead, signed_on=dt.date.today(), actor=SYSTEM
    )
    written.refresh_from_db()
    assert written.status == "in_review"  # two partners still to sign
    sign_all_but_council = partners[1:]
    sign_all(written, sign_all_but_council)
    assert written.status == "signed_off"


def test_an_incomplete_report_cannot_be_signed_off(partners):
    report = build_now(services.report_create(year_start=2025, actor=SYSTEM))  # figures, no words
    services.report_submit_for_review(report=report, actor=SYSTEM)
    (council, lead), *_ = partners
    with pytest.raises(ValidationError, match="checklist is not complete"):
        services.sign_off_record(
            report=report, organisation=council, person=lead, signed_on=dt.date.today(), actor=SYSTEM
        )


def test_a_planted_child_name_blocks_publication_until_it_is_removed(written, partners, sources_and_a_child):
    services.narrative_save(
        report=written, section_key="voice", text=WORDS + "\n\nWe heard from Poppy Fielding.", actor=SYSTEM
    )
    services.report_submit_for_review(report=written, actor=SYSTEM)
    report = sign_all(written, partners)
    with pytest.raises(services.PublicationBlocked) as blocked:
        services.report_publish(report=report, actor=SYSTEM)
    assert any("Poppy Fielding" in message for message in blocked.value.messages)
    report.refresh_from_db()
    assert report.status == "signed_off" and not hasattr(report, "edition")


@pytest.fixture
def sources_and_a_child(db):
    """One synthetic child's record, so the check has a name to find."""
    from safeguarding.children import records as record_checks
    from safeguarding.children import services as children

    council = OrganisationFactory(code="records-council", kind="local_authority", standing="relevant_agency")
    children.source_register(code="csc", name="Social care", organisation=council, kind="social_care", actor=SYSTEM)
    text = ",".join(record_checks.COLUMNS) + "\ncsc,1,Poppy,,Fielding,2016-05-04,F,,NS1 4AB,1 Mill Lane,2024-01-01\n"
    checked = record_checks.check_rows(
        "c.csv", record_checks.read_table("c.csv", text.encode()), known_sources={"csc"}, today=dt.date.today()
    )
    children.import_records(checked, actor=SYSTEM, origin="upload", file_name="c.csv")


def test_the_published_edition_is_public_frozen_and_starts_the_panel_clock(written, partners, client, settings):
    settings.REPORT_PANEL_COPY_DAYS = 7
    services.report_submit_for_review(report=written, actor=SYSTEM)
    edition = services.report_publish(report=sign_all(written, partners), actor=SYSTEM)
    assert edition.panel_copy_due_on == timezone.localdate(edition.published_at) + dt.timedelta(days=7)
    assert bytes(edition.pdf).startswith(b"%PDF") and bytes(edition.docx).startswith(b"PK")
    frozen = edition.content
    page = client.get(reverse("reports:edition", kwargs={"slug": edition.slug}))  # nobody signed in
    assert page.status_code == 200 and "The partners worked together." in page.content.decode()
    assert (
        client.get(reverse("reports:edition_download", kwargs={"slug": edition.slug, "fmt": "pdf"}))["Content-Type"]
        == "application/pdf"
    )
    # Later changes to the data, or attempts to change the words, leave the edition alone.
    from safeguarding.accounts.models import Area
    from safeguarding.core.report_sections import Window
    from safeguarding.performance.services import population_set

    def children_figure(chapters):
        return next(f for f in chapters["context"]["figures"] if f["key"] == "children")["value"]

    frozen_children = children_figure({c["key"]: c["content"] for c in frozen["sections"]})
    population_set(area=Area.objects.create(code="E06999777", name="Newtown"), year=2025, children=12345, actor=SYSTEM)
    live = report_sections.section("context").build(Window.reporting_year(2025)).to_dict()
    assert children_figure({"context": live}) == (frozen_children or 0) + 12345  # the data did change
    with pytest.raises(ValidationError, match="published"):
        services.narrative_save(report=written, section_key="voice", text="Rewritten.", actor=SYSTEM)
    with pytest.raises(ValidationError, match="published"):
        services.report_build_start(report=written, actor=SYSTEM, enqueue=False)
    edition.refresh_from_db()
    assert edition.content == frozen
    assert children_figure({c["key"]: c["content"] for c in edition.content["sections"]}) == frozen_children
    assert "Rewritten." not in client.get(reverse("reports:edition", kwargs={"slug": edition.slug})).content.decode()
    assert AuditEvent.objects.filter(object_type="reports.edition", action="create").exists()


def test_the_business_manager_is_reminded_to_send_the_panel_copy_until_it_is_recorded(written, partners, client):
    services.report_submit_for_review(report=written, actor=SYSTEM)
    edition = services.report_publish(report=sign_all(written, partners), actor=SYSTEM)
    manager = make_persona("business_manager")
    sign_in(client, manager)
    assert "Send the 2025/26 annual report to the National Panel" in client.get(reverse("core:home")).content.decode()
    response = client.post(
        reverse("reports:panel_sent", kwargs={"year": 2025}), date_input_data("sent_on", timezone.localdate())
    )
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.panel_copy_sent_on == timezone.localdate()
    assert "Send the 2025/26 annual report" not in client.get(reverse("core:home")).content.decode()


def test_staff_comment_on_a_chapter_and_the_business_unit_resolves_it(written, client):
    board_member = make_persona("board_member")
    sign_in(client, board_member)
    client.post(reverse("reports:comment_add", kwargs={"year": 2025, "key": "voice"}), {"text": "Add the survey."})
    comment = written.comments.get()
    assert comment.author == board_member
    page = client.get(reverse("reports:chapter", kwargs={"year": 2025, "key": "voice"})).content.decode()
    assert "Add the survey." in page and "Mark resolved" not in page  # a board member cannot resolve
    sign_in(client, make_persona("business_manager"))
    client.post(reverse("reports:comment_resolve", kwargs={"year": 2025, "pk": comment.pk}))
    comment.refresh_from_db()
    assert comment.resolved_at is not None


def test_the_business_manager_takes_the_report_from_draft_to_published_on_the_pages(
    written, partners, client, django_capture_on_commit_callbacks
):
    manager = make_persona("business_manager")
    # The persona's council is not one of this partnership's three statutory partners.
    manager.person.posts.get().organisation.__class__.objects.filter(code="testshire-council").update(
        standing="relevant_agency"
    )
    sign_in(client, manager)
    url = reverse("reports:detail", kwargs={"year": 2025})
    client.post(reverse("reports:status", kwargs={"year": 2025}), {"to": "in_review"})
    for organisation, person in partners:
        client.post(
            reverse("reports:sign_off", kwargs={"year": 2025}),
            {
                "lead_partner": person.posts.get(organisation=organisation).pk,
                **date_input_data("signed_on", dt.date.today()),
            },
        )
    assert Report.objects.get(pk=written.pk).status == "signed_off"
    assert "Check and publish" in client.get(url).content.decode()
    publish = reverse("reports:publish", kwargs={"year": 2025})
    asked = client.get(publish)  # asks first, and changes nothing
    assert "Are you sure you want to publish the 2025/26 annual report?" in asked.content.decode()
    assert Report.objects.get(pk=written.pk).status == "signed_off"
    with django_capture_on_commit_callbacks(execute=True):  # the worker publishes
        response = client.post(publish)
    assert response.status_code == 302, response.content.decode()
    assert response["Location"].endswith("/publish/progress/")
    written.refresh_from_db()
    progress = client.get(response["Location"], headers={"HX-Request": "true"})
    assert progress["HX-Redirect"] == f"/reports/published/{written.edition.slug}/"
    client.logout()
    public = client.get(reverse("reports:published_list")).content.decode()
    assert "Annual report 2025/26" in public
