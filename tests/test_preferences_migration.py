"""panel 0006: a person's theme and thread order, two tables, become one row."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("panel", "0005_appearance")]
AFTER = [("panel", "0006_preferences")]


def _person(apps, email: str):
    return apps.get_model("accounts", "User").objects.create(email=email)


def test_each_person_s_choices_become_one_row_and_go_back_to_two(migrate):
    old = migrate(BEFORE)
    dark = _person(old, "dark@frontdesk.example")
    newest = _person(old, "newest@frontdesk.example")
    both = _person(old, "both@frontdesk.example")
    _person(old, "nothing@frontdesk.example")
    old.get_model("panel", "Appearance").objects.create(user_id=dark.pk, theme="dark")
    old.get_model("panel", "Appearance").objects.create(user_id=both.pk, theme="light")
    reading = old.get_model("panel", "ReadingPreferences").objects
    reading.create(user_id=newest.pk, newest_first=True)
    reading.create(user_id=both.pk, newest_first=True)

    new = migrate(AFTER)

    rows = new.get_model("panel", "Preferences").objects.values_list(
        "user__email", "theme", "newest_first"
    )
    assert sorted(rows) == [
        ("both@frontdesk.example", "light", True),
        ("dark@frontdesk.example", "dark", False),
        ("newest@frontdesk.example", "system", True),
    ]

    back = migrate(BEFORE)
    themes = back.get_model("panel", "Appearance").objects.values_list("user__email", "theme")
    assert sorted(themes) == [
        ("both@frontdesk.example", "light"),
        ("dark@frontdesk.example", "dark"),
        ("newest@frontdesk.example", "system"),
    ]
    orders = back.get_model("panel", "ReadingPreferences").objects.values_list(
        "user__email", "newest_first"
    )
    assert sorted(orders) == [
        ("both@frontdesk.example", True),
        ("dark@frontdesk.example", False),
        ("newest@frontdesk.example", True),
    ]
