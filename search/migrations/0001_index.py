import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

import search.models
from search.operations import OnDatabase

# Python folds and splits the words (search/text.py) and joins them with
# spaces; the ascii tokenizer splits at those spaces and changes nothing else.
# bm25's column weights: title, people, body, notes.
FTS5_TABLE = [
    "CREATE VIRTUAL TABLE search_ticket_fts USING fts5(title, people, body, notes, tokenize='ascii')",
    "INSERT INTO search_ticket_fts(search_ticket_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 2.0, 1.0)')",
]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("tickets", "0010_event_code_customer_closed"),
        ("accounts", "0004_audit_code_view_as_acted"),
    ]

    operations = [
        OnDatabase(
            "sqlite",
            [
                migrations.SeparateDatabaseAndState(
                    state_operations=[
                        migrations.CreateModel(
                            name="TicketText",
                            fields=[
                                (
                                    "ticket",
                                    models.OneToOneField(
                                        db_column="rowid",
                                        db_constraint=False,
                                        on_delete=django.db.models.deletion.DO_NOTHING,
                                        primary_key=True,
                                        related_name="search_text",
                                        serialize=False,
                                        to="tickets.ticket",
                                    ),
                                ),
                                ("title", models.TextField()),
                                ("people", models.TextField()),
                                ("body", models.TextField()),
                                ("notes", models.TextField()),
                                (
                                    "document",
                                    search.models.FtsTableColumn(db_column="search_ticket_fts"),
                                ),
                                ("rank", models.FloatField()),
                            ],
                            options={"db_table": "search_ticket_fts"},
                        ),
                    ],
                    database_operations=[
                        migrations.RunSQL(FTS5_TABLE, "DROP TABLE search_ticket_fts"),
                    ],
                ),
            ],
        ),
        OnDatabase(
            "postgresql",
            [
                migrations.CreateModel(
                    name="TicketVector",
                    fields=[
                        (
                            "ticket",
                            models.OneToOneField(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                primary_key=True,
                                related_name="search_vector",
                                serialize=False,
                                to="tickets.ticket",
                            ),
                        ),
                        ("version", models.PositiveIntegerField()),
                        ("vector", django.contrib.postgres.search.SearchVectorField()),
                    ],
                    options={
                        "db_table": "search_ticket_vector",
                        "indexes": [
                            django.contrib.postgres.indexes.GinIndex(
                                fields=["vector"], name="search_vector_gin"
                            )
                        ],
                    },
                ),
                # A rare word is estimated by the rarest of the most common words the
                # statistics keep: with the default 1,000 of them, a word in four
                # tickets was guessed in 900 and the planner scanned every ticket.
                migrations.RunSQL(
                    "ALTER TABLE search_ticket_vector ALTER COLUMN vector SET STATISTICS 1000",
                    migrations.RunSQL.noop,
                ),
            ],
        ),
    ]
