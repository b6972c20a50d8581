"""What happened in each of the demo's serious incidents and reviews, as data, for
``demo/reviews.py`` to write through the services: the maintained lists, the six cases,
the referrals that were not notified, and the recommendations with their actions.
Every child, family and review here is invented."""

from __future__ import annotations

from dataclasses import dataclass

from safeguarding.reviews.models import RapidReview

# The maintained lists. No migration seeds them (a partnership keeps its own), so the
# demo adds what is missing and uses what is already there.
REASONS = [
    ("death", "A child died, and abuse or neglect is known or suspected"),
    ("serious-harm", "A child was seriously harmed, and abuse or neglect is known or suspected"),
    ("looked-after-death", "A looked-after child died"),
    ("care-leaver-death", "A care leaver, up to and including age 24, died"),
    ("death-in-custody", "A child died in custody or detention"),
]
THEMES = [
    ("neglect", "Neglect"),
    ("exploitation", "Exploitation"),
    ("domestic-abuse", "Domestic abuse"),
    ("mental-health", "Mental health"),
    ("information-sharing", "Information sharing"),
    ("transience-and-moves", "Transience and moves"),
    ("voice-of-the-child", "Voice of the child"),
]


@dataclass(frozen=True)
class Case:
    """One notification and how its rapid review went.

    ``months_ago``: when the partners became aware. ``notified_after``: working days to
    the notification (over 5 is late). ``outcome``: the rapid review's decision ("" for
    not required, None for still open). ``sent_on_day``: the working day it went to the
    Panel (over 15 is late). ``reply``: the Panel's reply, or "" for none yet."""

    key: str
    months_ago: int
    place: str
    reasons: tuple[str, ...]
    children: tuple[str, ...]  # "linked:<age>", "linked-moved:<age>", "named:<age>", "care-leaver:<age>"
    agencies: tuple[str, ...]
    notified_after: int = 3
    late_reason: str = ""
    outcome: str | None = RapidReview.Outcome.NO_CSPR
    criteria: tuple[bool, bool, bool, bool] = (True, False, False, False)
    rationales: tuple[str, str, str, str] = ("", "", "", "")
    themes: tuple[str, ...] = ()
    not_required_reason: str = ""
    chased: str = ""  # the agency chased for its summary
    sent_on_day: int = 15
    reply: str = RapidReview.PanelReply.AGREES
    reply_text: str = ""
    leads_sign: bool = False  # the Lead Partners sign, not their delegates


CASES = [
    Case(
        key="infant-neglect",
        months_ago=23,
        place="The family home",
        reasons=("death",),
        children=("linked:1",),
        agencies=("northshire-community-health", "northshire-hospitals", "northshire-homes"),
        outcome=RapidReview.Outcome.LOCAL_CSPR,
        criteria=(True, True, True, False),
        rationales=(
            "Health visiting contacts lapsed for seven months and no agency followed up.",
            "Neglect of a young child in poor housing: the third case in three years.",
            "Housing knew of the conditions; neither health nor social care was told.",
            "The Panel has not asked for a national review.",
        ),
        themes=("neglect", "information-sharing", "voice-of-the-child"),
        leads_sign=True,
        reply_text="The Panel agrees that the criteria for a local review are met and looks forward to the report.",
    ),
    Case(
        key="exploitation-stabbing",
        months_ago=19,
        place="A public park",
        reasons=("serious-harm",),
        children=("linked:15",),
        agencies=("northshire-yjs", "riverside-high", "young-peoples-project", "northshire-hospitals"),
        notified_after=8,
        late_reason=(
            "The police and the council disagreed at first whether the harm was serious; the decision to notify "
            "was taken by the Director of Children's Services on the eighth working day."
        ),
        criteria=(True, True, False, False),
        rationales=(
            "Return home interviews after missing episodes were not done within 72 hours.",
            "Criminal exploitation through county lines is a recurring theme in the MACE profile.",
            "Agencies shared information well through MACE; no concern about joint working.",
            "The Panel has not asked for a national review.",
        ),
        themes=("exploitation", "voice-of-the-child"),
        chased="northshire-yjs",
        reply_text=(
            "The Panel agrees that a local review is not needed: the rapid review identified the learning, and it "
            "asks to see the partnership's action on return home interviews."
        ),
    ),
    Case(
        key="sudden-infant-death",
        months_ago=14,
        place="The family home",
        reasons=("death",),
        children=("named:0",),
        agencies=("northshire-hospitals", "northshire-community-health"),
        outcome="",
        not_required_reason=(
            "The post-mortem found a natural cause of death; no abuse or neglect is known or suspected, so the "
            "case does not meet the criteria for a rapid review. The child death review process continues."
        ),
    ),
    Case(
        key="domestic-abuse-siblings",
        months_ago=11,
        place="The family home",
        reasons=("serious-harm",),
        children=("linked:9", "named:6"),
        agencies=("northshire-womens-aid", "st-aidans-primary", "probation-northshire", "northshire-community-health"),
        outcome=RapidReview.Outcome.LOCAL_CSPR,
        criteria=(True, True, True, False),
        rationales=(
            "Operation Encompass notifications reached the school days late.",
            "Domestic abuse was present in most of the partnership's rapid reviews.",
            "Probation's risk assessment of the mother's partner was not shared with the MASH.",
            "The Panel has not asked for a national review.",
        ),
        themes=("domestic-abuse", "information-sharing"),
        sent_on_day=19,
        reply=RapidReview.PanelReply.MORE_INFORMATION,
        reply_text=(
            "The Panel asks for more information on why probation's assessment was not shared, and on the "
            "delay in sending the rapid review, before it responds on the decision."
        ),
    ),
    Case(
        key="care-leaver",
        months_ago=7,
        place="Supported accommodation",
        reasons=("care-leaver-death",),
        children=("care-leaver:19",),
        agencies=("ns-icb", "northshire-hospitals", "northshire-homes"),
        outcome=RapidReview.Outcome.NATIONAL_REVIEW,
        criteria=(True, True, False, False),
        rationales=(
            "The move from children's to adult mental health services left a gap of four months.",
            "The third care leaver's death in the region in a year.",
            "Agencies worked together; the gap was between services, not agencies.",
            "The Panel has not yet considered the case.",
        ),
        themes=("mental-health",),
        reply=RapidReview.PanelReply.DISAGREES,
        reply_text=(
            "The Panel does not take the case as a national review: its thematic work on care leavers covers the "
            "learning. It asks the partnership to share the rapid review with the regional network."
        ),
    ),
    Case(
        key="moved-child",
        months_ago=0,  # still open: the partners became aware 12 working days ago
        place="A friend's flat",
        reasons=("serious-harm",),
        children=("linked-moved:14",),
        agencies=("northshire-academies", "northshire-community-health", "southvale-council"),
        outcome=None,
        chased="southvale-council",
        reply="",
    ),
]

# An agency's referral that did not become a notification: months ago, agency, summary, reason.
REFERRALS = [
    (
        20,
        "st-aidans-primary",
        "A pupil came to school with a broken wrist and bruising.",
        "The hospital found the injury accidental and consistent with the family's account; no abuse or neglect "
        "is suspected. Early help offered.",
    ),
    (
        5,
        "northshire-police",
        "A 15-year-old was found with serious injuries after a fall at a disused building.",
        "The harm was serious but no abuse or neglect is known or suspected; referred to the MACE panel for "
        "the exploitation concerns instead.",
    ),
]

# A recommendation: its key, text, owner, themes, months until due, its SMART actions
# (title, months until due, outcome: done, in_progress or open) and how it ends
# ("" open; or the kind of impact evidence that closes it).
RecommendationPlan = tuple[str, str, str, tuple[str, ...], int, tuple[tuple[str, int, str], ...], str]

CSPR_PUBLISHED_RECOMMENDATIONS: list[RecommendationPlan] = [
    (
        "gcp2",
        "Health visitors use the Graded Care Profile 2 with every family where neglect is a concern.",
        "northshire-community-health",
        ("neglect",),
        6,
        (
            ("Train every health visitor in GCP2", 3, "done"),
            ("Audit GCP2 use in health visiting records", 5, "done"),
        ),
        "training",
    ),
    (
        "housing-referrals",
        "Housing officers refer concerns about children's living conditions to the MASH.",
        "northshire-homes",
        ("neglect", "information-sharing"),
        6,
        (
            ("Brief every tenancy officer on the MASH referral route", 2, "done"),
            ("Report referrals by tenancy officers to the Board", 5, "open"),
        ),
        "",
    ),
    (
        "voice",
        "Every assessment records what the child said, or how a young child's experience was observed.",
        "northshire-council",
        ("voice-of-the-child",),
        9,
        (("Add the child's words to the assessment template", 2, "done"),),
        "narrative",
    ),
]
CSPR_PAUSED_RECOMMENDATIONS: list[RecommendationPlan] = [
    (
        "encompass",
        "Operation Encompass notifications reach the school before the start of the next school day.",
        "northshire-police",
        ("domestic-abuse", "information-sharing"),
        4,
        (("Send Encompass notifications from the overnight desk by 08:00", 3, "in_progress"),),
        "",
    ),
]
RAPID_REVIEW_RECOMMENDATIONS: list[RecommendationPlan] = [
    (
        "return-interviews",
        "Every child who returns from a missing episode is offered an interview within 72 hours.",
        "northshire-council",
        ("exploitation",),
        6,
        (
            ("Commission return home interviews from the Young People's Project", 2, "done"),
            ("Screen every return interview for exploitation and refer to MACE", 4, "done"),
        ),
        "indicator",
    ),
]
NATIONAL_REVIEW = (
    "Demo only (fictional): 'Children on the move', a national review of children whose families move between areas",
    "https://national-panel.example/reviews/children-on-the-move",
)
NATIONAL_RECOMMENDATIONS: list[RecommendationPlan] = [
    (
        "protocol",
        "Agree a written protocol with each neighbouring partnership for children on a plan who move.",
        "northshire-council",
        ("transience-and-moves", "information-sharing"),
        6,
        (("Sign the cross-border protocol with Southvale", 4, "done"),),
        "narrative",
    ),
    (
        "gp-registration",
        "GP practices tell the MASH when a child on a plan registers from another area.",
        "ns-icb",
        ("transience-and-moves",),
        8,
        (("Add a MASH alert to GP registration for children on a plan", 6, "open"),),
        "",
    ),
]
SCRUTINY_RECOMMENDATION: RecommendationPlan = (
    "training-targets",
    "Each statutory partner sets and reports a target for its staff's attendance at multi-agency training.",
    "northshire-police",
    ("information-sharing",),
    6,
    (("Set a target for public protection officers' attendance", 4, "in_progress"),),
    "",
)

# What the evidence of impact says, by the recommendation it closes.
IMPACT: dict[str, str] = {
    "voice": (
        "Practitioners at the learning event said the template's prompt changed how they write assessments; "
        "the case audit found the child's words in nine of twelve assessments, from three before."
    ),
    "protocol": (
        "MASH practitioners in both areas say children on a plan who move are now discussed within a day, "
        "and a family told the reviewer they were not asked to repeat their story."
    ),
    "gcp2": "Health visitors trained in GCP2 now complete it with families; the course's reach is below.",
    "return-interviews": (
        "More children at risk of exploitation are identified and discussed at MACE since return interviews began."
    ),
}
