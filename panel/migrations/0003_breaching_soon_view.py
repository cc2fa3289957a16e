# Service levels: a team view of the tickets breached or due within two hours,
# soonest first (tickets.criteria DUE_SOON, sorted by the stored next due time).

from django.db import migrations
from django.db.models import Max

NAME = "Breaching soon"
QUERY = "due=soon&sort=due"


def add_breaching_soon(apps, schema_editor):
    SavedView = apps.get_model("panel", "SavedView")
    if SavedView.objects.filter(shared=True, name=NAME).exists():
        return
    last = SavedView.objects.filter(shared=True).aggregate(last=Max("position"))["last"] or 0
    SavedView.objects.create(name=NAME, query=QUERY, shared=True, position=last + 1)


class Migration(migrations.Migration):
    dependencies = [
        ("panel", "0002_saved_views"),
    ]

    operations = [
        migrations.RunPython(add_breaching_soon, migrations.RunPython.noop),
    ]
