import secrets

from django.db import migrations


def backfill(apps, schema_editor):
    Person = apps.get_model("accounts", "Person")
    for person in Person.objects.filter(reference__isnull=True):
        person.reference = f"p-{secrets.token_hex(5)}"
        person.save(update_fields=["reference"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_person_reference")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
