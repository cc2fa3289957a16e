"""A tally row per day, queue, assignee and type, a column per measure and bucket.

The rows of a measure and bucket each (2.7 million for a million tickets) become
a row for all of them (0.4 million): the old table is renamed, the new one
filled from it by one ``INSERT ... SELECT`` with a sum per column, and the old
one dropped. Going back, each column that is not zero becomes a row again.
"""

from django.db import migrations, models

#: Frozen here, as the columns were when this migration was written.
BUCKETS = 11
COLUMNS = [
    ("received", "received", 0),
    ("closed", "closed", 0),
    *((f"first_response_{b}", "first_response", b) for b in range(BUCKETS)),
    *((f"resolution_{b}", "resolution", b) for b in range(BUCKETS)),
    ("first_response_met", "sla_first_response", 0),
    ("first_response_breached", "sla_first_response", 1),
    ("next_response_met", "sla_next_response", 0),
    ("next_response_breached", "sla_next_response", 1),
    ("resolution_met", "sla_resolution", 0),
    ("resolution_breached", "sla_resolution", 1),
]
KEY = ("day", "queue", "assignee", "type")
TYPES = [
    ("email", "E-mail"),
    ("portal", "Customer portal"),
    ("staff", "Created by staff"),
    ("api", "API"),
    ("system", "System"),
]


def _names(schema_editor, apps):
    quote = schema_editor.connection.ops.quote_name
    new = quote(apps.get_model("reports", "Tally")._meta.db_table)
    old = quote(apps.get_model("reports", "MeasureTally")._meta.db_table)
    return quote, new, old


def pivot(apps, schema_editor):
    quote, new, old = _names(schema_editor, apps)
    key = ", ".join(quote(name) for name in KEY)
    columns = ", ".join(quote(name) for name, _measure, _bucket in COLUMNS)
    sums = ", ".join(
        f"SUM(CASE WHEN {quote('measure')} = %s AND {quote('bucket')} = %s "
        f"THEN {quote('count')} ELSE 0 END)"
        for _name, _measure, _bucket in COLUMNS
    )
    params = [value for _name, measure, bucket in COLUMNS for value in (measure, bucket)]
    schema_editor.execute(
        f"INSERT INTO {new} ({key}, {columns}) "  # noqa: S608 - names are the models'
        f"SELECT {key}, {sums} FROM {old} GROUP BY {key}",
        params,
    )


def unpivot(apps, schema_editor):
    quote, new, old = _names(schema_editor, apps)
    key = ", ".join(quote(name) for name in KEY)
    into = f"{key}, {quote('measure')}, {quote('bucket')}, {quote('count')}"
    for name, measure, bucket in COLUMNS:
        column = quote(name)
        schema_editor.execute(
            f"INSERT INTO {old} ({into}) "  # noqa: S608 - names are the models'
            f"SELECT {key}, %s, %s, {column} FROM {new} WHERE {column} <> 0",
            [measure, bucket],
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_monthly_backlog"),
    ]

    operations = [
        # The old rows' names go first: PostgreSQL's index names are the schema's.
        migrations.RemoveIndex(model_name="tally", name="tally_queue_day"),
        migrations.RemoveConstraint(model_name="tally", name="tally_key"),
        migrations.RemoveConstraint(model_name="tally", name="tally_measure"),
        migrations.RenameModel(old_name="Tally", new_name="MeasureTally"),
        migrations.CreateModel(
            name="Tally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField()),
                ("queue", models.BigIntegerField()),
                ("assignee", models.BigIntegerField()),
                ("type", models.CharField(choices=TYPES, max_length=10)),
                *(
                    (name, models.IntegerField(default=0, db_default=0))
                    for name, _measure, _bucket in COLUMNS
                ),
            ],
            options={
                "indexes": [models.Index(fields=["queue", "day"], name="tally_queue_day")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=["day", "queue", "assignee", "type"], name="tally_key"
                    )
                ],
            },
        ),
        migrations.RunPython(pivot, unpivot),
        migrations.DeleteModel(name="MeasureTally"),
    ]
