"""Move alerts move here from the children app, keeping every row (issue 15).

The tables already exist as children_movealert and children_movealertupdate: the models
are created here in Django's state only, then their tables are renamed, and the content
types follow them (so admin permissions and links keep working). The children app's
0007 removes the models from its own state, touching no table.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MODELS = ["movealert", "movealertupdate"]


def content_types_follow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(app_label="children", model__in=MODELS).update(
        app_label="moves"
    )


def content_types_go_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(app_label="moves", model__in=MODELS).update(
        app_label="children"
    )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0004_enrolment_code'),
        ('children', '0006_record_flags_and_expected_on'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='MoveAlert',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('trigger', models.CharField(choices=[('address', 'An address in another area was recorded'), ('appeared', "A child known elsewhere appeared in this area's records")], max_length=10)),
                    ('involvements', models.JSONField(default=list, help_text='The open involvements in the old area')),
                    ('cp_plan', models.BooleanField(default=False)),
                    ('address_changed_on', models.DateField(help_text='When the new address started (or the record arrived)')),
                    ('raised_at', models.DateTimeField(db_index=True)),
                    ('conference_due_on', models.DateField(blank=True, help_text='Transfer-in conference, where a CP plan applies', null=True)),
                    ('conference_held_on', models.DateField(blank=True, null=True)),
                    ('evidence', models.JSONField(default=list, help_text='The records, addresses, dates and sources, as found')),
                    ('status', models.CharField(choices=[('new', 'New'), ('acknowledged', 'Acknowledged'), ('information_requested', 'Information requested'), ('information_received', 'Information received'), ('closed', 'Closed')], default='new', max_length=30)),
                    ('acknowledged_at', models.DateTimeField(blank=True, null=True)),
                    ('closed_at', models.DateTimeField(blank=True, null=True)),
                    ('closed_reason', models.CharField(blank=True, max_length=500)),
                    ('escalated_at', models.DateTimeField(blank=True, null=True)),
                    ('acknowledged_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('child', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='move_alerts', to='children.child')),
                    ('detected_by', models.ForeignKey(help_text='The system whose record revealed the move', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='children.source')),
                    ('from_area', models.ForeignKey(help_text='Where the child is known', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.area')),
                    ('to_area', models.ForeignKey(help_text='Where the child turned up', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.area')),
                    ('trigger_record', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='children.agencyrecord')),
                ],
                options={
                    'ordering': ['-raised_at', '-pk'],
                    'db_table': 'children_movealert',
                },
            ),
            migrations.CreateModel(
                name='MoveAlertUpdate',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('status', models.CharField(choices=[('new', 'New'), ('acknowledged', 'Acknowledged'), ('information_requested', 'Information requested'), ('information_received', 'Information received'), ('closed', 'Closed')], max_length=30)),
                    ('note', models.CharField(blank=True, max_length=1000)),
                    ('actor_label', models.CharField(max_length=200)),
                    ('at', models.DateTimeField()),
                    ('alert', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='updates', to='moves.movealert')),
                ],
                options={
                    'ordering': ['at', 'pk'],
                    'db_table': 'children_movealertupdate',
                },
            ),
            migrations.AddIndex(
                model_name='movealert',
                index=models.Index(fields=['status', 'raised_at'], name='move_alert_queue'),
            ),
            migrations.AddConstraint(
                model_name='movealert',
                constraint=models.CheckConstraint(condition=models.Q(('from_area', models.F('to_area')), _negated=True), name='move_between_two_areas'),
            ),
            migrations.AddConstraint(
                model_name='movealert',
                constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'closed'), _negated=True), models.Q(models.Q(('closed_reason', ''), _negated=True), ('closed_at__isnull', False)), _connector='OR'), name='closed_alert_has_reason'),
            ),
            migrations.AddConstraint(
                model_name='movealert',
                constraint=models.CheckConstraint(condition=models.Q(('cp_plan', False), ('conference_due_on__isnull', False), _connector='OR'), name='cp_plan_alert_has_conference_date'),
            ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name='movealert', table=None),
        migrations.AlterModelTable(name='movealertupdate', table=None),
        migrations.RunPython(content_types_follow, content_types_go_back),
    ]
