"""Deadline calculators: when a duty opened at a moment falls due.

Every calculation is done on the Europe/London wall clock (a working day, a school day and "the
end of tomorrow" are local ideas) and returns an aware UTC datetime for storage. Fixed spans of
hours are real elapsed hours, so a 24-hour limit across a clock change is still 24 hours.

domain.md: "A working day is Monday-Friday excluding bank holidays in England and Wales" (marked
partial there; the calendar is configurable through ``BLUELAMP_EXTRA_HOLIDAYS``)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC
SCHOOL_STARTS = dt.time(8, 30)

Deadline = Callable[[dt.datetime], dt.datetime]


def _local(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("deadlines need an aware datetime")
    return moment.astimezone(LONDON)


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    """A London wall-clock time on a day, as UTC. zoneinfo resolves the clock-change hour."""
    return dt.datetime.combine(day, time, tzinfo=LONDON).astimezone(UTC)


def _end_of(day: dt.date) -> dt.datetime:
    """The last moment of a London day: midnight at the start of the next, minus a microsecond."""
    return _at(day + dt.timedelta(days=1), dt.time(0)) - dt.timedelta(microseconds=1)


@functools.cache
def _bank_holidays(year: int) -> frozenset[dt.date]:
    found = set(holidays.UK(subdiv="ENG", years=year))
    found |= {
        dt.date.fromisoformat(d)
        for d in settings.BLUELAMP_EXTRA_HOLIDAYS
        if d.startswith(str(year))
    }
    return frozenset(found)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def hours(n: float) -> Deadline:
    """N real hours after the moment (e.g. NCRS: record the crime within 24 hours)."""

    def due(opened: dt.datetime) -> dt.datetime:
        return (opened.astimezone(UTC) + dt.timedelta(hours=n)).astimezone(UTC)

    due.describe = f"within {n:g} hours"
    return due


def working_days(n: int) -> Deadline:
    """By the end of the Nth working day after the day of the moment. The day itself does not
    count, whether or not it is a working day: a report on Friday evening with a one-working-day
    limit is due by the end of Monday (Tuesday after a bank holiday Monday)."""
    if n < 1:
        raise ValueError("working days start at 1")

    def due(opened: dt.datetime) -> dt.datetime:
        day = _local(opened).date()
        counted = 0
        while counted < n:
            day += dt.timedelta(days=1)
            if is_working_day(day):
                counted += 1
        return _end_of(day)

    due.describe = f"within {n} working day{'s' if n != 1 else ''}"
    return due


def end_of_next_day() -> Deadline:
    """By the end of the day after the moment's (London) day."""

    def due(opened: dt.datetime) -> dt.datetime:
        return _end_of(_local(opened).date() + dt.timedelta(days=1))

    due.describe = "by the end of the next day"
    return due


def fixed(moment: dt.datetime) -> Deadline:
    """A fixed moment, whatever the opening time (a bail date, a court date)."""
    fixed_utc = moment.astimezone(UTC)

    def due(opened: dt.datetime) -> dt.datetime:
        return fixed_utc

    due.describe = f"by {_local(fixed_utc):%d %b %Y %H:%M}"
    return due


@dataclass(frozen=True)
class SchoolCalendar:
    """A school's days: weekdays, less bank holidays and the school's own closures (holidays,
    training days). Without a calendar of its own a school has the default."""

    closures: frozenset[dt.date] = field(default_factory=frozenset)

    @classmethod
    def with_closures(cls, days: Iterable[dt.date]) -> SchoolCalendar:
        return cls(frozenset(days))

    def is_school_day(self, day: dt.date) -> bool:
        return is_working_day(day) and day not in self.closures


def before_next_school_day(
    calendar: SchoolCalendar | None = None, starts: dt.time = SCHOOL_STARTS
) -> Deadline:
    """Before ``starts`` (08:30 unless given) on the next school day (Operation Encompass,
    domain.md §3: "before the start of the next school day"). An incident at 02:00 on a school
    day is due by 08:30 that morning; one after 08:30 is due by 08:30 on the following school
    day."""
    calendar = calendar or SchoolCalendar()

    def due(opened: dt.datetime) -> dt.datetime:
        local = _local(opened)
        day = local.date()
        if not (calendar.is_school_day(day) and local.time() < starts):
            day += dt.timedelta(days=1)
            while not calendar.is_school_day(day):
                day += dt.timedelta(days=1)
        return _at(day, starts)

    due.describe = f"before {starts:%H:%M} on the next school day"
    return due
