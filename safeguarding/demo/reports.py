"""The 2025/26 annual report, ready for the business manager: figures built from the demo's
data and every chapter written (synthetic words, naming no child or family). Sending it
for review, the Lead Partners' sign-offs and publication are left for the demo's user."""

from __future__ import annotations

import datetime
import random

from safeguarding.demo.northshire import later_loader
from safeguarding.reports import services
from safeguarding.reports.tasks import build_now

YEAR = 2025

WORDS = {
    "scrutineer": (
        "## How I looked at the partnership this year\n"
        "I attended Board and sub-group meetings, read the partnership's data and audits, and spoke with "
        "practitioners in the Multi-Agency Safeguarding Hub and in schools.\n\n"
        "## What I found\n"
        "- Leadership is visible and the three partners share the work fairly.\n"
        "- Information about children who move into the area now follows them the same day.\n"
        "- Attendance by some relevant agencies at sub-groups fell and needs attention.\n\n"
        "My recommendations, and how partners responded, are in the tables below."
    ),
    "context": (
        "Northshire is a mixed urban and rural county bordering Southvale. Most children live in the three "
        "towns; deprivation is concentrated in the north-east wards. The tables below give the child "
        "population the partnership serves."
    ),
    "priorities": (
        "The partnership set three priorities for 2025/26: child exploitation, neglect, and domestic abuse. "
        "Where a priority showed little or no progress, the Board recorded what it decided to do, shown below."
    ),
    "governance": (
        "The Board met as planned, mostly in a hybrid format. Each Lead Partner attended or sent a named "
        "delegate of the agreed seniority; where they did not, the reasons are recorded.\n\n"
        "## How effective the arrangements were\n"
        "Partners judge the arrangements effective in sharing information and holding each other to account. "
        "Relevant agencies' attendance at sub-groups is the main area to improve."
    ),
    "learning": (
        "The multi-agency training programme ran throughout the year. Bookings, attendance and the share of "
        "each agency's workforce reached are below.\n\n"
        "## Evidence of impact\n"
        "Three months after training, practitioners reported using what they learned in supervision and in "
        "referrals; audits found better recorded reasons for sharing information."
    ),
    "data": (
        "The partners' data returns are brought together each quarter. The figures below compare the year "
        "with the one before and say whether a change is more than ordinary variation. Small numbers are "
        "hidden so that no child can be identified."
    ),
    "moves": (
        "After a child died following a family's move into a neighbouring area, the partners agreed that "
        "information must follow every child. Agency records are now linked, and a child known to one area "
        "who appears in another's records is flagged to both areas' MASH the same day."
    ),
    "reviews": (
        "The partnership undertook rapid reviews following serious incident notifications, and completed a "
        "local child safeguarding practice review on information sharing across the county boundary.\n\n"
        "## Actions on recommendations\n"
        "- A joint protocol with Southvale for children moving between the areas.\n"
        "- Health records now shared with the MASH under the information sharing agreement."
    ),
    "voice": (
        "Young people's advisory groups in both towns met every term. They asked for clearer information about "
        "what happens after a referral; the partnership rewrote its leaflets with them and now publishes a "
        "young people's summary of this report."
    ),
    "next_year": (
        "For 2026/27 the partners will keep child exploitation and neglect as priorities and add children who "
        "move between areas, measured by how quickly move alerts are acknowledged and how many transfer-in "
        "conferences are held within 15 working days."
    ),
}


@later_loader(order=50)
def load_reports(*, rng: random.Random, actor, today: datetime.date) -> None:
    report = services.report_create(year_start=YEAR, actor=actor)
    for key, text in WORDS.items():
        services.narrative_save(report=report, section_key=key, text=text, actor=actor)
    build_now(report)
