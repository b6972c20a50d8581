from django.db import migrations, models

# The standard indicators that count children at the period's end (a stock), not
# events in it: their 12-month figure was four snapshots added up (issue 14, item 2).
STANDARD_STOCKS = ["children-in-need", "children-looked-after"]


def mark_standard_stocks(apps, schema_editor):
    Indicator = apps.get_model("performance", "Indicator")
    Indicator.objects.filter(code__in=STANDARD_STOCKS, unit="count").update(measure="stock")


class Migration(migrations.Migration):
    dependencies = [
        ("performance", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="measure",
            field=models.CharField(
                choices=[
                    ("events", "Events in the period (contacts, referrals, incidents)"),
                    ("stock", "A count at the period's end (children in need, on a plan, looked after)"),
                ],
                default="events",
                help_text="For counts: events in the period are added up over 12 months; a count at the period's "
                "end is not (its 12-month figure is the average of the period-end counts).",
                max_length=10,
            ),
        ),
        migrations.RunPython(mark_standard_stocks, migrations.RunPython.noop),
    ]
