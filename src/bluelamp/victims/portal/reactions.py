"""Opening the portal for a victim, in the transaction that opens their victim record: the crime
reference and a one-time code go into the outbox at once (Victims' Code right 3)."""

from bluelamp.duties.registry import reacts_to

from .access import issue_code, written_channel


@reacts_to("victim.recorded")
def send_access_code(event, victim_record) -> None:
    # Only by a safe written channel the victim chose (domain.md 1.4 safe-contact); otherwise
    # the officer issues a code to give in person from the crime's page.
    if written_channel(victim_record) is not None:
        issue_code(actor=None, victim_record=victim_record)
