# Mass actions as jobs of the worker (tickets/mass.py): what was asked, how far it got.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tickets', '0011_ticket_requester_domain'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='MassJob',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(choices=[('close', 'Close'), ('delete', 'Delete permanently'), ('assign', 'Assign'), ('priority', 'Change priority'), ('move', 'Move')], max_length=10)),
                ('parameters', models.JSONField(blank=True, default=dict)),
                ('numbers', models.JSONField(blank=True, default=list)),
                ('criteria', models.TextField(blank=True, null=True)),
                ('upper_number', models.BigIntegerField(blank=True, null=True)),
                ('state', models.CharField(choices=[('queued', 'Waiting for the worker'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], default='queued', max_length=10)),
                ('total', models.PositiveIntegerField(default=0)),
                ('done', models.PositiveIntegerField(default=0)),
                ('refused', models.PositiveIntegerField(default=0)),
                ('skipped', models.PositiveIntegerField(default=0)),
                ('refusals', models.JSONField(blank=True, default=list)),
                ('last_number', models.BigIntegerField(default=0)),
                ('attempts', models.PositiveSmallIntegerField(default=0)),
                ('error', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('started_at', models.DateTimeField(blank=True, null=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('owner', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='mass_jobs', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['owner', '-created_at'], name='massjob_owner'), models.Index(condition=models.Q(('state__in', ('queued', 'running'))), fields=['created_at'], name='massjob_unfinished')],
                'constraints': [models.CheckConstraint(condition=models.Q(('action__in', ['close', 'delete', 'assign', 'priority', 'move'])), name='massjob_action'), models.CheckConstraint(condition=models.Q(('state__in', ['queued', 'running', 'done', 'failed'])), name='massjob_state')],
            },
        ),
    ]
