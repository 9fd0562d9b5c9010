"""Where a victim's messages go: a change of their email address or phone number is kept
(masked) and told to the OLD address or number (issue 14), so a change they did not ask for
cannot quietly move their portal codes and updates elsewhere. Called by every writer of those
fields: the needs assessment (victims/services.py) and the victim's own portal preferences."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.core.history import log_change
from bluelamp.duties.deadlines import LONDON
from bluelamp.notify import services as notify

from .models import ContactDetailsChange, ContactField, VictimRecord


def mask_email(address: str) -> str:
    """ "grace.moss@example.org" -> "g***@e***.org": enough for the victim and officers to
    recognise it, not enough to use it."""
    local, _, domain = address.partition("@")
    name, dot, top = domain.rpartition(".")
    return f"{local[:1]}***@{name[:1]}***{dot}{top}" if name else f"{local[:1]}***@{domain[:1]}***"


def mask_phone(number: str) -> str:
    """ "07700900461" -> "07*******61"."""
    digits = number.replace(" ", "")
    return digits[:2] + "*" * max(len(digits) - 4, 0) + digits[-2:] if len(digits) > 4 else "***"


_MASK = {ContactField.EMAIL: mask_email, ContactField.PHONE: mask_phone}
_NOTICE = {
    ContactField.EMAIL: "victim-contact-changed",
    ContactField.PHONE: "victim-contact-changed-sms",
}


def record_contact_details_change(
    *, actor: User | None, victim: VictimRecord, before: dict, by_name: str = ""
) -> list[ContactDetailsChange]:
    """Records each change of the victim's email address or phone number (``before``: the
    record's ``snapshot`` before the change) and tells the victim at the OLD address or number,
    through the notify outbox, so a change they did not ask for cannot quietly move their portal
    codes and updates elsewhere (issue 14). Called inside the service that made the change, after
    its permission and area checks; no notice where the victim's plan said not to write to them
    (domain.md 1.4: contact must not put the victim at risk), and the reason is kept instead.
    Other writers of ``email``/``phone`` (the victim's own portal preferences) call it too."""
    rows = []
    now = timezone.now()
    crime = victim.crime
    for field in ContactField:
        old, new = before.get(field) or "", getattr(victim, field) or ""
        if old == new:
            continue
        label = field.label.lower()
        mask = _MASK[field]
        notice, reason = None, ""
        if not old:
            reason = f"there was no earlier {label}"
        elif before.get("do_not_contact") or not before.get("safe_to_write", True):
            reason = "the victim's plan said not to write to them"
        else:
            try:
                notice = notify.send(
                    template=_NOTICE[field],
                    to=old,
                    personalisation={
                        "crime_reference": crime.reference,
                        "what": label,
                        "new": mask(new) if new else "none (removed)",
                        "when": f"{now.astimezone(LONDON):%d %b %Y at %H:%M}",
                    },
                    idempotency_key=f"victim-contact-changed:{victim.pk}:{field}:{now.isoformat()}",
                    about=victim.person,
                    reference=crime.reference,
                    actor=actor,
                )
            except ValidationError:
                reason = f"the old {label} cannot take the message (not a mobile or an address)"
        row = ContactDetailsChange.objects.create(
            victim=victim,
            at=now,
            field=field,
            old_masked=mask(old) if old else "",
            new_masked=mask(new) if new else "",
            by=actor,
            by_name=by_name or getattr(actor, "display_name", "system"),
            notice=notice,
            not_told_reason=reason,
        )
        told = "the victim was told at the old one" if notice else f"not told: {reason}"
        # History only: the service that changed the details audits the change once.
        log_change(
            actor=actor,
            obj=row,
            action="create",
            subject=victim,
            summary=f"{field.label} changed from {row.old_masked or 'none'} to "
            f"{row.new_masked or 'none'}; {told}",
        )
        rows.append(row)
    return rows
