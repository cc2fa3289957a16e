"""The table of the database cache (settings CACHES without REDIS_URL).

Made here, not by a separate `createcachetable`, so every way of setting up a
database (`frontdesk run`, `frontdesk migrate`, the tests) has it. It is made
whatever CACHES says at the time, so a later switch away from Redis finds it.
"""

from django.core.management import call_command
from django.db import migrations

TABLE = "frontdesk_cache"


def create(apps, schema_editor):
    # Django's own command, so the table is exactly what DatabaseCache expects;
    # it leaves an existing table alone.
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create, drop)]
