"""Business-time arithmetic: weekends, holidays, time zones, clocks changing, stops."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sla.business_time import (
    Hours,
    add_business_minutes,
    around_the_clock,
    business_minutes_between,
    running_time_until_target,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
NINE_TO_FIVE = (540, 1020)
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)


def office(zone: ZoneInfo = BERLIN, *holidays: date, weekly=None) -> Hours:
    """Monday to Friday, 09:00–17:00 local time."""
    days = weekly or tuple((NINE_TO_FIVE,) if day < 5 else () for day in range(7))
    return Hours(zone=zone, weekly=days, holidays=frozenset(holidays))


def local(zone: ZoneInfo, year: int, month: int, day: int, hour: int = 0, minute: int = 0):
    return datetime(year, month, day, hour, minute, tzinfo=zone)


class TestAdding:
    def test_it_counts_within_the_day(self):
        start = local(BERLIN, 2026, 3, 2, 10, 0)  # a Monday
        assert add_business_minutes(start, 120, office()) == local(BERLIN, 2026, 3, 2, 12, 0)

    def test_it_carries_over_to_the_next_morning(self):
        start = local(BERLIN, 2026, 3, 2, 16, 0)
        assert add_business_minutes(start, 120, office()) == local(BERLIN, 2026, 3, 3, 10, 0)

    def test_a_ticket_opened_at_night_counts_from_the_opening_hour(self):
        start = local(BERLIN, 2026, 3, 3, 2, 0)
        assert add_business_minutes(start, 30, office()) == local(BERLIN, 2026, 3, 3, 9, 30)

    def test_it_skips_the_weekend(self):
        friday = local(BERLIN, 2026, 3, 6, 16, 0)
        assert add_business_minutes(friday, 120, office()) == local(BERLIN, 2026, 3, 9, 10, 0)

    def test_a_ticket_opened_on_saturday_counts_from_monday(self):
        saturday = local(BERLIN, 2026, 3, 7, 11, 0)
        assert add_business_minutes(saturday, 60, office()) == local(BERLIN, 2026, 3, 9, 10, 0)

    def test_it_skips_holidays(self):
        # Good Friday and Easter Monday 2026 around the weekend.
        hours = office(BERLIN, date(2026, 4, 3), date(2026, 4, 6))
        thursday = local(BERLIN, 2026, 4, 2, 16, 0)
        assert add_business_minutes(thursday, 120, hours) == local(BERLIN, 2026, 4, 7, 10, 0)

    def test_several_intervals_a_day(self):
        lunch = ((540, 720), (780, 1020))
        hours = office(weekly=tuple(lunch if day < 5 else () for day in range(7)))
        start = local(BERLIN, 2026, 3, 2, 11, 0)
        assert add_business_minutes(start, 120, hours) == local(BERLIN, 2026, 3, 2, 14, 0)

    def test_the_same_hours_in_another_zone_are_other_instants(self):
        start = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # 16:00 Berlin, 10:00 New York
        berlin = add_business_minutes(start, 120, office(BERLIN))
        new_york = add_business_minutes(start, 120, office(NEW_YORK))
        assert berlin == local(BERLIN, 2026, 3, 3, 10, 0)
        assert new_york == local(NEW_YORK, 2026, 3, 2, 12, 0)

    def test_a_long_target_spans_weeks(self):
        start = local(BERLIN, 2026, 3, 2, 9, 0)
        # Ten working days of eight hours: two weeks later, Friday evening.
        assert add_business_minutes(start, 10 * 8 * 60, office()) == local(
            BERLIN, 2026, 3, 13, 17, 0
        )

    def test_a_calendar_without_hours_is_refused(self):
        with pytest.raises(ValueError):
            add_business_minutes(local(BERLIN, 2026, 3, 2, 9), 60, office(weekly=((),) * 7))

    def test_around_the_clock_counts_every_minute(self):
        start = datetime(2026, 3, 7, 23, 30, tzinfo=UTC)
        assert add_business_minutes(start, 90, around_the_clock()) == start + 90 * MINUTE


class TestClocksChanging:
    def test_a_working_day_keeps_its_eight_hours_when_the_clocks_go_forward(self):
        # Berlin: Sunday 29 March 2026, 02:00 → 03:00. Friday 16:00 + 2 h is Monday 10:00,
        # which is an hour less of real time than a week without the change.
        friday = local(BERLIN, 2026, 3, 27, 16, 0)
        due = add_business_minutes(friday, 120, office())
        assert due == local(BERLIN, 2026, 3, 30, 10, 0)
        assert due - friday == timedelta(days=2, hours=18) - HOUR

    def test_a_working_day_keeps_its_eight_hours_when_the_clocks_go_back(self):
        # Berlin: Sunday 25 October 2026, 03:00 → 02:00.
        friday = local(BERLIN, 2026, 10, 23, 16, 0)
        due = add_business_minutes(friday, 120, office())
        assert due == local(BERLIN, 2026, 10, 26, 10, 0)
        assert due - friday == timedelta(days=2, hours=18) + HOUR

    def test_around_the_clock_the_night_of_the_change_is_an_hour_shorter(self):
        hours = Hours(zone=BERLIN, weekly=(((0, 1440),),) * 7)
        saturday = local(BERLIN, 2026, 3, 28, 12, 0)
        sunday = local(BERLIN, 2026, 3, 29, 12, 0)
        assert business_minutes_between(saturday, sunday, hours) == 23 * 60

    def test_hours_across_the_skipped_hour_are_an_hour_shorter(self):
        night_shift = Hours(zone=BERLIN, weekly=(((60, 240),),) * 7)  # 01:00–04:00
        before = local(BERLIN, 2026, 3, 29, 0, 0)
        after = local(BERLIN, 2026, 3, 29, 12, 0)
        assert business_minutes_between(before, after, night_shift) == 120

    def test_new_york_changes_on_another_weekend(self):
        # New York goes forward on 8 March 2026; a Friday-to-Monday span keeps its hours.
        friday = local(NEW_YORK, 2026, 3, 6, 16, 0)
        assert add_business_minutes(friday, 120, office(NEW_YORK)) == local(
            NEW_YORK, 2026, 3, 9, 10, 0
        )


class TestBetween:
    def test_it_counts_only_working_hours(self):
        friday = local(BERLIN, 2026, 3, 6, 16, 0)
        monday = local(BERLIN, 2026, 3, 9, 10, 0)
        assert business_minutes_between(friday, monday, office()) == 120

    def test_nothing_between_an_instant_and_an_earlier_one(self):
        monday = local(BERLIN, 2026, 3, 9, 10, 0)
        assert business_minutes_between(monday, monday - HOUR, office()) == 0

    def test_a_holiday_counts_nothing(self):
        hours = office(BERLIN, date(2026, 5, 1))
        start = local(BERLIN, 2026, 5, 1, 0, 0)
        assert business_minutes_between(start, start + timedelta(days=1), hours) == 0

    @pytest.mark.parametrize("minutes", [1, 59, 480, 481, 1000, 5000])
    def test_adding_then_counting_gives_the_minutes_back(self, minutes):
        start = local(BERLIN, 2026, 3, 26, 13, 17)  # across the change of the clocks
        hours = office(BERLIN, date(2026, 4, 3))
        due = add_business_minutes(start, minutes, hours)
        assert business_minutes_between(start, due, hours) == minutes


class TestStops:
    START = local(BERLIN, 2026, 3, 2, 9, 0)  # Monday

    def test_a_stop_moves_the_due_time_by_its_business_time(self):
        stop = (self.START + HOUR, self.START + 3 * HOUR)
        due = running_time_until_target(self.START, 4 * HOUR, [stop], office())
        assert due == self.START + 6 * HOUR

    def test_a_stop_over_the_night_moves_it_by_the_working_hours_only(self):
        # On hold from 16:00 to 10:00 the next day: two working hours.
        stop = (self.START + 7 * HOUR, self.START + 25 * HOUR)
        due = running_time_until_target(self.START, 8 * HOUR, [stop], office())
        assert due == local(BERLIN, 2026, 3, 3, 11, 0)

    def test_it_is_stopped_now_with_time_left(self):
        stop = (self.START + HOUR, None)
        assert running_time_until_target(self.START, 4 * HOUR, [stop], office()) is None

    def test_a_stop_after_the_target_ran_out_changes_nothing(self):
        stop = (self.START + 5 * HOUR, None)
        due = running_time_until_target(self.START, 4 * HOUR, [stop], office())
        assert due == self.START + 4 * HOUR

    def test_stops_before_the_start_are_ignored(self):
        stop = (self.START - 5 * HOUR, self.START - HOUR)
        due = running_time_until_target(self.START, HOUR, [stop], office())
        assert due == self.START + HOUR
