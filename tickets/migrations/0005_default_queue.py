"""A new installation has a default queue, so the first mail becomes a ticket."""

from django.db import migrations


def create_default_queue(apps, schema_editor):
    Queue = apps.get_model("tickets", "Queue")
    if not Queue.objects.exists():
        Queue.objects.create(name="Support", is_default=True)


class Migration(migrations.Migration):

    dependencies = [
        ("tickets", "0004_covering_indexes_for_statistics"),
    ]

    operations = [
        migrations.RunPython(create_default_queue, migrations.RunPython.noop),
    ]
