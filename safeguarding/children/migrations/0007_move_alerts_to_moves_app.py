"""Move alerts now belong to the moves app (its 0001 takes their tables): removed from
this app's state only, so no table or row is touched."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('children', '0006_record_flags_and_expected_on'),
        ('moves', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.RemoveIndex(
                model_name='movealert',
                name='move_alert_queue',
            ),
            migrations.RemoveConstraint(
                model_name='movealert',
                name='move_between_two_areas',
            ),
            migrations.RemoveConstraint(
                model_name='movealert',
                name='closed_alert_has_reason',
            ),
            migrations.RemoveConstraint(
                model_name='movealert',
                name='cp_plan_alert_has_conference_date',
            ),
            migrations.RemoveField(
                model_name='movealert',
                name='acknowledged_by',
            ),
            migrations.RemoveField(
                model_name='movealert',
                name='child',
            ),
            migrations.RemoveField(
                model_name='movealert',
                name='detected_by',
            ),
            migrations.RemoveField(
                model_name='movealert',
                name='from_area',
            ),
            migrations.RemoveField(
                model_name='movealert',
                name='to_area',
            ),
            migrations.RemoveField(
                model_name='movealert',
                name='trigger_record',
            ),
            migrations.DeleteModel(
                name='MoveAlertUpdate',
            ),
            migrations.DeleteModel(
                name='MoveAlert',
            ),
            ],
            database_operations=[],
        ),
    ]
