"""protection/ keeping in step with other features' events, in their own transaction."""

from bluelamp.duties.registry import reacts_to

from . import encompass


@reacts_to("safeguarding.referral_submitted")
def notify_schools(event, subject) -> None:
    """Operation Encompass (domain-addendum.md 1.4): a police-attended domestic abuse incident
    with a child present opens a notice to each child's school, queued in the same transaction
    as the referral. Payload: referral, concern, children, home_educated, schools,
    police_attended, risk, event (docs/events.md); subject: the referral."""
    encompass.open_notices(event=event, subject=subject)
