"""Telling victims of an update (Victims' Code right 6): when an officer records an update marked
for the victim, each victim of the crime hears by their chosen written channel that there is one,
with a link to the portal. The update itself is read only after signing in; nothing is sent to a
victim who asked not to be contacted or whom writing could put at risk (domain.md 1.4)."""

from django.conf import settings

from bluelamp.duties.registry import handles
from bluelamp.notify import services as notify
from bluelamp.victims.models import VictimRecord

from .access import written_channel


def _tell(record: VictimRecord, key: str) -> None:
    channel = written_channel(record)
    if channel is None:
        return
    kind, to = channel
    notify.send(
        template="portal-update" if kind == "email" else "portal-update-sms",
        to=to,
        personalisation={
            "crime_reference": record.crime.reference,
            "portal_url": settings.BLUELAMP_PORTAL_URL,
        },
        idempotency_key=key,
        about=record,
        reference=record.crime.reference,
    )


@handles("crime.investigation_updated")
def tell_victims_of_update(event) -> None:
    if not event.payload.get("victim_visible"):
        return  # an internal update stays internal
    for record in VictimRecord.objects.filter(crime_id=event.subject_id).select_related("crime"):
        _tell(record, f"portal-update:{event.payload['update']}:{record.pk}")


@handles("victim.message_answered")
def tell_victim_of_reply(event) -> None:
    record = (
        VictimRecord.objects.filter(pk=event.payload.get("victim_record"))
        .select_related("crime")
        .first()
    )
    if record is not None:
        _tell(record, f"portal-reply:{event.subject_id}")
