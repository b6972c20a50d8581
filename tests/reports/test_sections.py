"""Each area's chapters and questions for the annual report, built through the registry
as the reports app builds them, against figures worked out by hand for the reporting
year 1 April 2025 to 31 March 2026 (and the year before it), with the sources resolving
to real pages, small numbers hidden as "[c]", and no child's name anywhere."""

import datetime as dt
import json
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.urls import resolve
from django.utils import timezone

from safeguarding.accounts import services as accounts
from safeguarding.accounts.models import Area
from safeguarding.children import services as children
from safeguarding.children.models import AgencyRecord, Child, ImportBatch
from safeguarding.core.audit import SystemActor
from safeguarding.core.report_sections import SUPPRESSED, Window, questions, section
from safeguarding.governance import services as gov
from safeguarding.moves import rules as children_rules
from safeguarding.moves.models import MoveAlert
from safeguarding.performance import returns
from safeguarding.performance.catalogue import load_standard_set
from safeguarding.performance.services import population_set
from safeguarding.training import services as training
from tests.factories import OrganisationFactory

SYSTEM = SystemActor("test")
D = dt.date
LONDON = ZoneInfo("Europe/London")
YEAR = Window.reporting_year(2025)  # 1 April 2025 to 31 March 2026
CHILD_NAMES = ("Zephyrine", "Quillfeather")

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore")]


def build(key):
    content = section(key).build(YEAR)
    serialised = json.dumps(content.to_dict(), default=str)
    assert not any(name.lower() in serialised.lower() for name in CHILD_NAMES)
    for figure in content.figures:
        assert resolve(urlsplit(figure.source).path), figure.key
        assert "date_from=2025-04-01&date_to=2026-03-31" in figure.source or "populations" in figure.source
        assert figure.explanation
    return content, {f.key: (f.value, f.previous) for f in content.figures}


def table(content, caption):
    return next(t for t in content.tables if t.caption.startswith(caption))


def question(number):
    return next(q for q in questions() if q.number == number)


# Governance -------------------------------------------------------------------------------


@pytest.fixture
def governance(db):
    org = {
        kind: OrganisationFactory(code=kind, name=name, kind=kind, standing="statutory_partner")
        for kind, name in (("local_authority", "Council"), ("police", "Police"), ("icb", "ICB"))
    }
    org["school"] = OrganisationFactory(code="school", name="School", kind="school", standing="relevant_agency")

    def person(name, kind, title, seniority):
        return accounts.person_create(
            full_name=name, organisation=org[kind], job_title=title, seniority=seniority,
            started_on=D(2020, 1, 1), actor=SYSTEM,
        )  # fmt: skip

    p = {
        "clare": person("Clare", "local_authority", "Chief Executive", "lead_partner"),
        "conor": person("Conor", "police", "Chief Constable", "lead_partner"),
        "iris": person("Iris", "icb", "Chief Executive", "lead_partner"),
        "ianto": person("Ianto Deputyson", "police", "Chief Inspector", "manager"),
        "nia": person("Nia", "icb", "Director of Nursing", "director"),
        "sam": person("Sam", "school", "Designated Safeguarding Lead", "practitioner"),
        "ivy": person("Ivy", "school", "Independent Scrutineer", "director"),
    }
    board = gov.group_create(code="board", name="Board", kind="board", quorum_minimum=1, actor=SYSTEM)
    sub = gov.group_create(code="sub", name="Subgroup", kind="subgroup", quorum_minimum=1, actor=SYSTEM)
    for who, kind in (("clare", "local_authority"), ("conor", "police"), ("iris", "icb")):
        gov.membership_add(
            group=board, person=p[who], organisation=org[kind], expected_seniority="lead_partner",
            started_on=D(2024, 1, 1), actor=SYSTEM,
        )  # fmt: skip
    gov.membership_add(
        group=sub, person=p["sam"], organisation=org["school"], expected_seniority="practitioner",
        started_on=D(2024, 1, 1), actor=SYSTEM,
    )  # fmt: skip

    def hold(group, day, mode, **register):
        meeting = gov.meeting_create(group=group, date=day, mode=mode, actor=SYSTEM)
        entries = [
            gov.RegisterEntry(p[who], s) if isinstance(s, str) else gov.RegisterEntry(p[who], "deputy", deputy=p[s[1]])
            for who, s in register.items()
        ]
        gov.meeting_record_attendance(meeting=meeting, entries=entries, actor=SYSTEM)

    hold(board, D(2024, 9, 1), "in_person", clare="in_person", conor="in_person", iris="in_person")
    hold(board, D(2025, 6, 1), "virtual", clare="virtual", conor=("deputy", "ianto"), iris="apologies")
    hold(sub, D(2025, 9, 1), "in_person", sam="in_person")
    hold(board, D(2025, 10, 1), "in_person", clare="in_person", conor="in_person", iris=("deputy", "nia"))
    hold(board, D(2026, 1, 15), "hybrid", clare="absent", conor="apologies", iris="in_person")
    gov.meeting_create(group=board, date=D(2026, 2, 1), mode="virtual", status="cancelled", actor=SYSTEM)

    neglect = gov.priority_create(code="neglect", title="Neglect", started_on=D(2024, 4, 1), actor=SYSTEM)
    for on, rating, decision in (
        (D(2024, 10, 1), "good", ""),
        (D(2025, 5, 1), "some", ""),
        (D(2026, 2, 1), "little_or_none", "Fund two GCP2 trainers"),
    ):
        gov.priority_add_update(priority=neglect, on=on, rating=rating, narrative="n", decision=decision, actor=SYSTEM)
    gov.priority_create(code="voice", title="Voice of the child", started_on=D(2025, 6, 1), actor=SYSTEM)

    def recommend(reference, made_on, addressed_to, **responses):
        item = gov.recommendation_create(
            reference=reference, made_on=made_on, scrutineer=p["ivy"], finding="f",
            recommendation=f"Do {reference}", addressed_to=[org[k] for k in addressed_to], actor=SYSTEM,
        )  # fmt: skip
        for kind, response in responses.items():
            gov.response_record(
                recommendation=item, organisation=org[kind], response=response, reason="Because",
                responded_on=made_on + dt.timedelta(days=20), actor=SYSTEM,
            )  # fmt: skip

    recommend("R0", D(2024, 11, 1), ["local_authority"], local_authority="accepted")
    recommend("R1", D(2025, 7, 1), ["local_authority", "police", "icb"], local_authority="accepted", police="rejected")
    recommend("R2", D(2026, 3, 1), ["police"], police="partly")


def test_governance_chapter_answers_question_1(governance):
    content, f = build("governance")
    # Three Board meetings held in the year (the cancelled one not counted), one the year before.
    assert f["meetings_held"] == (3, 1)
    assert f["mode_virtual"] == (pytest.approx(1 / 3), 0.0)
    assert f["mode_in_person"] == (pytest.approx(1 / 3), 1.0)
    assert f["mode_hybrid"] == (pytest.approx(1 / 3), 0.0)
    assert f["all_meetings_held"] == (4, 1)  # with the subgroup's meeting
    assert "group=board" in content.figures[0].source
    #                           meetings, in person, virtually, deputy, apologies, absent, rate
    assert [row[:9] for row in table(content, "Lead Partners").rows] == [
        ["Clare", "Council", 3, 1, 1, 0, 0, 1, "67%"],
        ["Iris", "ICB", 3, 1, 0, 1, 1, 0, "33%"],
        ["Conor", "Police", 3, 1, 0, 1, 1, 0, "33%"],
    ]
    # To whom and how senior, by post: a manager and a director stood in for Lead Partners.
    assert table(content, "Deputies").rows == [
        ["Iris", "ICB", "2025-10-01", "Director of Nursing", "Director", "yes"],
        ["Conor", "Police", "2025-06-01", "Chief Inspector", "Manager", "yes"],
    ]
    assert "Ianto" not in json.dumps(content.to_dict(), default=str)
    assert table(content, "Board attendance by agency").rows[0] == ["Council", 3, 2, 0, 1, "67%", "67%"]
    assert [row[0] for row in table(content, "Attendance at each group").rows] == ["Board", "Subgroup"]
    assert content.charts and all(c.svg.startswith("<svg") and c.alt_text and c.rows for c in content.charts)
    assert question(1).build is section("governance").build


def test_priorities_chapter_answers_question_8(governance):
    content, f = build("priorities")
    assert f["priorities"] == (2, 1)  # voice of the child started in June 2025
    assert f["little_or_none"] == (1, 0)  # neglect: good in October 2024, little or none by February 2026
    assert table(content, "Each priority").rows == [
        ["Neglect", "Little or no progress", "2026-02-01", "Fund two GCP2 trainers"],
        ["Voice of the child", "Not yet rated", "", ""],
    ]
    assert table(content, "Priorities with little").rows == [["Neglect", "2026-02-01", "Fund two GCP2 trainers"]]
    assert question(8).build is section("priorities").build


def test_scrutineer_chapter_answers_question_9(governance):
    content, f = build("scrutineer")
    assert f["recommendations"] == (2, 1)
    assert (f["responses_accepted"], f["responses_partly"], f["responses_rejected"]) == ((1, 1), (1, 0), (1, 0))
    assert f["awaiting"] == (1, 0)  # the ICB has not answered R1
    rows = {row[0]: row for row in table(content, "The scrutineer").rows}
    assert rows["R1"][3:] == ["Council: Accepted; Police: Rejected", "ICB"]
    assert set(rows) == {"R1", "R2"}
    assert question(9).build is section("scrutineer").build


# Training -----------------------------------------------------------------------------------


def at(year, month, day, hour=10):
    return dt.datetime(year, month, day, hour, tzinfo=LONDON)


@pytest.fixture
def learning(db):
    school = OrganisationFactory(code="school", name="Riverside High", kind="school", email_domains="riverside.example")
    council = OrganisationFactory(
        code="council", name="Testshire Council", kind="local_authority", standing="statutory_partner",
        email_domains="testshire.example",
    )  # fmt: skip
    topic = training.topic_create(code="neglect", title="Neglect", actor=SYSTEM)
    course = training.course_create(
        code="gcp2", title="Graded Care Profile 2", description="d", level="targeted", format="classroom",
        duration_minutes=180, topics=[topic], outcomes=["Use GCP2", "Explain neglect"], actor=SYSTEM,
    )  # fmt: skip
    outcomes = list(course.outcomes.order_by("position").values_list("pk", flat=True))

    def session(starts, capacity, *people):
        made = training.session_create(
            course=course, starts_at=starts, ends_at=starts + dt.timedelta(hours=3), capacity=capacity,
            booking_deadline=starts.date(), venue="Hall", actor=SYSTEM,
        )  # fmt: skip
        bookings = {}
        for name, organisation, _outcome in people:
            booking, _ = training.booking_create(
                session=made, full_name=name, email=f"{name.lower()}@{organisation.email_domains}",
                organisation=organisation, job_role="Practitioner", actor=SYSTEM, now=starts - dt.timedelta(days=9),
            )  # fmt: skip
            bookings[name] = booking
        training.session_record_register(
            session=made, outcomes={bookings[n].pk: outcome for n, _, outcome in people}, actor=SYSTEM
        )
        return made, {name: type(b).objects.get(pk=b.pk) for name, b in bookings.items()}

    _, b = session(
        at(2025, 6, 10), 10,
        ("Ann", school, "attended"), ("Bob", school, "no_show"),
        ("Cat", council, "attended"), ("Dan", council, "attended"),
    )  # fmt: skip
    session(at(2024, 6, 10), 5, ("Eve", council, "attended"))
    cancelled, _ = session(at(2025, 9, 1), 20)
    training.session_cancel(session=cancelled, actor=SYSTEM)
    training.workforce_set(organisation=school, year=2025, headcount=20, actor=SYSTEM)
    training.workforce_set(organisation=council, year=2025, headcount=100, actor=SYSTEM)
    for name, scores in (("Ann", [(2, 4), (3, 5)]), ("Cat", [(1, 3), (2, 4)])):
        training.evaluation_submit(
            booking=b[name], answers=dict(zip(outcomes, scores, strict=True)), comments="", actor=SYSTEM
        )
    for name, changed in (("Ann", "yes"), ("Cat", "no"), ("Dan", "partly")):
        training.follow_up_submit(booking=b[name], practice_changed=changed, example="Used it", actor=SYSTEM)


def test_learning_chapter_answers_question_4(learning):
    content, f = build("learning")
    assert f["places_offered"] == (10, 5)  # the cancelled session's 20 places not counted
    assert (f["booked"], f["attended"], f["no_shows"]) == ((4, 1), (3, 1), (1, 0))
    assert f["no_show_rate"] == (0.25, 0.0)
    assert f["people_reached"] == (3, 1)
    assert (f["evaluations"], f["follow_ups"], f["practice_changed"]) == ((2, 0), (3, 0), (2, 0))
    assert f["practice_changed_share"] == (pytest.approx(2 / 3), None)
    assert table(content, "Places and reach by agency").rows == [
        ["Riverside High", 2, 1, 1, "50%", 1, 20, "5%"],
        ["Testshire Council", 2, 2, 0, "0%", 2, 100, "2%"],
    ]
    # Confidence 2.5 → 4.5 over Ann's and Cat's four answers; two of three follow-ups changed practice.
    assert table(content, "Evidence of impact").rows == [["Graded Care Profile 2", 2, 2.0, 4.0, "+2.0", 3, "67%"]]
    assert "Used it" not in json.dumps(content.to_dict())  # free text is left to the narrative
    assert {c.title for c in content.charts} == {
        "Share of each organisation's workforce reached",
        "No-show rate by organisation",
    }
    assert question(4).build is section("learning").build


# Performance --------------------------------------------------------------------------------

HEADER = "indicator,period,breakdown,breakdown_value,value,denominator\n"


def _send(organisation, lines):
    rows = returns.read_upload("r.csv", (HEADER + "\n".join(lines) + "\n").encode())
    returns.submit_return(
        organisation=organisation, rows=rows, file_name="r.csv", source="upload", actor=SYSTEM,
        submitted_by="test", now=dt.datetime(2026, 7, 15, 12, tzinfo=dt.UTC), confirm_unusual=True,
    )  # fmt: skip


@pytest.fixture
def performance(db):
    load_standard_set(actor=SYSTEM, priorities={})
    north = Area.objects.create(code="A1", name="Northtown")
    south = Area.objects.create(code="A2", name="Southtown")
    council = OrganisationFactory(code="council", kind="local_authority", standing="statutory_partner")
    police = OrganisationFactory(code="police", kind="police", standing="statutory_partner")
    council.areas.set([north, south])
    police.areas.set([north, south])
    population_set(area=north, year=2024, children=10_000, actor=SYSTEM)
    population_set(area=north, year=2025, children=10_200, actor=SYSTEM)
    population_set(area=south, year=2025, children=5_000, actor=SYSTEM)
    # The year's last quarter (January to March 2026) is 2025-Q4; 2026-Q1 is after the year.
    _send(council, ["referrals,2024-Q4,,,120,"])
    _send(council, ["referrals,2025-Q4,,,150,", "re-referrals-12m,2025-Q4,,,20,500"])
    _send(council, ["referrals,2026-Q1,,,999,"])
    _send(police, ["mace-children-repeat,2024-Q4,,,8,"])
    _send(police, ["mace-children-repeat,2025-Q4,,,3,"])


@override_settings(SUPPRESSION_THRESHOLD=5)
def test_data_chapter_answers_question_7_as_published(performance):
    content, f = build("data")
    assert f["referrals"] == (150, 120)  # not 999: that quarter is after the year
    assert content.figures[[x.key for x in content.figures].index("referrals")].label.endswith(
        "(January to March 2026)"
    )
    assert f["mace-children-repeat"] == (SUPPRESSED, 8)  # three children: hidden
    assert f["re-referrals-12m"] == (0.2, None)  # 20% as a fraction; nothing sent a year before
    rows = {row[0]: row for row in table(content, "Indicators").rows}
    assert rows["Referrals to children's social care"][2:5] == ["150", "120", "+30 (+25%)"]
    assert rows["Referrals to children's social care"][6].startswith("a rise of 25%")
    assert rows["Children discussed at MACE (repeat)"][2:7] == [
        SUPPRESSED, "8", "hidden: would reveal a small number", "hidden: would reveal a small number",
        "numbers too small to publish a comparison",
    ]  # fmt: skip
    assert "999" not in json.dumps(content.to_dict() | {"charts": [c.alt_text for c in content.charts]})
    assert "No figures sent for this year" in table(content, "Notes").rows[-1][0]
    assert all(c.svg.startswith("<svg") for c in content.charts)
    assert question(7).build is section("data").build


def test_context_chapter_gives_the_child_population_by_area(performance):
    content, f = build("context")
    # 2025/26: Northtown's 2025 estimate and Southtown's; the year before, Northtown's alone.
    assert f["children"] == (15_200, 10_000)
    assert table(content, "Children aged 0 to 17").rows == [
        ["Northtown", 10_200, 2025, 10_000],
        ["Southtown", 5_000, 2025, ""],
    ]
    assert content.charts[0].rows == [["Northtown", "10,200"], ["Southtown", "5,000"]]


# Children who moved -------------------------------------------------------------------------


@pytest.fixture
def moves(db):
    north = Area.objects.create(code="E06999001", name="Northshire")
    south = Area.objects.create(code="E06999002", name="Southvale")
    council = OrganisationFactory(code="council", kind="local_authority", standing="statutory_partner")
    icb = OrganisationFactory(code="icb", kind="icb", standing="statutory_partner")
    csc = children.source_register(
        code="ns-csc", name="Northshire social care", organisation=council, kind="social_care", areas=[north],
        actor=SYSTEM,
    )  # fmt: skip
    gp = children.source_register(
        code="sv-gp", name="Southvale GPs", organisation=icb, kind="health", areas=[south], actor=SYSTEM
    )
    batch = ImportBatch.objects.create(origin="command", actor_label="test", at=at(2024, 1, 1))

    def alert(n, source, raised, changed_days_before):
        child = Child.objects.create(created_at=raised)
        record = AgencyRecord.objects.create(
            source=source, record_id=f"R{n}", first_name=CHILD_NAMES[0], last_name=CHILD_NAMES[1], child=child,
            area=south, batch=batch, first_received_at=raised, updated_at=raised,
        )  # fmt: skip
        due = children_rules.transfer_in_conference_due(raised.date())
        MoveAlert.objects.create(
            child=child, from_area=north, to_area=south, trigger="address", trigger_record=record,
            detected_by=source, involvements=["cp_plan"], cp_plan=True,
            address_changed_on=raised.date() - dt.timedelta(days=changed_days_before), raised_at=raised,
            conference_due_on=due, conference_held_on=raised.date() + dt.timedelta(days=3),
            status="acknowledged", acknowledged_at=raised,
        )  # fmt: skip

    # The year: six children on a plan found by the GPs, two of them (40 days on) late.
    for n, (day, before) in enumerate([(12, 1), (13, 1), (14, 1), (15, 1), (19, 40), (20, 40)]):
        alert(n, gp, at(2025, 5, day), before)
    # The year before: two, found by social care the next day.
    alert(10, csc, at(2024, 6, 3), 1)
    alert(11, csc, at(2024, 6, 4), 1)


@override_settings(SUPPRESSION_THRESHOLD=5)
def test_moves_chapter_answers_question_10_with_small_numbers_hidden(moves):
    assert timezone.localdate() > YEAR.end  # every conference is past due: held ones count as held
    content, f = build("moves")
    assert f["moves"] == (6, SUPPRESSED)  # two moves the year before: hidden
    assert f["cp_plan"] == (6, SUPPRESSED)
    assert f["found_late"] == (SUPPRESSED, SUPPRESSED)  # two late: hidden
    assert f["found_late_health_only"] == (SUPPRESSED, SUPPRESSED)
    assert f["conferences_within_time"] == (6, SUPPRESSED)
    assert f["conferences_within_time_share"] == (1.0, None)
    assert f["conferences_overdue"] == (0, SUPPRESSED)
    assert f["days_to_alert_median"] == (1, SUPPRESSED)  # 1, 1, 1, 1, 40, 40
    assert table(content, "Children who moved").rows[0] == ["All moves", 6, SUPPRESSED]
    assert table(content, "Moves into each area").rows[1][:4] == ["Southvale", 6, 0, 6]
    assert any(SUPPRESSED in row[0] for row in table(content, "Notes").rows)
    assert content.charts[0].rows[1] == ["Health", "6"]
    assert question(10).build is section("moves").build


def test_every_chapter_builds_from_an_empty_partnership(db):
    for key in ("scrutineer", "context", "priorities", "governance", "learning", "data", "moves", "reviews"):
        content, _ = build(key)
        assert content.unavailable == ""
    assert {q.number for q in questions() if q.build} == {1, 2, 3, 4, 7, 8, 9, 10}


def test_a_chapter_registered_twice_is_refused_not_silently_replaced():
    from django.core.exceptions import ImproperlyConfigured

    from safeguarding.core.report_sections import ReportSection, register_section, section

    existing = section("reviews")
    with pytest.raises(ImproperlyConfigured, match="'reviews' is registered twice"):
        register_section(ReportSection("reviews", "Another reviews chapter", 1, "guidance"))
    assert section("reviews") is existing
