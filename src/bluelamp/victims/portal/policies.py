"""The portal's duty: the officer in case replies to a victim's message (force practice, default
2 working days; the Victims' Code sets no limit for it)."""

from django.conf import settings

from bluelamp.duties.deadlines import working_days
from bluelamp.duties.registry import Owner, Policy, register


def _officer_in_case(event, message) -> Owner:
    crime = message.victim_record.crime
    if crime.officer_in_case_id:
        return Owner(user=crime.officer_in_case, unit=crime.officer_in_case.unit)
    # Not yet allocated: the crime's team answers, so the victim is never left waiting.
    return Owner(unit=crime.owning_unit, queue="victim-messages")


REPLY_TO_VICTIM_MESSAGE = register(
    Policy(
        name="reply-to-victim-message",
        title="Reply to the victim's message from Track my crime",
        rule="Force practice: reply to a victim's portal message within "
        f"{settings.BLUELAMP_PORTAL_REPLY_WORKING_DAYS} working days",
        opened_by="victim.message_sent",
        owner=_officer_in_case,
        deadline=working_days(settings.BLUELAMP_PORTAL_REPLY_WORKING_DAYS),
        discharged_by=("victim.message_answered",),
    )
)
