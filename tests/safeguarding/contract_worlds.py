"""MARAC records for the inherited contract tests (tests/audit/test_coverage.py): a case listed at
a meeting with an action, a second case waiting to be listed, and the sample requests' values."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from bluelamp.core import persons
from bluelamp.safeguarding import marac, services
from bluelamp.safeguarding.models import Hub, MaracCase

from .support import answers


def _case(mash, given: str) -> MaracCase:
    victim = persons.create_person(actor=mash, family_name="Marac", given_names=given)
    made = services.make_referral(
        actor=mash, concern="domestic_abuse", account="Strangled", victim=victim
    )
    services.assess_risk(actor=mash, referral=made, answers=answers(15))
    made = services.submit_referral(actor=mash, referral=made)
    return MaracCase.objects.get(referral=made)


def marac_world(mash) -> dict:
    today = timezone.localdate()
    case, waiting = _case(mash, "Una"), _case(mash, "Vi")
    meeting = marac.schedule_meeting(actor=mash, hub=case.hub, held_on=today)
    marac.list_case(actor=mash, case=case, meeting=meeting)
    action = marac.add_action(
        actor=mash, case=case, text="Alarm", owner=mash, due_on=today + dt.timedelta(days=2)
    )
    later = (today + dt.timedelta(days=14)).isoformat()
    hub = Hub.objects.get(pk=case.hub_id).code
    return {
        "marac_case": case,
        "marac_meeting": meeting,
        "marac_action": action,
        "fill": {
            "safeguarding:marac-schedule": {"hub": hub, "held_on": later},
            "safeguarding:marac-list": {"case": waiting.pk},
            "safeguarding:marac-action-add": {
                f"case{case.pk}-text": "Refuge place",
                f"case{case.pk}-owner": mash.pk,
                f"case{case.pk}-due_on": later,
            },
            "schedule_marac_meeting": {"hub": hub, "held_on": later},
            "list_marac_case": {"case_id": waiting.pk},
            "add_marac_action": {"text": "Refuge place", "owner_id": mash.pk, "due_on": later},
        },
    }
