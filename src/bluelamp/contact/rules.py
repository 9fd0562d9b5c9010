"""Response targets per grade, in one place (domain.md 2.2: "Forces set their own targets, so
make grades and targets per-force configuration"). The numbers are settings (settings.py,
docs/settings.md); the attend-within-target duties in policies.py use these same functions."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from bluelamp.core.models import Event

from .models import Area, Grade


def area_of(incident: Event) -> str:
    """Urban or rural, for the emergency target: the district of the incident's location, or else
    of the team that owns it, is rural when its code is in BLUELAMP_RURAL_DISTRICTS."""
    unit = None
    if incident.location_id and incident.location.district_id:
        unit = incident.location.district
    elif incident.owning_unit_id:
        unit = incident.owning_unit.district()
    code = getattr(unit, "code", "")
    return Area.RURAL if code and code in settings.BLUELAMP_RURAL_DISTRICTS else Area.URBAN


def target_span(grade: str, area: str = Area.URBAN) -> dt.timedelta:
    """How long after grading the grade's target falls."""
    if grade == Grade.EMERGENCY:
        # domain.md 2.2 grade 1: attend within 15 min (urban) or 20 min (rural) [S13].
        minutes = (
            settings.BLUELAMP_EMERGENCY_RURAL_MINUTES
            if area == Area.RURAL
            else settings.BLUELAMP_EMERGENCY_URBAN_MINUTES
        )
        return dt.timedelta(minutes=minutes)
    if grade == Grade.PRIORITY:
        # domain.md 2.2 grade 2: within 60 min [S13].
        return dt.timedelta(minutes=settings.BLUELAMP_PRIORITY_MINUTES)
    if grade == Grade.SCHEDULED:
        # domain.md 2.2 grade 3: agreed appointment, typically 24-48 h [S13].
        return dt.timedelta(hours=settings.BLUELAMP_SCHEDULED_HOURS)
    if grade == Grade.RESOLUTION:
        # domain.md 2.2 grade 4: phone, advice or referral [S14]; contact by the demand
        # reduction / initial investigation unit within a force-set time.
        return dt.timedelta(hours=settings.BLUELAMP_RESOLUTION_HOURS)
    raise ValueError(f"unknown grade {grade!r}")


def target_for(grade: str, area: str, graded_at: dt.datetime) -> dt.datetime:
    return graded_at + target_span(grade, area)


def describe_target(grade: str, area: str = Area.URBAN) -> str:
    span = target_span(grade, area)
    minutes = int(span.total_seconds() // 60)
    text = f"{minutes} minutes" if minutes < 120 else f"{minutes // 60} hours"
    if grade == Grade.EMERGENCY:
        return f"attend within {text} ({area})"
    if grade == Grade.SCHEDULED:
        return f"attend at a booked appointment within {text}"
    if grade == Grade.RESOLUTION:
        return f"contact by the demand reduction unit within {text}"
    return f"attend within {text}"
