# Service levels (sla/): the tickets' stored due times, sorted by, and the queues'
# escalation before a breach (which needs no interval).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tickets', '0014_event_code_decrypted'),
    ]

    operations = [
        migrations.AddField(
            model_name='queue',
            name='escalation_follows_service_level',
            field=models.BooleanField(default=False, help_text='Raise the priority shortly before a due time of the service level instead.'),
        ),
        migrations.AddField(
            model_name='queue',
            name='escalation_warning_minutes',
            field=models.PositiveIntegerField(default=60, help_text='How long before a due time the ticket rises.'),
        ),
        migrations.RemoveConstraint(
            model_name='queue',
            name='queue_escalation_needs_interval',
        ),
        migrations.AddConstraint(
            model_name='queue',
            constraint=models.CheckConstraint(condition=models.Q(('escalation_step', 0), ('escalation_interval__isnull', False), ('escalation_follows_service_level', True), _connector='OR'), name='queue_escalation_needs_interval'),
        ),
        migrations.AddField(
            model_name='ticket',
            name='first_response_due_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='ticket',
            name='next_due_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='ticket',
            name='next_response_due_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='ticket',
            name='resolution_due_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(condition=models.Q(('next_due_at__isnull', False)), fields=['next_due_at', '-number'], name='ticket_next_due'),
        ),
    ]
