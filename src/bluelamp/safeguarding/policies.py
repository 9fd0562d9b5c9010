"""safeguarding/'s duties (issue 17), each citing where it comes from. Every one is restricted
by default: only the safeguarding role (and whoever holds the duty) sees them in a queue, count
or figure (``readers``; duties.queries.may_see).

- The MASH triages each submitted referral within hours set by its risk level (settings).
- High risk (domain.md 3.3, DASH 14+ or raised by judgement): the district safeguarding hub's
  duty; the MARAC case is opened by reactions.py and the IDVA referral goes through the outbox.
- Medium and standard risk: the attending officer's safeguarding plan and follow-up visit.
- MARAC: list each new case at a meeting; each action agreed is its owner's duty by its date;
  a victim under 16 goes to children's safeguarding (domain.md 3.4 ⚠️ S23)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from bluelamp.accounts.roles import Role
from bluelamp.duties.deadlines import LONDON
from bluelamp.duties.registry import Owner, Policy, register

from . import rules
from .models import RiskLevel


def safeguarding_staff(actor) -> bool:
    return getattr(actor, "role", "") == Role.SAFEGUARDING


def _hub(event, referral) -> Owner:
    return Owner(unit=referral.hub.unit, queue=referral.hub.queue)


def _officer(event, referral) -> Owner:
    return Owner(user=referral.created_by, unit=referral.created_unit)


def _risk_is(*levels):
    return lambda event, referral: event.payload.get("risk") in levels


def _after_hours(setting: str):
    return lambda opened, event, subject: opened + dt.timedelta(hours=getattr(settings, setting))


def _after_days(setting: str):
    return lambda opened, event, subject: opened + dt.timedelta(days=getattr(settings, setting))


MASH_TRIAGE = register(
    Policy(
        name="safeguarding-mash-triage",
        title="Triage the referral in the MASH",
        # issue 17; force practice, settings
        rule="MASH triage deadline by risk level",
        opened_by="safeguarding.referral_submitted",
        owner=_hub,
        due=lambda opened, event, referral: rules.triage_due(opened, event.payload.get("risk")),
        discharged_by=("safeguarding.referral_triaged",),
        readers=safeguarding_staff,
    )
)
HIGH_RISK_HUB = register(
    Policy(
        name="safeguarding-high-risk-hub",
        title="High risk: district safeguarding hub to act (safety plan, IDVA, MARAC)",
        # domain.md 3.3
        rule="DASH: a score of 14 or more is high risk and goes to MARAC",
        opened_by="safeguarding.referral_submitted",
        applies=_risk_is(RiskLevel.HIGH),
        owner=_hub,
        due=_after_hours("BLUELAMP_HIGH_RISK_HUB_HOURS"),
        discharged_by=("safeguarding.referral_triaged",),
        readers=safeguarding_staff,
    )
)
SAFEGUARDING_PLAN = register(
    Policy(
        name="safeguarding-plan",
        title="Record the safeguarding plan",
        # issue 17, the seeds
        rule="Medium and standard risk: the attending officer safeguards",
        opened_by="safeguarding.referral_submitted",
        applies=_risk_is(RiskLevel.MEDIUM, RiskLevel.STANDARD),
        owner=_officer,
        due=_after_hours("BLUELAMP_SAFEGUARDING_PLAN_HOURS"),
        discharged_by=("safeguarding.plan_recorded",),
        readers=safeguarding_staff,
    )
)
FOLLOW_UP_VISIT = register(
    Policy(
        name="safeguarding-follow-up-visit",
        title="Make the follow-up visit",
        # issue 17, the seeds
        rule="Medium and standard risk: the attending officer safeguards",
        opened_by="safeguarding.referral_submitted",
        applies=_risk_is(RiskLevel.MEDIUM, RiskLevel.STANDARD),
        owner=_officer,
        due=_after_days("BLUELAMP_FOLLOW_UP_VISIT_DAYS"),
        discharged_by=("safeguarding.follow_up_visited",),
        readers=safeguarding_staff,
    )
)
CHILDRENS_SAFEGUARDING = register(
    Policy(
        name="safeguarding-childrens-referral",
        title="Under 16: refer to children's safeguarding (not MARAC)",
        # domain.md 3.4 (⚠️ S23)
        rule="MARAC covers victims aged 16 and over; refer under-16s to children's safeguarding",
        opened_by="safeguarding.childrens_referral_needed",
        owner=lambda event, referral: Owner(
            queue=settings.BLUELAMP_CHILDRENS_SAFEGUARDING_QUEUE, unit=referral.hub.unit
        ),
        due=_after_hours("BLUELAMP_HIGH_RISK_HUB_HOURS"),
        discharged_by=("safeguarding.referral_triaged",),
        readers=safeguarding_staff,
    )
)
MARAC_LISTING = register(
    Policy(
        name="safeguarding-marac-listing",
        title="List the case at the next MARAC",
        # domain.md 3.4
        rule="MARAC referral criteria (any one is enough)",
        opened_by="safeguarding.marac_case_opened",
        owner=lambda event, case: Owner(unit=case.hub.unit, queue=f"marac-{case.hub.code}"),
        due=_after_days("BLUELAMP_MARAC_LISTING_DAYS"),
        discharged_by=("safeguarding.marac_case_listed",),
        readers=safeguarding_staff,
    )
)


def _end_of_due_day(opened, event, action):
    end = dt.datetime.combine(action.due_on + dt.timedelta(days=1), dt.time(0), tzinfo=LONDON)
    return end.astimezone(dt.UTC) - dt.timedelta(microseconds=1)


MARAC_ACTION = register(
    Policy(
        name="safeguarding-marac-action",
        title="Complete the MARAC action",
        rule="MARAC actions have owners and deadlines",  # issue 17
        opened_by="safeguarding.marac_action_set",
        owner=lambda event, action: Owner(user=action.owner, unit=action.owner.unit),
        due=_end_of_due_day,
        discharged_by=("safeguarding.marac_action_done",),
        readers=safeguarding_staff,
    )
)
