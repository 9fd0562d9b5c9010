"""Deadline calculators at their edges: weekends, bank holidays, Christmas, school days and the
nights the clocks change. Inputs and expectations are London wall-clock times."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bluelamp.duties.deadlines import (
    SchoolCalendar,
    before_next_school_day,
    end_of_next_day,
    fixed,
    hours,
    is_working_day,
    working_days,
)

LONDON = ZoneInfo("Europe/London")


def london(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=LONDON)


def shown(moment: dt.datetime) -> str:
    assert moment.utcoffset() == dt.timedelta(0), "stored in UTC"
    return moment.astimezone(LONDON).strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-11-24", True),  # a Tuesday
        ("2026-11-28", False),  # Saturday
        ("2026-12-25", False),  # Christmas Day
        ("2026-12-28", False),  # Boxing Day substitute (26th is a Saturday)
        ("2027-01-01", False),  # New Year's Day
        ("2026-08-31", False),  # Summer bank holiday (England, not Scotland)
        ("2026-03-17", True),  # St Patrick's Day is a holiday in Northern Ireland only
    ],
)
def test_working_days_follow_england_and_wales(day, working):
    assert is_working_day(dt.date.fromisoformat(day)) is working


@pytest.mark.parametrize(
    ("opened", "n", "due"),
    [
        ("2026-11-24 10:00", 1, "2026-11-25 23:59"),  # Tuesday -> end of Wednesday
        ("2026-11-27 18:00", 1, "2026-11-30 23:59"),  # Friday evening -> end of Monday
        ("2026-11-28 09:00", 1, "2026-11-30 23:59"),  # Saturday -> end of Monday
        ("2026-11-27 18:00", 5, "2026-12-04 23:59"),
        ("2026-08-28 12:00", 1, "2026-09-01 23:59"),  # Friday before the August bank holiday
        ("2026-12-23 12:00", 2, "2026-12-29 23:59"),  # over Christmas
        ("2026-12-31 09:00", 1, "2027-01-04 23:59"),  # over New Year
        ("2026-03-27 12:00", 1, "2026-03-30 23:59"),  # across the clocks going forward
    ],
)
def test_working_day_limits(opened, n, due):
    assert shown(working_days(n)(london(opened))) == due


def test_working_days_start_at_one():
    with pytest.raises(ValueError, match="start at 1"):
        working_days(0)


@pytest.mark.parametrize(
    ("opened", "due"),
    [
        ("2026-11-24 10:00", "2026-11-25 10:00"),
        # 24 real hours across the clocks going forward (29 March 2026, 01:00 -> 02:00)...
        ("2026-03-28 12:00", "2026-03-29 13:00"),
        # ...and going back (25 October 2026, 02:00 -> 01:00).
        ("2026-10-24 12:00", "2026-10-25 11:00"),
    ],
)
def test_hour_limits_are_real_hours(opened, due):
    assert shown(hours(24)(london(opened))) == due


def test_hour_limits_during_the_repeated_hour():
    # 01:30 happens twice on 25 October 2026; the first (BST) one is 00:30 UTC.
    first = dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)
    assert hours(1)(first) == dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("opened", "due"),
    [
        ("2026-11-24 02:00", "2026-11-24 08:30"),  # overnight before a school day
        ("2026-11-24 08:29", "2026-11-24 08:30"),
        ("2026-11-24 08:30", "2026-11-25 08:30"),  # once school has started: the next day
        ("2026-11-27 21:00", "2026-11-30 08:30"),  # Friday night -> Monday
        ("2026-12-24 20:00", "2026-12-29 08:30"),  # Christmas Eve -> first working day
        ("2026-10-24 23:00", "2026-10-26 08:30"),  # the weekend the clocks go back
    ],
)
def test_before_the_next_school_day(opened, due):
    assert shown(before_next_school_day()(london(opened))) == due


def test_a_school_calendar_skips_its_own_closures():
    half_term = SchoolCalendar.with_closures(
        dt.date(2026, 10, 26) + dt.timedelta(days=i) for i in range(5)
    )
    due = before_next_school_day(half_term)(london("2026-10-23 19:00"))
    assert shown(due) == "2026-11-02 08:30"


def test_end_of_next_day_is_london_midnight():
    assert shown(end_of_next_day()(london("2026-03-28 23:30"))) == "2026-03-29 23:59"
    due = end_of_next_day()(london("2026-03-28 23:30"))
    assert due == dt.datetime(2026, 3, 29, 22, 59, 59, 999999, tzinfo=dt.UTC)


def test_a_fixed_date_ignores_the_opening_time():
    bail = london("2027-01-15 10:00")
    assert fixed(bail)(london("2026-11-24 10:00")) == bail.astimezone(dt.UTC)


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="aware"):
        working_days(1)(dt.datetime(2026, 11, 24, 10, 0))


def test_every_policys_rule_fits_the_duty_it_is_copied_into():
    """A duty keeps its policy's rule (Duty.rule); PostgreSQL refuses a longer one where SQLite
    would not."""
    from bluelamp.duties.models import Duty
    from bluelamp.duties.registry import POLICIES

    limit = Duty._meta.get_field("rule").max_length
    assert {p.name: len(p.rule) for p in POLICIES.values() if len(p.rule) > limit} == {}
