"""Move alerts moved from the children app to the moves app (issue 15, item 2): a database
that had alerts keeps every one, with its updates, its content type and its audit trail."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.audit import SystemActor, current_label, labels_of, record_write
from safeguarding.core.audit_display import audit_rows, kind_label
from safeguarding.core.models import AuditEvent
from safeguarding.core.selectors import AuditFilter, audit_events, audit_object_types
from tests.conftest import make_persona

CHILDREN_BEFORE = ("children", "0006_record_flags_and_expected_on")


def _migrate(*, before_the_move: bool):
    """Every app at its latest migration, or with move alerts still in the children app;
    the models as they were at that point."""
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    latest = graph.leaf_nodes()
    if before_the_move:
        # Apps built on children after the move (moves itself, reviews, ...) are unapplied.
        after_the_move = {n for n in graph.nodes if n[0] == "moves" or (n[0] == "children" and n > CHILDREN_BEFORE)}
        later = {"moves"} | {
            app for app, name in latest if app != "children" and after_the_move & set(graph.forwards_plan((app, name)))
        }
        others = [node for node in latest if node[0] != "children" and node[0] not in later]
        executor.migrate([*others, CHILDREN_BEFORE, *((app, None) for app in sorted(later))])
        state = [*others, CHILDREN_BEFORE]
    else:
        executor.migrate(latest)
        state = latest
    executor.loader.build_graph()
    return executor.loader.project_state(state).apps


@pytest.mark.django_db(transaction=True)
def test_alerts_and_their_updates_survive_the_move_to_the_moves_app():
    try:
        _alerts_survive_the_move()
    finally:
        _migrate(before_the_move=False)  # whatever happened, the next tests find every table


def _alerts_survive_the_move():
    old = _migrate(before_the_move=True)
    Area = old.get_model("accounts", "Area")
    Organisation = old.get_model("accounts", "Organisation")
    Source = old.get_model("children", "Source")
    Child = old.get_model("children", "Child")
    AgencyRecord = old.get_model("children", "AgencyRecord")
    ImportBatch = old.get_model("children", "ImportBatch")
    OldAlert = old.get_model("children", "MoveAlert")
    OldUpdate = old.get_model("children", "MoveAlertUpdate")
    ContentType = old.get_model("contenttypes", "ContentType")
    now = timezone.now()
    north = Area.objects.create(code="E06999001", name="Northshire")
    south = Area.objects.create(code="E06999002", name="Southvale")
    council = Organisation.objects.create(code="council", name="Northshire Council", kind="local_authority")
    source = Source.objects.create(
        code="ns-csc", name="Northshire social care", organisation=council, kind="social_care"
    )
    child = Child.objects.create(reference="CH-TEST-0001", created_at=now)
    batch = ImportBatch.objects.create(at=now, origin="upload", actor_label="test")
    record = AgencyRecord.objects.create(
        source=source, record_id="1", child=child, first_received_at=now, updated_at=now, batch=batch
    )
    alerts = [
        OldAlert.objects.create(
            child=child,
            from_area=north,
            to_area=south,
            trigger="address",
            trigger_record=record,
            detected_by=source,
            involvements=["cp_plan"],
            cp_plan=True,
            address_changed_on=dt.date(2026, 11, 2),
            raised_at=now,
            conference_due_on=dt.date(2026, 11, 23),
            evidence=[{"record": "ns-csc:1", "postcode": "SV1 1AA"}],
            status=status,
            closed_at=now if status == "closed" else None,
            closed_reason="Transfer-in conference held" if status == "closed" else "",
        )
        for status in ("new", "closed")
    ]
    for alert in alerts:
        OldUpdate.objects.create(alert=alert, status="new", note="Known to Northshire", actor_label="system", at=now)
    ContentType.objects.get_or_create(app_label="children", model="movealert")
    old_type = ContentType.objects.get(app_label="children", model="movealert")

    new = _migrate(before_the_move=False)

    MoveAlert = new.get_model("moves", "MoveAlert")
    MoveAlertUpdate = new.get_model("moves", "MoveAlertUpdate")
    assert MoveAlert._meta.db_table == "moves_movealert"
    kept = {a.pk: a for a in MoveAlert.objects.all()}
    assert sorted(kept) == sorted(a.pk for a in alerts)
    for alert in alerts:
        moved = kept[alert.pk]
        assert (moved.status, moved.child_id, moved.from_area_id, moved.to_area_id) == (
            alert.status,
            child.pk,
            north.pk,
            south.pk,
        )
        assert moved.evidence == alert.evidence and moved.conference_due_on == alert.conference_due_on
        assert MoveAlertUpdate.objects.filter(alert_id=alert.pk, note="Known to Northshire").count() == 1
    moved_type = new.get_model("contenttypes", "ContentType").objects.get(pk=old_type.pk)
    assert (moved_type.app_label, moved_type.model) == ("moves", "movealert")
    with connection.cursor() as cursor:
        assert "children_movealert" not in connection.introspection.table_names(cursor)


def _an_alert():
    from safeguarding.accounts.models import Area, Organisation
    from safeguarding.children.models import AgencyRecord, Child, ImportBatch, Source
    from safeguarding.moves.models import MoveAlert

    now = timezone.now()
    council = Organisation.objects.create(code="council", name="Northshire Council", kind="local_authority")
    source = Source.objects.create(
        code="ns-csc", name="Northshire social care", organisation=council, kind="social_care"
    )
    batch = ImportBatch.objects.create(at=now, origin="upload", actor_label="test")
    child = Child.objects.create(created_at=now)
    record = AgencyRecord.objects.create(
        source=source, record_id="1", child=child, first_received_at=now, updated_at=now, batch=batch
    )
    return MoveAlert.objects.create(
        child=child,
        from_area=Area.objects.create(code="E06999001", name="Northshire"),
        to_area=Area.objects.create(code="E06999002", name="Southvale"),
        trigger=MoveAlert.Trigger.ADDRESS,
        trigger_record=record,
        detected_by=source,
        involvements=["cin"],
        address_changed_on=now.date(),
        raised_at=now,
    )


@pytest.mark.django_db
def test_the_trail_reads_alerts_audited_before_the_move_as_move_alerts():
    """Audit rows cannot change, so one written as "children.movealert" stays so; the trail
    files it, finds it and links it as the moves app's alert."""
    alert = _an_alert()
    record_write(actor=SystemActor("move detection"), action=AuditEvent.Action.CREATE, instance=alert)
    admin = make_persona("administrator")
    before_move = AuditEvent.objects.create(
        actor_label="system: move detection",
        action=AuditEvent.Action.UPDATE,
        object_type="children.movealert",
        object_id=str(alert.pk),
        object_repr=str(alert),
    )
    assert current_label("children.movealert") == "moves.movealert"
    assert labels_of("moves.movealert") == ["moves.movealert", "children.movealert"]
    assert kind_label("children.movealert") == "Move alert"
    assert audit_object_types().count("moves.movealert") == 1
    assert "children.movealert" not in audit_object_types()
    found = audit_events(user=admin, filters=AuditFilter(object_type="moves.movealert", object_id=str(alert.pk)))
    assert sorted(found.values_list("object_type", flat=True)) == ["children.movealert", "moves.movealert"]
    # Linked to the alert's page, for a reader who may open it, as a new row would be.
    handler = make_persona("mash_practitioner")
    old_row, new_row = audit_rows([before_move, found.get(object_type="moves.movealert")], user=handler)
    assert old_row.url == new_row.url == reverse("moves:alert", kwargs={"pk": alert.pk})
    assert old_row.kind == new_row.kind == "move alert"
