"""Index the tickets that exist, a batch a transaction (the migration is not atomic,
so a large desk commits as it goes and a run that stops can simply be started again)."""

from django.db import migrations


def fill(apps, schema_editor):
    from search import index

    using = schema_editor.connection.alias
    total = index.ticket_count(using=using, apps=apps)
    if not total:
        return

    def progress(done):
        print(f"  search index: {done:,} of {total:,} tickets", flush=True)  # noqa: T201

    index.rebuild(using=using, apps=apps, progress=progress if total > 10_000 else None)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("search", "0001_index")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
