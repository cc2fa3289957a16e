"""One row of panel preferences per person: the theme and the thread's order,
which were two tables (two queries on the ticket page)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def join(apps, schema_editor):
    Appearance = apps.get_model("panel", "Appearance")
    ReadingPreferences = apps.get_model("panel", "ReadingPreferences")
    Preferences = apps.get_model("panel", "Preferences")
    chosen: dict[int, dict[str, object]] = {}
    for user_id, theme in Appearance.objects.values_list("user_id", "theme"):
        chosen.setdefault(user_id, {})["theme"] = theme
    for user_id, newest_first in ReadingPreferences.objects.values_list("user_id", "newest_first"):
        chosen.setdefault(user_id, {})["newest_first"] = newest_first
    Preferences.objects.bulk_create(
        [Preferences(user_id=user_id, **values) for user_id, values in sorted(chosen.items())],
        batch_size=1000,
    )


def split(apps, schema_editor):
    Appearance = apps.get_model("panel", "Appearance")
    ReadingPreferences = apps.get_model("panel", "ReadingPreferences")
    Preferences = apps.get_model("panel", "Preferences")
    for user_id, theme, newest_first in Preferences.objects.values_list(
        "user_id", "theme", "newest_first"
    ):
        Appearance.objects.create(user_id=user_id, theme=theme)
        ReadingPreferences.objects.create(user_id=user_id, newest_first=newest_first)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_api_tokens"),
        ("panel", "0005_appearance"),
    ]

    operations = [
        migrations.CreateModel(
            name="Preferences",
            fields=[
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "theme",
                    models.CharField(
                        choices=[
                            ("system", "Same as the system"),
                            ("light", "Light"),
                            ("dark", "Dark"),
                        ],
                        default="system",
                        max_length=10,
                    ),
                ),
                ("newest_first", models.BooleanField(default=False)),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("theme__in", ["system", "light", "dark"])),
                        name="preferences_theme_valid",
                    )
                ],
            },
        ),
        migrations.RunPython(join, split),
        migrations.DeleteModel(name="Appearance"),
        migrations.DeleteModel(name="ReadingPreferences"),
    ]
