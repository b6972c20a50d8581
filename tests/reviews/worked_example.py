"""A small set of reviews recorded through the services, whose questions 2 and 3 figures
are worked out by hand for the window 1 April to 30 November 2026 (and the same window a
year before). Shared by the figures, page, API and report tests.

This window:

- Notification 1: aware Wednesday 1 April 2026, notified Friday 10 April (due 10 April,
  Easter skipped): within time. One child. Its rapid review (clock from 1 April, due
  Friday 24 April) decided a local CSPR on 22 April, sent 23 April (on time); the Panel
  agreed. CSPR-2026-01 "Child Q", decided 22 April (due 22 October), paused 1 June to
  1 July for a criminal trial (30 days), published 28 September: 5.2 months, on time.
- Notification 2: aware Monday 4 May 2026 (the early May bank holiday), due Monday
  11 May, notified Friday 15 May: late, with its reason. Two children, one looked after.
  Its rapid review (due Tuesday 26 May, the spring bank holiday skipped) decided no CSPR
  on 27 May and was sent on 28 May: late. The Panel asked for more information.
- Notification 3: aware Wednesday 1 July, notified Thursday 2 July: within time. One
  child, a care leaver. Its rapid review was not required. The Panel asked for a CSPR
  anyway: CSPR-2026-02 "Child R", decided 20 August (due 20 February 2027), not
  published, paused from 2 November with no parallel process: 28 days to 30 November,
  3.3 months taken, not yet due.
- A referral decided 10 June 2026 not to notify.
- Recommendations: REC-2026-02 from Child Q, made 28 September, due 31 October, open, so
  overdue on 30 November; REC-2026-03 from Child Q, due 30 November, closed 20 November
  with a narrative of impact; REC-2026-01 from notification 2's rapid review, owned by
  the police, no theme, due 30 December: open. REC-2026-04 from a national review was
  closed on 20 March 2026, before the window: not counted.

So: 3 notifications, 2 within time (67%), 1 late; 4 children (hidden when published);
3 rapid reviews: 1 not required, 2 sent, 1 on time (50%); 1 decided a local CSPR; 2
CSPRs opened. The year before: notification 0, aware Monday 2 June 2025, notified the
next day, one child, its rapid review not required.
"""

import datetime as dt

from safeguarding.core.report_sections import Window
from safeguarding.reviews import learning, services
from tests.reviews.test_learning import final_report_in, opened, recommendation
from tests.reviews.test_services import CRITERIA, decided, signed_off

D = dt.date
WINDOW = Window(D(2026, 4, 1), D(2026, 11, 30))


def child(first: str, **details) -> services.ChildDetails:
    return services.ChildDetails(first_name=first, last_name="Example", **({"date_of_birth": D(2015, 1, 1)} | details))


def record(world) -> dict:
    actor = world.business_manager
    earlier = world.notify(
        became_aware_on=D(2025, 6, 2), notified_panel_on=D(2025, 6, 3), incident_on=D(2025, 6, 1),
        children=[child("Zed")],
    )  # fmt: skip
    services.rapid_review_not_required(
        review=earlier.rapid_review, reason="Not a serious incident.", decided_on=D(2025, 6, 4), actor=actor
    )

    # Notification 1 and Child Q.
    first = world.notify()
    review = signed_off(world, decided(world, first.rapid_review))
    services.rapid_review_send_to_panel(review=review, sent_on=D(2026, 4, 23), actor=actor)
    services.panel_reply_record(review=review, kind="agrees", replied_on=D(2026, 4, 30), text="Agreed.", actor=actor)
    child_q = opened(world, rapid_review=review)
    trial = learning.parallel_process_add(review=child_q, kind="police", description="Criminal trial", actor=actor)
    learning.practice_review_pause(
        review=child_q, paused_on=D(2026, 6, 1), reason="The trial.", parallel_process=trial, actor=actor
    )
    learning.practice_review_resume(review=child_q, resumed_on=D(2026, 7, 1), actor=actor)
    child_q = final_report_in(world, child_q)
    learning.practice_review_send_to_panel(review=child_q, sent_on=D(2026, 9, 17), actor=actor)
    child_q = learning.practice_review_publish(
        review=child_q, published_on=D(2026, 9, 28), public_link="https://testshire.example/cspr/child-q.pdf",
        redaction_checked_by="Bella Business-Manager", redaction_checked_on=D(2026, 9, 10),
        published_until=D(2027, 9, 30), actor=actor,
    )  # fmt: skip

    # Notification 2: late, and its rapid review sent late.
    second = world.notify(
        became_aware_on=D(2026, 5, 4), notified_panel_on=D(2026, 5, 15), incident_on=D(2026, 5, 3),
        late_reason="The duty team did not know the threshold.",
        children=[child("Ann", looked_after=True), child("Ben")],
    )  # fmt: skip
    late_review = services.rapid_review_decide(
        review=second.rapid_review, decided_on=D(2026, 5, 27), criteria=CRITERIA, outcome="no_cspr", actor=actor
    )
    signed_off(world, late_review, on=D(2026, 5, 27))
    services.rapid_review_send_to_panel(review=late_review, sent_on=D(2026, 5, 28), actor=actor)
    services.panel_reply_record(
        review=late_review, kind="more_information", replied_on=D(2026, 6, 5), text="Tell us more.", actor=actor
    )
    rapid_review_recommendation = recommendation(
        world, late_review, made_on=D(2026, 5, 27), due_on=D(2026, 12, 30), owner_organisation=world.org["police"],
        themes=[],
    )  # fmt: skip

    # Notification 3: not required, then the Panel's request for Child R.
    third = world.notify(
        became_aware_on=D(2026, 7, 1), notified_panel_on=D(2026, 7, 2), incident_on=D(2026, 6, 30),
        children=[child("Cal", care_leaver=True, date_of_birth=D(2005, 1, 1))],
    )  # fmt: skip
    services.rapid_review_not_required(
        review=third.rapid_review, reason="The criteria were not met.", decided_on=D(2026, 7, 3), actor=actor
    )
    child_r = learning.practice_review_open(
        origin="panel_request", notification=third, decided_on=D(2026, 8, 20), title="Child R", actor=actor
    )
    learning.practice_review_pause(review=child_r, paused_on=D(2026, 11, 2), reason="Waiting.", actor=actor)

    services.referral_record(
        referred_by=world.org["school"], referred_on=D(2026, 6, 8), summary="A fall at school.",
        decision="do_not_notify", decided_on=D(2026, 6, 10), reason="An accident, not abuse or neglect.", actor=actor,
    )  # fmt: skip

    overdue = recommendation(world, child_q, due_on=D(2026, 10, 31))
    closed = recommendation(world, child_q, due_on=D(2026, 11, 30))
    learning.impact_evidence_record(
        recommendation=closed, kind="narrative", recorded_on=D(2026, 11, 10), summary="Practice changed.", actor=actor
    )
    learning.recommendation_close(recommendation=closed, closed_on=D(2026, 11, 20), actor=actor)

    national = learning.national_review_create(title="A national review", published_on=D(2026, 2, 1), actor=actor)
    before = recommendation(world, national, made_on=D(2026, 3, 1), due_on=D(2026, 3, 31))
    learning.impact_evidence_record(
        recommendation=before, kind="narrative", recorded_on=D(2026, 3, 15), summary="Done.", actor=actor
    )
    learning.recommendation_close(recommendation=before, closed_on=D(2026, 3, 20), actor=actor)
    return {
        "child_q": child_q,
        "child_r": child_r,
        "overdue": overdue,
        "closed": closed,
        "rapid_review_recommendation": rapid_review_recommendation,
    }
