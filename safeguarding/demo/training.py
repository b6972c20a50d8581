"""A year of Northshire's multi-agency training with realistic take-up: high from
schools and the voluntary sector, low from the council, NHS and police; a 15–20%
no-show rate; e-learning completions; evaluations and three-month follow-ups."""

from __future__ import annotations

import datetime
import random

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from safeguarding.accounts.models import Organisation, Post
from safeguarding.core.years import financial_year_start
from safeguarding.demo.names import FIRST_NAMES, LAST_NAMES
from safeguarding.demo.northshire import later_loader
from safeguarding.governance.models import Priority
from safeguarding.training import elearning
from safeguarding.training import services as training
from safeguarding.training.models import Booking

COURSES = [
    (
        "intro-safeguarding",
        "Introduction to multi-agency safeguarding",
        "universal",
        "virtual",
        150,
        ["working-together"],
        ["Recognise signs of abuse and neglect", "Know how to make a referral to the MASH"],
    ),
    (
        "gcp2",
        "Graded Care Profile 2: assessing neglect",
        "targeted",
        "classroom",
        360,
        ["neglect"],
        ["Complete a GCP2 assessment with a family", "Use GCP2 findings in a plan"],
    ),
    (
        "exploitation",
        "Child criminal and sexual exploitation, county lines",
        "targeted",
        "classroom",
        240,
        ["exploitation"],
        ["Spot the signs of exploitation", "Refer to the MACE panel"],
    ),
    (
        "domestic-abuse",
        "Domestic abuse and its impact on children",
        "targeted",
        "virtual",
        180,
        ["domestic-abuse"],
        ["Understand the impact of domestic abuse on children", "Use Operation Encompass notifications well"],
    ),
    (
        "online-safety",
        "Online safety for practitioners",
        "universal",
        "elearning",
        60,
        ["online-safety"],
        ["Know the main online harms to children"],
    ),
    (
        "voice-of-child",
        "Hearing the voice of the child",
        "specialist",
        "classroom",
        300,
        ["voice-of-the-child"],
        ["Record children's views in their own words", "Show how children's views changed a plan"],
    ),
]
TOPICS = [
    ("working-together", "Working together", "working-together"),
    ("neglect", "Neglect and GCP2", "neglect"),
    ("exploitation", "Exploitation", "exploitation"),
    ("domestic-abuse", "Domestic abuse", None),
    ("online-safety", "Online safety", None),
    ("voice-of-the-child", "Voice of the child", "voice-of-the-child"),
]

EXAMPLES = {
    "yes": [
        "I now complete a GCP2 with families where I am worried about neglect, and share it at the core group.",
        "I refer to the MACE panel sooner, with the warning signs written down.",
        "I check whether an Operation Encompass notification came in before I meet a child.",
        "I record what the child said in their own words in every assessment.",
    ],
    "partly": [
        "I ask children for their views before meetings, but not yet every time.",
        "I know the escalation route now; I have not had to use it yet.",
    ],
    "no": [],
}

# How likely a place goes to each kind of organisation: the seeds' pattern.
TAKE_UP = {
    "school": 8,
    "voluntary": 6,
    "nhs_trust": 1.5,
    "local_authority": 1.5,
    "police": 0.6,
    "icb": 0.5,
    "fire_rescue": 0.4,
    "housing": 1,
    "youth_justice": 1,
    "probation": 0.6,
}
# Relevant workforce: staff whose work brings them into contact with children and families.
WORKFORCE = {
    "local_authority": 380,
    "police": 420,
    "icb": 120,
    "nhs_trust": 520,
    "school": 650,
    "voluntary": 120,
    "fire_rescue": 220,
    "housing": 160,
    "youth_justice": 60,
    "probation": 140,
}


@later_loader(order=20)
def load_training(*, rng: random.Random, actor, today: datetime.date) -> None:
    priorities = {p.code: p for p in Priority.objects.all()}
    topics = {
        code: training.topic_create(code=code, title=title, priority=priorities.get(priority), actor=actor)
        for code, title, priority in TOPICS
    }
    courses = [
        training.course_create(
            code=code,
            title=title,
            description=f"{title}: a multi-agency course.",
            level=level,
            format=fmt,
            duration_minutes=minutes,
            topics=[topics[t] for t in topic_codes],
            outcomes=outcomes,
            actor=actor,
        )
        for code, title, level, fmt, minutes, topic_codes, outcomes in COURSES
    ]
    organisations = [
        o for o in Organisation.objects.filter(kind__in=TAKE_UP, standing__in=["statutory_partner", "relevant_agency"])
    ]
    weights = [TAKE_UP[o.kind] for o in organisations]
    year_start = today - relativedelta(years=1)
    for organisation in organisations:
        for year in (financial_year_start(year_start), financial_year_start(today)):
            training.workforce_set(
                organisation=organisation, year=year, headcount=WORKFORCE[organisation.kind], actor=actor
            )

    trainer = Post.objects.filter(job_title="Multi-Agency Training Coordinator").select_related("person").first()
    tz = timezone.get_current_timezone()
    people_used: set[str] = set()
    for course in courses:
        if course.format == "elearning":
            _elearning(course, organisations, weights, rng, year_start, today, people_used, actor)
            continue
        # Two years, so this year's figures have last year's beside them.
        for month in range(-12, 14, 2):
            day = year_start + relativedelta(months=month, days=rng.randint(0, 20))
            while day.weekday() >= 5:
                day += datetime.timedelta(days=1)
            starts = datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=tz)
            session = training.session_create(
                course=course,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(minutes=course.duration_minutes),
                capacity=rng.choice([16, 20, 24]),
                booking_deadline=day - datetime.timedelta(days=3),
                venue="Northshire House, Training Room 2" if course.format == "classroom" else "",
                online_link="https://meet.northshire.example/training" if course.format == "virtual" else "",
                trainer=trainer.person if trainer else None,
                actor=actor,
            )
            _fill(session, organisations, weights, rng, today, actor, people_used)


def _person_at(organisation, rng, people_used) -> tuple[str, str]:
    while True:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        domain = organisation.email_domains.split(",")[0].strip()
        email = f"{name.lower().replace(' ', '.')}.{rng.randint(1, 99)}@{domain}"
        if email not in people_used:
            people_used.add(email)
            return name, email


def _fill(session, organisations, weights, rng, today, actor, people_used) -> None:
    booked_at = session.starts_at - datetime.timedelta(days=30)
    demand = int(session.capacity * rng.uniform(0.7, 1.25))
    bookings = []
    for _ in range(demand):
        organisation = rng.choices(organisations, weights)[0]
        name, email = _person_at(organisation, rng, people_used)
        booking, _ = training.booking_create(
            session=session,
            full_name=name,
            email=email,
            organisation=organisation,
            job_role="Practitioner",
            actor=actor,
            now=booked_at,
        )
        bookings.append(booking)
    if session.starts_at.date() >= today:
        return
    # A few cancel in good time (their places go to the waiting list) and a few late.
    for booking in rng.sample(bookings, k=min(2, len(bookings))):
        booking.refresh_from_db()
        training.booking_cancel(
            booking=booking, actor=actor, now=session.starts_at - datetime.timedelta(days=rng.choice([10, 1]))
        )
    places = list(session.bookings.filter(status=Booking.Status.CONFIRMED))
    # About one in six places goes unused: the no-show rate partnerships report.
    no_shows = {b.pk for b in rng.sample(places, k=round(0.19 * len(places)))}
    outcomes = {b.pk: ("no_show" if b.pk in no_shows else "attended") for b in places}
    training.session_record_register(session=session, outcomes=outcomes, actor=actor)
    for booking in session.bookings.filter(outcome="attended"):
        if rng.random() < 0.7:
            answers = {}
            for outcome in session.course.outcomes.all():
                before = rng.randint(1, 3)
                answers[outcome.pk] = (before, min(5, before + rng.randint(0, 2)))
            training.evaluation_submit(booking=booking, answers=answers, comments="", actor=actor)
        if session.ends_at.date() + relativedelta(months=3) <= today and rng.random() < 0.4:
            changed = rng.choice(["yes", "yes", "partly", "no"])
            example = {
                "yes": "I now use the tool with every family where I am worried about neglect.",
                "partly": "I ask children for their views before meetings.",
                "no": "",
            }[changed]
            training.follow_up_submit(booking=booking, practice_changed=changed, example=example, actor=actor)


def _elearning(course, organisations, weights, rng, year_start, today, people_used, actor) -> None:
    """Completions arrive as the learning platform's CSV export, through the importer."""
    lines = ["record_id,course_code,full_name,email,organisation,job_role,completed_on"]
    for number in range(160):
        organisation = rng.choices(organisations, weights)[0]
        name, email = _person_at(organisation, rng, people_used)
        completed = year_start + datetime.timedelta(days=rng.randint(0, (today - year_start).days))
        lines.append(f"EL{number:05d},{course.code},{name},{email},{organisation.code},Practitioner,{completed}")
    elearning.import_completions(
        data="\n".join(lines).encode(),
        filename="northshire-learning-export.csv",
        platform="northshire-learning",
        actor=actor,
    )
