"""Question 10 as figures: children with an open involvement who moved in or out.

One hand-worked spring (1 March to 31 May 2026, counted on 10 June 2026) with Good
Friday, Easter Monday and two May bank holidays in it. Alert by alert:

| alert | from → to | plan | found by | address changed | raised | days | working days | late | acknowledged (wd) | conference due / held |
| A1 | N → S | CP | GP (health) | Mon 2 Mar | Fri 20 Mar | 18 | 14 | yes | Mon 23 Mar (1) | Tue 14 Apr / 14 Apr: within |
| A2 | N → S | CP | social care | Mon 30 Mar | Thu 2 Apr | 3 | 3 | no | Wed 8 Apr (2) | Mon 27 Apr / 29 Apr: late |
| A3 | S → N | CP | police | Fri 1 May | Wed 20 May | 19 | 12 | yes | no | Thu 11 Jun / none: not yet due |
| A4 | S → N | CP | GP (health) | Wed 1 Apr | Mon 20 Apr | 19 | 11 | yes | Mon 20 Apr (0) | Tue 12 May / none: overdue |
| A5 | N → S | CIN | social care | Tue 26 May | Wed 27 May | 1 | 1 | no | Mon 1 Jun (3) | — |
| A6 | S → N | CIN | GP (health) | Fri 27 Feb | Sun 1 Mar 00:30 | 2 | 0 | no | no | — |
| A8 | N → S | CIN | social care | Fri 29 May | Sun 31 May 23:30 BST | 2 | 0 | no | no | — |

Outside: one raised 28 February 23:30 and one 1 June 00:30 BST (31 May in UTC).
Days to the alert, sorted: 1 2 2 3 18 19 19, median 3, 90th percentile (nearest rank,
the 7th of 7) 19. Working days to acknowledge: 0 1 2 3, median 1.5.
"""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from safeguarding.children import services
from safeguarding.children.models import AgencyRecord, Child, ImportBatch
from safeguarding.core.audit import SystemActor
from safeguarding.core.models import AuditEvent
from safeguarding.core.permissions import Role
from safeguarding.core.windows import last_twelve_months
from safeguarding.moves import rules
from safeguarding.moves.figures import (
    AreaMoves,
    Conferences,
    Delays,
    MoveFigures,
    SourceMoves,
    move_figures,
    percentile_90,
    year_before,
)
from safeguarding.moves.models import MoveAlert
from safeguarding.moves.presentation import HIDDEN, published
from tests.conftest import make_persona, sign_in
from tests.factories import OrganisationFactory

SYSTEM = SystemActor("test")
LONDON = ZoneInfo("Europe/London")
START, END, TODAY = dt.date(2026, 3, 1), dt.date(2026, 5, 31), dt.date(2026, 6, 10)
WINDOW = {"date_from": "2026-03-01", "date_to": "2026-05-31"}


def at(year, month, day, hour=10, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


class Alerts:
    """Makes move alerts the way detection leaves them, one child and record each."""

    def __init__(self, sources):
        self.sources = sources
        self.batch = ImportBatch.objects.create(origin="command", actor_label="test", at=at(2026, 1, 1))
        self.n = 0

    def __call__(self, frm, to, source, *, changed, raised, cp=True, acknowledged=None, held=None, closed=False):
        self.n += 1
        child = Child.objects.create(created_at=raised)
        record = AgencyRecord.objects.create(
            source=source,
            record_id=f"R{self.n}",
            last_name="Test",
            child=child,
            area=to,
            batch=self.batch,
            first_received_at=raised,
            updated_at=raised,
        )
        return MoveAlert.objects.create(
            child=child,
            from_area=frm,
            to_area=to,
            trigger="address",
            trigger_record=record,
            detected_by=source,
            involvements=["cp_plan"] if cp else ["cin"],
            cp_plan=cp,
            address_changed_on=changed,
            raised_at=raised,
            conference_due_on=rules.transfer_in_conference_due(raised.astimezone(LONDON).date()) if cp else None,
            conference_held_on=held,
            status="closed" if closed else ("acknowledged" if acknowledged else "new"),
            acknowledged_at=acknowledged,
            closed_at=raised if closed else None,
            closed_reason="The child had not moved" if closed else "",
        )


@pytest.fixture
def spring(sources):
    north, south, gp, csc = sources["north"], sources["south"], sources["gp"], sources["csc"]
    police = services.source_register(
        code="sv-police",
        name="Southvale police",
        organisation=OrganisationFactory(code="police", kind="police", standing="statutory_partner"),
        kind="police",
        areas=[south],
        actor=SYSTEM,
    )
    alert = Alerts(sources)
    alert(
        north, south, gp, changed=dt.date(2026, 3, 2), raised=at(2026, 3, 20),
        acknowledged=at(2026, 3, 23, 9), held=dt.date(2026, 4, 14),
    )  # fmt: skip
    alert(
        north, south, csc, changed=dt.date(2026, 3, 30), raised=at(2026, 4, 2, 15),
        acknowledged=at(2026, 4, 8, 9), held=dt.date(2026, 4, 29),
    )  # fmt: skip
    alert(south, north, police, changed=dt.date(2026, 5, 1), raised=at(2026, 5, 20))
    alert(south, north, gp, changed=dt.date(2026, 4, 1), raised=at(2026, 4, 20), acknowledged=at(2026, 4, 20, 16))
    alert(
        north, south, csc, cp=False, changed=dt.date(2026, 5, 26), raised=at(2026, 5, 27),
        acknowledged=at(2026, 6, 1, 9),
    )  # fmt: skip
    alert(south, north, gp, cp=False, changed=dt.date(2026, 2, 27), raised=at(2026, 3, 1, 0, 30))
    alert(north, south, csc, cp=False, changed=dt.date(2026, 2, 26), raised=at(2026, 2, 28, 23, 30))  # outside
    alert(north, south, csc, cp=False, changed=dt.date(2026, 5, 29), raised=at(2026, 5, 31, 23, 30))
    alert(north, south, csc, cp=False, changed=dt.date(2026, 5, 29), raised=at(2026, 6, 1, 0, 30))  # outside
    # The year before: one move, found the next day and acknowledged at once.
    alert(
        north, south, csc, cp=False, changed=dt.date(2025, 4, 9), raised=at(2025, 4, 10),
        acknowledged=at(2025, 4, 10, 11),
    )  # fmt: skip
    return {**sources, "police": police, "alert": alert}


def test_conference_due_dates_skip_the_bank_holidays():
    # 15 working days from Friday 20 March 2026, Good Friday and Easter Monday not counted.
    assert rules.transfer_in_conference_due(dt.date(2026, 3, 20)) == dt.date(2026, 4, 14)
    assert rules.transfer_in_conference_due(dt.date(2026, 4, 2)) == dt.date(2026, 4, 27)
    assert rules.transfer_in_conference_due(dt.date(2026, 4, 20)) == dt.date(2026, 5, 12)
    assert rules.transfer_in_conference_due(dt.date(2026, 5, 20)) == dt.date(2026, 6, 11)


def test_moves_in_and_out_of_each_area(spring, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        figures = move_figures(start=START, end=END, today=TODAY)
    assert (figures.moves, figures.cp_plan, figures.other) == (7, 4, 3)
    assert figures.by_area == [
        AreaMoves("Northshire", in_cp_plan=2, in_other=1, in_total=3, out_cp_plan=2, out_other=2, out_total=4),
        AreaMoves("Southvale", in_cp_plan=2, in_other=2, in_total=4, out_cp_plan=2, out_other=1, out_total=3),
    ]


def test_how_moves_were_found(spring):
    figures = move_figures(start=START, end=END, today=TODAY)
    assert figures.by_kind == {"social_care": 3, "health": 3, "police": 1, "education": 0, "other": 0}
    assert figures.by_source == [
        SourceMoves("Northshire social care", "social_care", 3),
        SourceMoves("Southvale GPs", "health", 3),
        SourceMoves("Southvale police", "police", 1),
    ]
    assert (figures.found_late, figures.found_late_health_only) == (3, 2)


def test_days_taken(spring):
    delays = move_figures(start=START, end=END, today=TODAY).delays
    assert delays == Delays(
        to_alert_median_days=3,
        to_alert_p90_days=19,
        to_alert_from=7,
        acknowledged=4,
        acknowledge_median_working_days=1.5,
        not_acknowledged=3,
    )


def test_transfer_in_conferences_counted_in_working_days(spring):
    conferences = move_figures(start=START, end=END, today=TODAY).conferences
    assert conferences == Conferences(within_time=1, held_late=1, overdue=1, not_yet_due=1, closed_without=0, total=4)
    # The day after A3's conference fell due, it is overdue too.
    later = move_figures(start=START, end=END, today=dt.date(2026, 6, 12)).conferences
    assert (later.overdue, later.not_yet_due) == (2, 0)


def test_a_closed_alert_with_no_conference_is_not_overdue(spring):
    spring["alert"](
        spring["north"], spring["south"], spring["csc"],
        changed=dt.date(2026, 3, 2), raised=at(2026, 3, 3), closed=True,
    )  # fmt: skip
    conferences = move_figures(start=START, end=END, today=TODAY).conferences
    assert (conferences.overdue, conferences.closed_without, conferences.total) == (1, 1, 5)


def test_window_edges_are_local_dates(spring):
    assert move_figures(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 1), today=TODAY).moves == 1
    assert move_figures(start=dt.date(2026, 2, 28), end=dt.date(2026, 2, 28), today=TODAY).moves == 1
    assert move_figures(start=dt.date(2026, 5, 31), end=dt.date(2026, 5, 31), today=TODAY).moves == 1
    # 00:30 on 1 June BST is still 31 May in UTC, but a June alert here.
    assert move_figures(start=dt.date(2026, 6, 1), end=dt.date(2026, 6, 1), today=TODAY).moves == 1


def test_the_year_before(spring):
    before = move_figures(start=START, end=END, today=TODAY).year_before()
    assert (before.start, before.end, before.today) == (dt.date(2025, 3, 1), dt.date(2025, 5, 31), TODAY)
    assert (before.moves, before.cp_plan, before.found_late) == (1, 0, 0)
    assert before.delays.to_alert_median_days == 1
    assert before.delays.acknowledge_median_working_days == 0
    assert year_before(dt.date(2024, 2, 29), dt.date(2025, 2, 28)) == (dt.date(2023, 2, 28), dt.date(2024, 2, 28))


def test_no_moves(db):
    figures = move_figures(start=START, end=END, today=TODAY)
    assert (figures.moves, figures.by_source, figures.delays.to_alert_median_days) == (0, [], None)
    assert published(figures, 5).moves == 0


def test_ninetieth_percentile_is_a_real_value():
    assert percentile_90(list(range(1, 11))) == 9
    assert percentile_90(list(range(1, 12))) == 10
    assert percentile_90([4]) == 4


# Small numbers ---------------------------------------------------------------------------


def figures_with(by_area, *, late=0, health_late=0, conferences=(0, 0, 0, 0, 0), acknowledged=None) -> MoveFigures:
    moves = sum(a.in_total for a in by_area)
    cp = sum(a.in_cp_plan for a in by_area)
    acknowledged = moves if acknowledged is None else acknowledged
    return MoveFigures(
        start=START,
        end=END,
        today=TODAY,
        moves=moves,
        cp_plan=cp,
        other=moves - cp,
        by_area=by_area,
        by_kind={"social_care": moves, "health": 0, "police": 0, "education": 0, "other": 0},
        by_source=[SourceMoves("Council", "social_care", moves)],
        found_late=late,
        found_late_health_only=health_late,
        delays=Delays(3, 10, moves, acknowledged, 1, moves - acknowledged),
        conferences=Conferences(*conferences, total=cp),
    )


def test_a_small_count_is_hidden_with_another_so_it_cannot_be_worked_back():
    figures = figures_with(
        [
            AreaMoves("North", in_cp_plan=2, in_other=30, in_total=32, out_cp_plan=20, out_other=20, out_total=40),
            AreaMoves("South", in_cp_plan=20, in_other=10, in_total=30, out_cp_plan=2, out_other=20, out_total=22),
        ],
        late=13,
        health_late=3,
        conferences=(16, 6, 0, 0, 0),
    )
    shown = published(figures, 5)
    north, south = shown.by_area
    assert north.in_cp_plan is None
    # North's row and the CP plan column each have a second hidden count.
    assert north.in_other is None or north.in_total is None
    assert south.in_cp_plan is None or shown.cp_plan is None
    assert shown.found_late == 13 and shown.found_late_health_only is None
    assert shown.moves == 62 and shown.delays.to_alert_median_days == 3


def test_a_hidden_cp_plan_total_hides_everything_that_adds_up_to_it():
    figures = figures_with(
        [
            AreaMoves("North", in_cp_plan=3, in_other=30, in_total=33, out_cp_plan=0, out_other=20, out_total=20),
            AreaMoves("South", in_cp_plan=0, in_other=10, in_total=10, out_cp_plan=3, out_other=20, out_total=23),
        ],
        conferences=(3, 0, 0, 0, 0),
    )
    shown = published(figures, 5)
    assert (shown.moves, shown.cp_plan, shown.other) == (43, None, None)
    assert [(a.in_cp_plan, a.in_other) for a in shown.by_area] == [(None, None), (None, None)]
    assert [(a.out_cp_plan, a.out_other) for a in shown.by_area] == [(None, None), (None, None)]
    assert shown.conferences == Conferences(None, None, None, None, None, total=None)


def test_medians_from_few_moves_are_hidden():
    figures = figures_with(
        [AreaMoves("North", in_cp_plan=0, in_other=30, in_total=30, out_cp_plan=0, out_other=30, out_total=30)],
        acknowledged=4,
    )
    shown = published(figures, 5)
    assert shown.delays.to_alert_median_days == 3
    assert shown.delays.acknowledge_median_working_days is None
    assert shown.delays.acknowledged is None
    assert shown.delays.not_acknowledged is None  # 26 of 30 would give the 4 away


# The page and the downloads --------------------------------------------------------------


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def row(rows, label):
    return next(r for r in rows if r and r[0] == label)


def test_the_page_shows_true_figures_to_an_analyst(client, spring):
    sign_in(client, make_persona(Role.ANALYST))
    response = client.get(reverse("moves:figures"), WINDOW)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Children who moved in or out" in page
    assert "1 March 2026 to 31 May 2026" in page and "1 March 2025" in page
    assert HIDDEN not in page
    assert "for internal use, not for publication" in page


def test_a_scrutineer_sees_small_numbers_hidden(client, spring):
    sign_in(client, make_persona(Role.SCRUTINEER))
    page = client.get(reverse("moves:figures"), WINDOW).content.decode()
    assert f"{HIDDEN}: a count from 1 to 4" in page
    response = client.get(reverse("moves:figures_download", kwargs={"fmt": "csv"}), WINDOW)
    rows = rows_of(response)
    # 7 moves are shown; 4 on a plan and 3 not, and every count under 5, are not. The
    # year before had one move, so nothing of it is shown, not even its zeros.
    assert row(rows, "All moves")[1:] == ["7", HIDDEN]
    assert row(rows, "On a child protection plan")[1:] == [HIDDEN, HIDDEN]
    assert row(rows, "Northshire")[1:] == [HIDDEN] * 6
    assert row(rows, "Education")[1:] == ["0", HIDDEN]
    assert row(rows, "Southvale GPs")[1:] == ["Health", HIDDEN, HIDDEN]
    assert row(rows, "Held late")[1:] == [HIDDEN, HIDDEN]
    assert row(rows, "Days from the address change to the alert, median")[1:] == ["3", HIDDEN]
    assert row(rows, "Working days from the alert to acknowledgement, median")[1:] == [HIDDEN, HIDDEN]
    assert any(HIDDEN + ": a count from 1 to 4" in r[0] for r in rows if r)


def test_the_csv_download(client, spring):
    sign_in(client, make_persona(Role.ANALYST))
    response = client.get(reverse("moves:figures_download", kwargs={"fmt": "csv"}), WINDOW)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "children-who-moved-2026-03-01-to-2026-05-31.csv" in response["Content-Disposition"]
    rows = rows_of(response)
    assert rows[0] == ["Children who moved"]
    assert row(rows, "All moves")[1:] == ["7", "1"]
    assert row(rows, "On a child protection plan")[1:] == ["4", "0"]
    assert row(rows, "Northshire")[1:] == ["2", "1", "3", "0", "0", "0"]
    assert row(rows, "Southvale")[1:] == ["2", "2", "4", "0", "1", "1"]
    assert row(rows, "Health")[1:] == ["3", "0"]
    assert row(rows, "Southvale police")[1:] == ["Police", "1", "0"]
    assert row(rows, "Of those, found only through health records")[1:] == ["2", "0"]
    assert row(rows, "Days from the address change to the alert, 90th percentile")[1:] == ["19", "1"]
    assert row(rows, "Working days from the alert to acknowledgement, median")[1:] == ["1.5", "0"]
    assert row(rows, "Held within 15 working days")[1:] == ["1", "0"]
    assert row(rows, "All moves of children on a plan")[1:] == ["4", "0"]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count() == 1


def test_the_xlsx_download_and_no_other_format(client, spring):
    from openpyxl import load_workbook

    sign_in(client, make_persona(Role.SCRUTINEER))
    response = client.get(reverse("moves:figures_download", kwargs={"fmt": "xlsx"}), WINDOW)
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "Children who moved" and workbook.sheetnames[-1] == "Notes"
    assert len(set(workbook.sheetnames)) == 9
    assert [c.value for c in workbook["Children who moved"][3]] == [
        "On a child protection plan",
        HIDDEN,
        HIDDEN,
    ]
    assert client.get(reverse("moves:figures_download", kwargs={"fmt": "pdf"})).status_code == 404


def test_the_default_window_is_the_twelve_months_ending_today(client, sources):
    today = dt.date.today()
    Alerts(sources)(
        sources["north"], sources["south"], sources["csc"], cp=False, changed=today, raised=at(*today.timetuple()[:3])
    )
    sign_in(client, make_persona(Role.ANALYST))
    rows = rows_of(client.get(reverse("moves:figures_download", kwargs={"fmt": "csv"})))
    assert row(rows, "All moves")[1:] == ["1", "0"]
    start, _ = last_twelve_months(today)
    assert any(f"{start:%-d %B %Y} to {today:%-d %B %Y}" in r[0] for r in rows if r)


def test_a_bad_window_says_so(client, spring):
    sign_in(client, make_persona(Role.ANALYST))
    response = client.get(reverse("moves:figures"), {"date_from": "2026-05-31", "date_to": "2026-03-01"})
    assert response.status_code == 200
    assert "The end date must be on or after the start date" in response.content.decode()
