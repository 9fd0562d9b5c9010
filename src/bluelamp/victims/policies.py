"""The Victims' Code duties (domain.md 1.4), each on a VictimRecord: the referral to victim
support services, and telling the victim within 5 working days (1 if they have enhanced rights)
of each step in the case. Generated from the one table in rules.TIME_LIMITS.

A crime event opens one ``victim.update_due`` per victim of the crime (victims/reactions.py),
whose payload says why and whether the victim had enhanced rights at that moment: a duty's limit
is fixed when it opens. A ``victim.contacted`` discharges only the duties the contact was
recorded against (its payload ``discharges``)."""

from __future__ import annotations

import datetime as dt

from bluelamp.duties.deadlines import LONDON, Deadline, working_days
from bluelamp.duties.registry import Owner, Policy, register

from . import rules

QUEUE = "victim-care"


def _owner(event, victim) -> Owner:
    """The officer in case, else the crime's owning team (their queue)."""
    crime = victim.crime
    return Owner(user=crime.officer_in_case, unit=crime.owning_unit, queue=QUEUE)


def _deadline(reason: str, enhanced: bool) -> Deadline:
    """Working days from rules.TIME_LIMITS, as in force on the day the duty opens."""

    def due(opened: dt.datetime) -> dt.datetime:
        limit = rules.time_limit(reason, opened.astimezone(LONDON).date())
        days = limit.enhanced_working_days if enhanced else limit.standard_working_days
        return working_days(days)(opened)

    limit = rules.time_limit(reason, dt.date.today())
    days = limit.enhanced_working_days if enhanced else limit.standard_working_days
    due.describe = f"within {days} working day{'s' if days != 1 else ''}"
    return due


def policy_name(reason: str, enhanced: bool) -> str:
    return f"victim-{reason.replace('_', '-')}" + ("-enhanced" if enhanced else "")


def _named_in_contact(name: str):
    return lambda event, subject: name in (event.payload.get("discharges") or [])


REFERRAL = register(
    Policy(
        name="victim-referral",
        title="Refer the victim to victim support services",
        rule="Victims' Code right 4: referral to victim support services within 2 working days "
        "(domain.md 1.4)",
        opened_by="victim.recorded",
        owner=_owner,
        deadline=_deadline("referral", False),
        discharged_by=("victim.referred",),
        cancelled_by=("victim.referral_declined",),
    )
)


def _update_policy(limit: rules.TimeLimit, enhanced: bool) -> Policy:
    days = limit.enhanced_working_days if enhanced else limit.standard_working_days
    name = policy_name(limit.reason, enhanced)
    tier = "enhanced rights" if enhanced else "standard"
    return Policy(
        name=name,
        title=limit.title,
        rule=f"Victims' Code right {limit.right}: {limit.title.lower()} within {days} working "
        f"day{'s' if days != 1 else ''} ({tier}, {limit.source})",
        opened_by="victim.update_due",
        applies=lambda event, subject, r=limit.reason, e=enhanced: (
            event.payload.get("reason") == r and bool(event.payload.get("enhanced")) == e
        ),
        owner=_owner,
        deadline=_deadline(limit.reason, enhanced),
        discharged_by=("victim.contacted",),
        discharge_applies=_named_in_contact(name),
    )


UPDATE_POLICIES = {
    policy_name(limit.reason, enhanced): register(_update_policy(limit, enhanced))
    for limit in rules.TIME_LIMITS
    if limit.reason != "referral"
    for enhanced in (False, True)
}
ALL = {REFERRAL.name: REFERRAL, **UPDATE_POLICIES}
