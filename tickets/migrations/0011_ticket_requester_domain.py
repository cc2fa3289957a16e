# The quick search's "@example.com" (S16): the requester's domain, kept by the
# database as a stored generated column, and its index. On SQLite adding a
# stored column rebuilds the table (Django does it); on PostgreSQL the ALTER
# TABLE rewrites it once.

import django.db.models.expressions
import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tickets', '0010_event_code_customer_closed'),
    ]

    operations = [
        migrations.AddField(
            model_name='ticket',
            name='requester_domain',
            field=models.GeneratedField(db_persist=True, expression=django.db.models.functions.text.Substr('requester_email', django.db.models.expressions.CombinedExpression(django.db.models.functions.text.StrIndex('requester_email', models.Value('@')), '+', models.Value(1))), output_field=models.CharField(max_length=254)),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['requester_domain', '-created_at'], name='ticket_requester_domain'),
        ),
    ]
