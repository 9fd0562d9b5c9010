"""protection/'s duties. Operation Encompass (domain-addendum.md 1.4): the statutory duty is to
notify the child's educational establishment "as soon as is reasonably practicable" (Domestic
Abuse Act 2021 s.49A ✅, in force 7 Nov 2025); "before the start of the next school day" is the
scheme's practice (⚠️), kept as the target, with the school day's start a setting
(BLUELAMP_ENCOMPASS_SCHOOL_DAY_STARTS). The deadline is worked out when the notice is made, from
the school's local authority's term calendar (encompass.py), and read from the notice here."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from bluelamp.duties.registry import Owner, Policy, register

QUEUE = "encompass"
ENCOMPASS_RULE = (
    "Operation Encompass: the school's safeguarding lead told before the next school day "
    "starts (scheme practice ⚠️, addendum 1.4; DA Act 2021 s.49A ✅)"
)


def _owner(event, notice) -> Owner:
    """The officer who made the referral, else their team's Encompass queue."""
    return Owner(user=notice.created_by, unit=notice.owning_unit, queue=QUEUE)


NOTIFY_SCHOOL = register(
    Policy(
        name="encompass-notify-school",
        title="Make sure the school's safeguarding lead is told (Operation Encompass)",
        rule=ENCOMPASS_RULE,
        opened_by="encompass.notice_opened",
        owner=_owner,
        due=lambda opened, event, notice: notice.due_at,
        discharged_by=("encompass.notice_delivered", "encompass.notice_confirmed"),
    )
)


def _phone_by(opened: dt.datetime, event, notice) -> dt.datetime:
    """The notice's own deadline; once that has passed, within the hour."""
    return max(notice.due_at, opened + dt.timedelta(hours=1))


PHONE_SCHOOL = register(
    Policy(
        name="encompass-phone-school",
        title="Phone the school's safeguarding lead: the Encompass email failed",
        rule=ENCOMPASS_RULE.replace("Operation Encompass:", "Operation Encompass fallback:"),
        opened_by="encompass.delivery_failed",
        owner=_owner,
        due=_phone_by,
        discharged_by=("encompass.notice_delivered", "encompass.notice_confirmed"),
    )
)


def _notice_owner(event, record) -> Owner:
    notice = getattr(record, "notice", record)
    return Owner(user=notice.created_by, unit=notice.owning_unit, queue="dvpn")


DVPO_HEARING = register(
    Policy(
        name="dvpo-hearing",
        title="Get the DVPO application heard",
        # Home Office guidance para 1.3 (domain-addendum.md 1.1 ✅); which days are left out was
        # not found (❌), so plain hours, BLUELAMP_DVPO_HEARING_HOURS.
        rule="Crime and Security Act 2010: the DVPO application heard within 48 hours of the "
        "DVPN being served",
        opened_by="dvpn.served",
        owner=_notice_owner,
        due=lambda opened, event, notice: notice.hearing_due_at,
        discharged_by=("dvpo.decided",),
    )
)

BREACH_ARREST = register(
    Policy(
        name="dvpo-breach-arrest",
        title="Arrest enquiries: DVPN/DVPO breach",
        rule="DVPN/DVPO breach: arrest enquiries tasked (issue 17; within "
        "BLUELAMP_DVPO_BREACH_ARREST_HOURS, a force setting: no national limit found)",
        opened_by="dvpo.breach_recorded",
        owner=_notice_owner,
        due=lambda opened, event, breach: (
            opened + dt.timedelta(hours=settings.BLUELAMP_DVPO_BREACH_ARREST_HOURS)
        ),
        discharged_by=("dvpo.breach_arrest_recorded",),
    )
)


DVDS_DECISION = register(
    Policy(
        name="dvds-decision",
        title="Clare's Law: the panel's decision on the application",
        # domain.md 7; ⚠️ domain-addendum.md 1.3; BLUELAMP_DVDS_DECISION_DAYS.
        rule="Domestic Violence Disclosure Scheme (Clare's Law): a decision within 28 days of "
        "the application",
        opened_by="dvds.application_received",
        owner=lambda event, application: Owner(
            user=application.created_by, unit=application.owning_unit, queue="dvds"
        ),
        due=lambda opened, event, application: application.decision_due_at,
        discharged_by=("dvds.decision_recorded",),
    )
)
