"""A small partnership with one of everything a page can show, for tests that
visit every page (the permission matrix and the browser tests)."""

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from safeguarding.accounts.services import api_token_create
from safeguarding.children.models import LinkageRun, MatchReview
from safeguarding.core.audit import SystemActor
from safeguarding.governance import services as governance
from safeguarding.moves.models import MoveAlert
from safeguarding.performance import returns
from safeguarding.performance.catalogue import load_standard_set
from safeguarding.training import services as training
from safeguarding.training.models import Booking
from tests.factories import OrganisationFactory, PostFactory, UserFactory, three_hour_session

SYSTEM = SystemActor("test world")
TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    organisation_code: str
    person_pk: int
    token_pk: int
    token: str
    group_code: str
    meeting_pk: int
    paper_pk: int
    action_pk: int
    priority_code: str
    agreement_pk: int
    recommendation_pk: int
    course_code: str
    session_pk: int
    booking_pk: int
    pending_token: str
    manage_token: str
    attended_token: str
    attended_booking_pk: int
    past_session_pk: int
    indicator_code: str
    run_pk: int
    review_pk: int
    child_reference: str
    alert_pk: int
    report_year: int
    report_chapter: str
    report_figure: str
    comment_pk: int
    edition_slug: str
    rapid_review_pk: int
    summary_request_pk: int
    practice_review_pk: int
    learning_recommendation_pk: int
    briefing_pk: int
    attachment_pk: int
    user_pk: int  # a log-in for the Users pages: Wendy World's, a board member's
    csv_format: str = "csv"
    document_kind: str = "attachment"  # the reviews' document page opens the world's attachment
    set_password_uid: str = "MA"  # the set-password page with a link that does not work
    set_password_token: str = "not-a-token"
    delivery_pk: int = 0  # set by let_read_the_worlds_child: a delivery of the MASH persona's own system
    agency_request_pk: int = 0  # set by let_answer_the_worlds_request: the agency lead's agency's request


def build_world(admin) -> World:
    today = datetime.date.today()
    council = OrganisationFactory(
        code="world-council",
        name="World Council",
        kind="local_authority",
        standing="statutory_partner",
        email_domains="world.example",
    )
    police = OrganisationFactory(
        code="world-police",
        name="World Police",
        kind="police",
        standing="statutory_partner",
        email_domains="police.world.example",
    )
    chief = PostFactory(
        organisation=council, job_title="Chief Executive", seniority="lead_partner", person__full_name="Wendy World"
    ).person
    token_row, token = api_token_create(organisation=police, name="Police feed", actor=admin)

    group = governance.group_create(
        code="world-board", name="World Board", kind="board", quorum_minimum=1, actor=SYSTEM
    )
    governance.membership_add(
        group=group,
        person=chief,
        organisation=council,
        expected_seniority="lead_partner",
        started_on=today - datetime.timedelta(days=100),
        actor=SYSTEM,
    )
    meeting = governance.meeting_create(
        group=group, date=today - datetime.timedelta(days=5), mode="hybrid", agenda=["Welcome"], actor=SYSTEM
    )
    governance.meeting_record_attendance(
        meeting=meeting, actor=SYSTEM, entries=[governance.RegisterEntry(person=chief, status="in_person")]
    )
    paper = governance.meeting_add_paper(
        meeting=meeting, title="Report", uploaded=SimpleUploadedFile("report.pdf", TINY_PDF), actor=SYSTEM
    )
    action = governance.action_create(
        reference="W-1",
        title="Refresh the MASH agreement",
        owner_organisation=police,
        created_on=today,
        due_on=today - datetime.timedelta(days=1),
        meeting=meeting,
        actor=SYSTEM,
    )
    priority = governance.priority_create(
        code="exploitation", title="Exploitation", started_on=today - datetime.timedelta(days=300), actor=SYSTEM
    )
    governance.priority_add_update(priority=priority, on=today, rating="some", narrative="Going", actor=SYSTEM)
    basis = governance.lawful_basis_create(code="uk-gdpr-6-1-e", title="UK GDPR 6(1)(e) public task", actor=SYSTEM)
    agreement = governance.agreement_create(
        reference="ISA-W",
        title="MASH sharing",
        purpose="Triage",
        data_shared="Contacts",
        parties=[council, police],
        lawful_bases=[basis],
        signed_on=today - datetime.timedelta(days=400),
        review_due_on=today + datetime.timedelta(days=30),
        document=SimpleUploadedFile("isa.pdf", TINY_PDF),
        actor=SYSTEM,
    )
    recommendation = governance.recommendation_create(
        reference="R-W",
        made_on=today,
        scrutineer=chief,
        finding="f",
        recommendation="Attend the Board",
        addressed_to=[council, police],
        actor=SYSTEM,
    )

    topic = training.topic_create(code="neglect", title="Neglect", actor=SYSTEM)
    course = training.course_create(
        code="gcp2",
        title="Graded Care Profile 2",
        description="Neglect tool",
        level="targeted",
        format="classroom",
        duration_minutes=180,
        topics=[topic],
        outcomes=["Use GCP2"],
        actor=SYSTEM,
    )
    starts = timezone.now() + datetime.timedelta(days=14)
    session = three_hour_session(course, starts=starts, capacity=10, venue="Hall", actor=SYSTEM)
    booking, manage_token = training.booking_create(
        session=session,
        full_name="Pat Practitioner",
        email="pat@world.example",
        organisation=council,
        job_role="Social worker",
        actor=SYSTEM,
    )
    pending, pending_token = training.booking_create(
        session=session,
        full_name="Quinn Pending",
        email="quinn@world.example",
        organisation=council,
        job_role="Nurse",
        email_confirmed=False,
        actor=SYSTEM,
    )
    past = training.session_create(
        course=course,
        starts_at=starts - datetime.timedelta(days=60),
        ends_at=starts - datetime.timedelta(days=60, hours=-3),
        capacity=5,
        booking_deadline=(starts - datetime.timedelta(days=60)).date(),
        venue="Hall",
        actor=SYSTEM,
    )
    attended, _ = _book_in_past(past, council)
    training.session_record_register(session=past, outcomes={attended.pk: "attended"}, actor=SYSTEM)
    load_standard_set(actor=SYSTEM, priorities={"exploitation": priority})
    rows = returns.read_upload("r.csv", b"indicator,period,value\nda-incidents,2025-Q1,410\n")
    returns.submit_return(
        organisation=police, rows=rows, file_name="r.csv", source="upload", actor=SYSTEM, submitted_by="test"
    )
    run_pk, review_pk, child_reference, alert_pk = _children(council, police)
    report_year, comment_pk, edition_slug = _reports(admin)
    rapid_review_pk, summary_request_pk, practice_review_pk, learning_recommendation_pk, briefing_pk, attachment_pk = (
        _reviews(council, police)
    )
    attended_token = "attended-token-for-tests"
    Booking.objects.filter(pk=attended.pk).update(token_hash=training.hash_token(attended_token))
    return World(
        organisation_code=council.code,
        person_pk=chief.pk,
        token_pk=token_row.pk,
        token=token,
        group_code=group.code,
        meeting_pk=meeting.pk,
        paper_pk=paper.pk,
        action_pk=action.pk,
        priority_code=priority.code,
        agreement_pk=agreement.pk,
        recommendation_pk=recommendation.pk,
        course_code=course.code,
        session_pk=session.pk,
        booking_pk=booking.pk,
        pending_token=pending_token,
        manage_token=manage_token,
        attended_token=attended_token,
        attended_booking_pk=attended.pk,
        past_session_pk=past.pk,
        indicator_code="da-incidents",
        run_pk=run_pk,
        review_pk=review_pk,
        child_reference=child_reference,
        alert_pk=alert_pk,
        report_year=report_year,
        report_chapter="governance",
        report_figure="meetings_held",
        comment_pk=comment_pk,
        edition_slug=edition_slug,
        rapid_review_pk=rapid_review_pk,
        summary_request_pk=summary_request_pk,
        practice_review_pk=practice_review_pk,
        learning_recommendation_pk=learning_recommendation_pk,
        briefing_pk=briefing_pk,
        attachment_pk=attachment_pk,
        user_pk=UserFactory(username="wendy", person=chief, email="wendy@world.example", roles=["board_member"]).pk,
    )


def let_read_the_worlds_child(user, world: World) -> None:
    """Role tests (the permission matrix, the accessibility journeys) open the world's
    review pair and move alert as the MASH persona; which records a MASH reader may open
    is object-level (tests/children/test_object_access.py). So the persona's organisation
    signs the world's sharing agreement and serves the area of its move alert; and, as only
    those who load a system may open its deliveries, it loads one record of its own."""
    from safeguarding.accounts.models import Area
    from safeguarding.children import records as record_checks
    from safeguarding.children import services as children
    from safeguarding.governance.models import SharingAgreement

    organisation = user.person.posts.get().organisation
    SharingAgreement.objects.get(reference="ISA-W").parties.add(organisation)
    organisation.areas.add(Area.objects.get(code="W-NORTH"))
    children.source_register(
        code="world-mash", name="World MASH system", organisation=organisation, kind="social_care", actor=SYSTEM
    )
    text = ",".join(record_checks.COLUMNS) + "\nworld-mash,M1,Rowan,,Ash,2017-03-02,M,,NS1 9J,2 Mill Lane,2024-01-01\n"
    checked = record_checks.check_rows(
        "m.csv",
        record_checks.read_table("m.csv", text.encode()),
        known_sources={"world-mash"},
        today=datetime.date.today(),
    )
    world.delivery_pk = children.import_records(checked, actor=SYSTEM, origin="upload", file_name="m.csv").batch.pk


def _children(council, police) -> tuple[int, int, str, int]:
    """Two records of one (fictional) child from one system, an uncertain pair for
    review, a finished linkage run, the child, and a move alert about the child."""
    from django.utils import timezone

    from safeguarding.children import records as record_checks
    from safeguarding.children import services as children

    children.source_register(
        code="world-csc", name="World social care", organisation=council, kind="social_care", actor=SYSTEM
    )
    children.source_register(code="world-police", name="World police", organisation=police, kind="police", actor=SYSTEM)
    text = (
        ",".join(record_checks.COLUMNS)
        + "\nworld-csc,W1,Poppy,,Fielding,2016-05-04,F,9990000018,NS1 4AB,1 Mill Lane,2024-01-01"
        + "\nworld-csc,W2,Poppy,,Feilding,2016-05-04,F,,NS1 4AB,1 Mill Lane,2024-01-01\n"
    )
    checked = record_checks.check_rows(
        "w.csv",
        record_checks.read_table("w.csv", text.encode()),
        known_sources={"world-csc"},
        today=datetime.date.today(),
    )
    report = children.import_records(checked, actor=SYSTEM, origin="upload", file_name="w.csv")
    first, second = sorted(report.created)
    review = MatchReview.objects.create(
        record_a_id=first, record_b_id=second, match_probability=0.7, match_weight=2.0, created_at=timezone.now()
    )
    run = LinkageRun.objects.create(
        started_by="test", status=LinkageRun.Status.FINISHED, created_at=timezone.now(), report={"children": 1}
    )
    from safeguarding.accounts.models import Area
    from safeguarding.children.models import AgencyRecord, Child

    child = Child.objects.create(created_at=timezone.now())
    AgencyRecord.objects.filter(pk=first).update(child=child)
    north = Area.objects.create(code="W-NORTH", name="World North")
    south = Area.objects.create(code="W-SOUTH", name="World South")
    alert = MoveAlert.objects.create(
        child=child,
        from_area=north,
        to_area=south,
        trigger=MoveAlert.Trigger.ADDRESS,
        trigger_record_id=first,
        detected_by=AgencyRecord.objects.get(pk=first).source,
        involvements=["cin"],
        address_changed_on=datetime.date.today(),
        raised_at=timezone.now(),
    )
    return run.pk, review.pk, child.reference, alert.pk


def let_answer_the_worlds_request(user, world: World) -> None:
    """The agency lead persona's agency is asked for its summary in the world's rapid
    review, and owns the world's recommendation, so its pages have something to open;
    another agency's is object-level (tests/reviews/test_pages.py, test_learning_pages.py)."""
    from safeguarding.reviews import services as reviews
    from safeguarding.reviews.models import LearningRecommendation, RapidReview

    review = RapidReview.objects.get(pk=world.rapid_review_pk)
    organisation = user.person.posts.get().organisation
    world.agency_request_pk = reviews.agency_summary_request(
        review=review, organisation=organisation, requested_on=review.notification.became_aware_on, actor=SYSTEM
    ).pk
    LearningRecommendation.objects.filter(pk=world.learning_recommendation_pk).update(owner_organisation=organisation)


def _reviews(council, police) -> tuple[int, int, int, int, int, int]:
    """A notification about one named child with its open rapid review, and a request
    to the police for their summary; a CSPR the Panel asked for, and a recommendation from
    it owned by the council; a 7-minute briefing from it; a document attached to the
    notification."""
    from safeguarding.accounts.models import Area
    from safeguarding.reviews import learning
    from safeguarding.reviews import services as reviews
    from safeguarding.reviews.models import NotificationReason, ReviewTheme

    today = datetime.date.today()
    reason = NotificationReason.objects.create(code="world-death", title="A child died")
    ReviewTheme.objects.create(code="world-neglect", title="Neglect")
    notification = reviews.notification_record(
        notified_by=council,
        became_aware_on=today - datetime.timedelta(days=3),
        notified_panel_on=today - datetime.timedelta(days=2),
        incident_on=today - datetime.timedelta(days=4),
        incident_place="The family home",
        incident_area=Area.objects.get(code="W-NORTH"),
        home_area=Area.objects.get(code="W-SOUTH"),
        reasons=[reason],
        children=[
            reviews.ChildDetails(first_name="Robin", last_name="Example", date_of_birth=datetime.date(2019, 2, 3))
        ],
        actor=SYSTEM,
    )
    request = reviews.agency_summary_request(
        review=notification.rapid_review, organisation=police, requested_on=notification.became_aware_on, actor=SYSTEM
    )
    cspr = learning.practice_review_open(
        origin="panel_request", notification=notification, decided_on=today, title="Child W", actor=SYSTEM
    )
    recommendation = learning.recommendation_create(
        origin=cspr,
        text="Check a family's previous addresses.",
        owner_organisation=council,
        made_on=today,
        due_on=today + datetime.timedelta(days=90),
        actor=SYSTEM,
    )
    briefing = learning.briefing_publish(
        title="7-minute briefing: Child W",
        published_on=today,
        what_to_do_differently="Ask where a family lived before.",
        uploaded=SimpleUploadedFile("briefing.pdf", TINY_PDF),
        practice_reviews=[cspr],
        actor=SYSTEM,
    )
    attachment = reviews.notification_attach(
        notification=notification,
        title="Chronology",
        uploaded=SimpleUploadedFile("chronology.pdf", TINY_PDF),
        actor=SYSTEM,
    )
    return notification.rapid_review.pk, request.pk, cspr.pk, recommendation.pk, briefing.pk, attachment.pk


def _reports(admin) -> tuple[int, int, str]:
    """A draft report for 2025/26 with one built figure and a comment, and a published
    edition of 2024/25 (its files stand in: the outputs have their own tests)."""
    from safeguarding.core.report_sections import Figure, SectionContent
    from safeguarding.reports import assembly
    from safeguarding.reports import services as reports
    from safeguarding.reports.models import Edition, Report

    figures = SectionContent(figures=[Figure("meetings_held", "Board meetings held", 4, 5)]).to_dict()
    draft = reports.report_create(year_start=2025, actor=SYSTEM)
    Report.objects.filter(pk=draft.pk).update(
        content={"window": {}, "built_at": timezone.now().isoformat(), "sections": {"governance": figures}},
        build_status=Report.BuildStatus.FINISHED,
    )
    draft.refresh_from_db()
    reports.narrative_save(
        report=draft, section_key="voice", text="## What children told us\n- More say.", actor=SYSTEM
    )
    comment = reports.comment_add(report=draft, section_key="voice", text="Add the survey.", actor=admin)
    last_year = reports.report_create(year_start=2024, actor=SYSTEM)
    Report.objects.filter(pk=last_year.pk).update(
        content={"window": {}, "built_at": timezone.now().isoformat(), "sections": {"governance": figures}},
        status=Report.Status.PUBLISHED,
    )
    last_year.refresh_from_db()
    edition = Edition.objects.create(
        report=last_year,
        slug="2024-25-world",
        published_at=timezone.now(),
        published_by="test",
        content=assembly.report_content(last_year) | {"published_at": timezone.now().isoformat()},
        pdf=b"%PDF-1.7 stand-in",
        docx=b"PK stand-in",
        panel_copy_due_on=datetime.date.today(),
    )
    return draft.year_start, comment.pk, edition.slug


def _book_in_past(session, organisation):
    """A booking made while the (now past) session was still open."""
    return Booking.objects.create(
        session=session,
        full_name="Ray Attended",
        email="ray@world.example",
        organisation=organisation,
        job_role="Teacher",
        status=Booking.Status.CONFIRMED,
        booked_at=session.starts_at - datetime.timedelta(days=20),
        confirmed_at=session.starts_at - datetime.timedelta(days=20),
    ), None
