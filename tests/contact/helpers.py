"""Shared set-up for contact tests: a call and a THRIVE assessment in one line each."""

from bluelamp.contact import services

THRIVE = {
    "threat": "Ex-partner threatening to return",
    "harm": "Bruising to the arm",
    "risk": "Likely to return tonight",
    "investigation": "Attend, statement, arrest if found",
    "vulnerability": "Lives alone with a toddler",
    "engagement": "Caller wants police to attend",
    "rationale": "Threat is current and the caller is frightened",
}


def take_call(actor, unit, **extra):
    values = {
        "channel": "999",
        "account": "My ex is banging on the door and shouting",
        "owning_unit": unit,
        "may_be_crime": True,
    }
    values.update(extra)
    return services.record_call(actor=actor, **values)


def grade(actor, incident, grade="emergency", reason="", **extra):
    return services.grade_call(
        actor=actor, incident=incident, grade=grade, reason=reason, **{**THRIVE, **extra}
    )
