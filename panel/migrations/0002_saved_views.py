# Saved views (S39), and the team views a fresh installation starts with.

import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


#: Team views a fresh installation starts with (docs/architecture.md, "Saved views"):
#: the questions a support lead asks first. Supervisors rename, reorder or delete them.
TEAM_VIEWS = [
    ("Unanswered", "answered=no"),
    ("Waiting for the customer", "answered=yes"),
    ("On hold", "status=on_hold"),
]


def add_team_views(apps, schema_editor):
    SavedView = apps.get_model("panel", "SavedView")
    for position, (name, query) in enumerate(TEAM_VIEWS, start=1):
        SavedView.objects.create(name=name, query=query, shared=True, position=position)



class Migration(migrations.Migration):

    dependencies = [
        ('panel', '0001_draft'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SavedView',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100)),
                ('query', models.TextField(blank=True)),
                ('shared', models.BooleanField(default=False)),
                ('position', models.PositiveIntegerField(default=0)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-shared', 'position', 'id'],
                'indexes': [models.Index(fields=['owner', 'position'], name='saved_view_owner'), models.Index(condition=models.Q(('shared', True)), fields=['position'], name='saved_view_shared')],
                'constraints': [models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('query'), 4000), name='saved_view_query_size'), models.CheckConstraint(condition=models.Q(('name', ''), _negated=True), name='saved_view_has_name')],
            },
        ),
        migrations.RunPython(add_team_views, migrations.RunPython.noop),
    ]
