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


@reacts_to("victim.needs_assessed")
def send_first_code_once_reachable(event, victim_record) -> None:
    # A victim recorded before their email or mobile was known gets their first code as soon as
    # the needs assessment records a safe written channel; never a second one unasked.
    if victim_record.portal_codes.exists():
        return
    if written_channel(victim_record) is not None:
        issue_code(actor=None, victim_record=victim_record)
