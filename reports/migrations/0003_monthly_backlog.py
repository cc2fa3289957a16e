"""The monthly backlog (``MonthlyBacklog``), filled from the daily counts."""

from collections import Counter

from django.db import migrations, models


def fill(apps, schema_editor):
    Tally = apps.get_model("reports", "Tally")
    MonthlyBacklog = apps.get_model("reports", "MonthlyBacklog")
    moved = Counter()
    rows = (
        Tally.objects.filter(measure__in=["received", "closed"])
        .values_list("day", "queue", "assignee", "measure", "count")
        .iterator(chunk_size=5000)
    )
    for day, queue, assignee, measure, count in rows:
        moved[(day.replace(day=1), queue, assignee)] += count if measure == "received" else -count
    MonthlyBacklog.objects.bulk_create(
        [
            MonthlyBacklog(month=month, queue=queue, assignee=assignee, count=n)
            for (month, queue, assignee), n in sorted(moved.items())
            if n
        ],
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_sla_attainment_and_accounts"),
    ]

    operations = [
        migrations.CreateModel(
            name="MonthlyBacklog",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField()),
                ("queue", models.BigIntegerField()),
                ("assignee", models.BigIntegerField()),
                ("count", models.IntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("month", "queue", "assignee"), name="monthly_backlog_key"
                    )
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
