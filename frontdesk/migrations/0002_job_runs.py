"""The last run of each periodic job, and the restarts `frontdesk run` made (frontdesk/models.py)."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('frontdesk', '0001_cache_table'),
    ]

    operations = [
        migrations.CreateModel(
            name='JobRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=50, unique=True)),
                ('started_at', models.DateTimeField()),
                ('completed_at', models.DateTimeField(blank=True, null=True)),
                ('failed_at', models.DateTimeField(blank=True, null=True)),
                ('error', models.TextField(blank=True)),
                ('ran_by', models.CharField(blank=True, max_length=255)),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Restart',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('process', models.CharField(choices=[('web', 'web server'), ('worker', 'worker')], max_length=10)),
                ('pid', models.PositiveIntegerField()),
                ('exit_code', models.IntegerField()),
                ('stopped_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                'ordering': ['-stopped_at'],
                'indexes': [models.Index(fields=['stopped_at'], name='restart_stopped_at')],
                'constraints': [models.CheckConstraint(condition=models.Q(('process__in', ['web', 'worker'])), name='restart_process')],
            },
        ),
    ]
