"""The Victims' Code duties (domain.md 1.4), each on a VictimRecord: the referral to victim
support services, and telling the victim within 5 working days (1 if they have enhanced rights)
of each step in the case. Generated from the one table in rules.TIME_LIMITS.

A crime event opens one ``victim.update_due`` per victim of the crime (victims/reactions.py),
whose payload says why and whether the victim had enhanced rights at that moment: one policy per
reason, whose deadline reads that from the event, so a duty's limit is fixed when it opens. A
``victim.contacted`` discharges only the duties the contact was recorded against (its payload
``discharges``)."""

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


def _due_by_rights(reason: str):
    """The limit for the victim's rights as the opening event recorded them (its payload's
    ``enhanced``): 1 working day with enhanced rights, 5 without (domain.md 1.4)."""
    standard, enhanced = _deadline(reason, False), _deadline(reason, True)
    return lambda opened, event, victim: (enhanced if event.payload.get("enhanced") else standard)(
        opened
    )


def policy_name(reason: str) -> str:
    return f"victim-{reason.replace('_', '-')}"


def _named_in_contact(name: str):
    return lambda event, subject: name in (event.payload.get("discharges") or [])


REFERRAL = register(
    Policy(
        name="victim-referral",
        title="Refer the victim to victim support services",
        # domain.md 1.4: the rule's name is shown to officers, its source stays here.
        rule="Victims' Code right 4: referral to victim support services within 2 working days",
        opened_by="victim.recorded",
        owner=_owner,
        deadline=_deadline("referral", False),
        discharged_by=("victim.referred",),
        cancelled_by=("victim.referral_declined",),
    )
)


def _days(n: int) -> str:
    return f"{n} working day{'s' if n != 1 else ''}"


def _update_policy(limit: rules.TimeLimit) -> Policy:
    name = policy_name(limit.reason)
    return Policy(
        name=name,
        title=limit.title,
        rule=f"Victims' Code right {limit.right}: {limit.title.lower()} within "
        f"{_days(limit.standard_working_days)} ({limit.enhanced_working_days} if enhanced)",
        # limit.source (domain.md section) is cited in victims/rules.py, not shown to officers
        opened_by="victim.update_due",
        applies=lambda event, subject, r=limit.reason: event.payload.get("reason") == r,
        owner=_owner,
        due=_due_by_rights(limit.reason),
        discharged_by=("victim.contacted",),
        discharge_applies=_named_in_contact(name),
    )


UPDATE_POLICIES = {
    policy_name(limit.reason): register(_update_policy(limit))
    for limit in rules.TIME_LIMITS
    if limit.reason != "referral"
}
ALL = {REFERRAL.name: REFERRAL, **UPDATE_POLICIES}
