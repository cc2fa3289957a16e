from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0015_service_level_due_times"),
    ]

    operations = [
        migrations.AddField(
            model_name="helpdesksettings",
            name="satisfaction_ratings",
            field=models.BooleanField(
                default=True,
                help_text="The notice that a ticket was closed asks the customer to rate the help.",
            ),
        ),
    ]
