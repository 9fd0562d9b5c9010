"""The values safeguarding/ works to, in one place: the risk factors an officer can tick, and the
MASH's triage deadlines by risk level (settings, force practice)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from .models import RiskLevel

RISK_FACTORS = {
    "weapons": "Weapons used or available",
    "injury": "Injury",
    "strangulation": "Strangulation or choking",
    "threats_to_kill": "Threats to kill",
    "stalking": "Stalking or harassment",
    "substance_misuse": "Drug or alcohol misuse",
    "mental_health": "Mental health concerns",
    "pregnancy": "Pregnancy or a new baby",
    "isolation": "Isolation",
    "previous_incidents": "Previous incidents",
    "children_at_risk": "Children at risk",
    "exploitation": "Signs of exploitation",
    "self_neglect": "Self-neglect",
}


def triage_hours(risk: str) -> int:
    return {
        RiskLevel.HIGH: settings.BLUELAMP_MASH_TRIAGE_HOURS_HIGH,
        RiskLevel.MEDIUM: settings.BLUELAMP_MASH_TRIAGE_HOURS_MEDIUM,
    }.get(risk, settings.BLUELAMP_MASH_TRIAGE_HOURS_STANDARD)


def triage_due(submitted: dt.datetime, risk: str) -> dt.datetime:
    """Real elapsed hours from submission (a MASH works around the clock)."""
    return submitted + dt.timedelta(hours=triage_hours(risk))
