"""Who is entitled to enhanced rights, and why (domain.md 1.3). Every reason found comes with a
sentence saying where it came from, shown to officers beside the decision."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from . import rules
from .models import EnhancedReason, VictimRecord

R = EnhancedReason
MONTH = dt.timedelta(days=30.4375)


def _offence_code(victim: VictimRecord) -> str:
    crime = getattr(victim.crime, "crime", None)  # crime.Crime beside the Event, read only
    return crime.offence_code if crime is not None else ""


def crime_flags(victim: VictimRecord) -> list[str]:
    """The flags set on the crime when it was recorded (crime/rules.py CRIME_FLAGS)."""
    crime = getattr(victim.crime, "crime", None)  # crime.Crime beside the Event, read only
    return list(crime.flags or []) if crime is not None else []


def flags(victim: VictimRecord) -> list[str]:
    """The crime's flags and those the officer recorded at the needs assessment, together: a
    needs assessment adds to what the crime says, it never takes a crime's flag away."""
    return sorted(set(crime_flags(victim)) | set(victim.flags or []))


def referral_categories(victim: VictimRecord) -> set[str]:
    """What rules.REFERRAL_ON_CONSENT_ONLY may key on: "sexual_offence" for an offence in the
    sexual offences group (rape included), and the crime's and the victim's flags."""
    found = set(flags(victim))
    if rules.offence_kind(_offence_code(victim)) in ("rape", "sexual offence"):
        found.add("sexual_offence")
    return found


def _offence_moment(victim: VictimRecord) -> dt.datetime:
    return victim.crime.occurred_from or victim.crime.reported_at


def possibly_under_18(person, at: dt.date) -> bool | None:
    """Under 18 on a date, from the date of birth. With only a year (or year and month) known,
    the latest possible birthday is used: a victim who may be a child is treated as one. None if
    the date of birth is not known at all."""
    if not person.dob_year:
        return None
    month = person.dob_month or 12
    if person.dob_day:
        day = person.dob_day
    else:
        next_month = dt.date(person.dob_year + (month == 12), month % 12 + 1, 1)
        day = (next_month - dt.timedelta(days=1)).day
    try:
        born = dt.date(person.dob_year, month, day)
    except ValueError:
        return None
    age = at.year - born.year - ((at.month, at.day) < (born.month, born.day))
    return age < rules.ADULT_AGE


def crimes_in_window(victim: VictimRecord) -> int:
    """How many crimes (this one included) this person was a victim of in the window before it
    (domain.md 1.3 PERSISTENTLY_TARGETED, partial there: the rule is ours, settings say the
    numbers)."""
    if getattr(victim.person, "just_created", False):
        return 1  # recorded with this very crime (core.just_created): no earlier ones
    end = victim.crime.reported_at
    start = end - MONTH * settings.BLUELAMP_PERSISTENTLY_TARGETED_MONTHS
    return (
        VictimRecord.objects.filter(
            person=victim.person, crime__reported_at__gte=start, crime__reported_at__lte=end
        )
        .exclude(pk=victim.pk)
        .count()
        + 1
    )


def assess(victim: VictimRecord) -> tuple[list[str], str]:
    """(reasons, rationale) for a victim from the offence, flags, age, history and recorded
    needs. An empty list means standard rights."""
    found: dict[str, list[str]] = {}

    def add(reason: str, why: str) -> None:
        found.setdefault(reason, []).append(why)

    code = _offence_code(victim)
    kind = rules.offence_kind(code)
    if kind:
        add(R.MOST_SERIOUS_CRIME, f"offence {code} ({kind})")
    if kind in rules.AUTOMATICALLY_INTIMIDATED:
        add(R.INTIMIDATED, f"victims of a {kind} count as intimidated (YJCEA s17)")
    on_crime = set(crime_flags(victim))
    for flag in flags(victim):
        if flag in rules.MOST_SERIOUS_FLAGS:
            where = "flagged on the crime" if flag in on_crime else "from the needs assessment"
            add(R.MOST_SERIOUS_CRIME, f"{rules.MOST_SERIOUS_FLAGS[flag]} ({where})")
    child = possibly_under_18(victim.person, _offence_moment(victim).astimezone(dt.UTC).date())
    if child:
        add(R.VULNERABLE, "under 18 at the time of the offence (from the date of birth)")
    for need in victim.needs:
        if need in rules.VULNERABLE_NEEDS:
            add(R.VULNERABLE, rules.VULNERABLE_NEEDS[need])
        if need in rules.INTIMIDATED_NEEDS:
            add(R.INTIMIDATED, rules.INTIMIDATED_NEEDS[need])
    count = crimes_in_window(victim)
    if count >= settings.BLUELAMP_PERSISTENTLY_TARGETED_CRIMES:
        add(
            R.PERSISTENTLY_TARGETED,
            f"victim of {count} crimes in {settings.BLUELAMP_PERSISTENTLY_TARGETED_MONTHS} months",
        )
    reasons = [r for r in R.values if r in found]
    rationale = "; ".join(f"{R(r).label}: {', '.join(found[r])}" for r in reasons)
    return reasons, rationale[:1000]
