"""Classifying a crime by its Home Office offence code, reclassifying it with its history, and
cancelling it for the HOCR reasons only, on the authority of a named decision maker
(domain.md 4.1-4.3). Each service writes, keeps history, audits and emits in one transaction."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import get_visible, require, require_unit
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core import validation as v
from bluelamp.core.choices import EventKind, EventStatus
from bluelamp.core.history import snapshot
from bluelamp.core.models import Event
from bluelamp.core.writes import written
from bluelamp.reference import offences

from .models import Cancellation, Classification, Crime, DecisionMakerAuthority
from .rules import AuthorityKind, CancellationReason

FRAUD_MESSAGE = (
    "{code} is a fraud offence. Fraud is recorded by Action Fraud and the NFIB, not as a local "
    "crime (Home Office Counting Rules): make the recording decision 'Fraud: referred to "
    "Action Fraud' and give the Action Fraud reference."
)


OUTCOMES_ONLY_MESSAGE = (
    "{code} ({offence}) is kept for the outcomes of crimes recorded before it was withdrawn: it "
    "is not a current Home Office code, so a new crime cannot be recorded or reclassified under "
    "it (Home Office offence codes). Choose the current code."
)


def check_offence_code(
    code: str | None,
    *,
    field: str = "offence_code",
    fraud_ok: bool = False,
    outcomes_only_ok: bool = False,
):
    """The OffenceCode for ``code``, or a ValidationError naming ``field`` that says why not.
    Outcomes-only codes are refused unless ``outcomes_only_ok`` (domain.md 4.2)."""
    cleaned = (code or "").strip().upper()
    if not cleaned:
        raise ValidationError({field: "Choose the Home Office offence code for this crime."})
    offence = offences.lookup(cleaned)
    if offence is None:
        raise ValidationError(
            {field: f"{cleaned[:10]} is not a Home Office offence code in this force's list."}
        )
    if offence.is_fraud and not fraud_ok:
        raise ValidationError({field: FRAUD_MESSAGE.format(code=offence.code)})
    if offence.outcomes_only and not outcomes_only_ok:
        raise ValidationError(
            {field: OUTCOMES_ONLY_MESSAGE.format(code=offence.code, offence=offence.offence)}
        )
    return offence


def crime_of(actor: User, event: Event, *, lock: bool = True) -> Crime:
    """The recorded crime behind a visible crime event (404 if restricted, error if none)."""
    events = Event.objects.select_for_update() if lock else Event.objects.all()
    event = get_visible(events, actor, event.pk)
    crime = Crime.objects.filter(event=event).select_related("event").first()
    if event.kind != EventKind.CRIME or crime is None:
        raise ValidationError({"crime": "This is not a recorded crime."})
    return crime


def _refuse_if_closed(crime: Crime, field: str) -> None:
    if Cancellation.objects.filter(crime=crime).exists():
        raise ValidationError({field: "This crime has been cancelled."})


@transaction.atomic
def reclassify(*, actor: User, crime: Event, offence_code: str, reason: str) -> Classification:
    """HOCR section B: a crime is reclassified when more is known; the history keeps every step.
    Emits ``crime.reclassified``."""
    require(actor, "crime.reclassify")
    record = crime_of(actor, crime)
    require_unit(actor, record.event.owning_unit)
    _refuse_if_closed(record, "offence_code")
    offence = check_offence_code(offence_code)
    if offence.code == record.offence_code:
        raise ValidationError({"offence_code": f"The crime is already classified as {offence}."})
    reason = v.clean_text(reason, field="reason", max_length=1000, required=True)
    step = Classification.objects.create(
        crime=record,
        from_code=record.offence_code,
        to_code=offence.code,
        reason=reason,
        classified_by=actor,
        classified_at=timezone.now(),
    )
    before = snapshot(record)
    record.offence_code = offence.code
    written(
        record,
        actor=actor,
        action="change",
        before=before,
        save=["offence_code"],
        summary=f"Reclassified {step.from_code} to {step.to_code}: {reason}"[:300],
        subject=record.event,
        detail={"from": step.from_code, "to": step.to_code},
        event="crime.reclassified",
        payload={"from": step.from_code, "to": step.to_code, "reason": reason},
    )
    return step


def live_authority(user: User) -> DecisionMakerAuthority | None:
    return (
        DecisionMakerAuthority.objects.filter(user=user, withdrawn_at__isnull=True)
        .order_by("-kind")  # the Force Crime Registrar's authority first when a user holds both
        .first()
    )


@transaction.atomic
def grant_authority(*, actor: User, user: User, kind: str) -> DecisionMakerAuthority:
    """Senior leaders name the Designated Decision Makers and the Force Crime Registrar."""
    require(actor, "crime.manage_authority")
    if kind not in AuthorityKind.values:
        raise ValidationError({"kind": f"Choose one of: {', '.join(AuthorityKind.values)}."})
    if not user.is_active:
        raise ValidationError({"user": "This account is not active."})
    if DecisionMakerAuthority.objects.filter(user=user, kind=kind, withdrawn_at=None).exists():
        raise ValidationError({"kind": f"{user.display_name} already holds this authority."})
    authority = DecisionMakerAuthority.objects.create(
        user=user, kind=kind, granted_by=actor, granted_at=timezone.now()
    )
    audit.record(
        actor=actor,
        action=Action.GRANT,
        record_type="user",
        record_id=user.pk,
        label=user.display_name,
        detail={"authority": kind},
    )
    return authority


@transaction.atomic
def withdraw_authority(*, actor: User, authority: DecisionMakerAuthority) -> None:
    require(actor, "crime.manage_authority")
    updated = DecisionMakerAuthority.objects.filter(
        pk=authority.pk, withdrawn_at__isnull=True
    ).update(withdrawn_at=timezone.now())
    if not updated:
        raise ValidationError({"authority": "This authority has already been withdrawn."})
    audit.record(
        actor=actor,
        action=Action.CHANGE,
        record_type="user",
        record_id=authority.user_id,
        label=str(authority.user),
        detail={"authority_withdrawn": authority.kind},
    )


@transaction.atomic
def cancel(
    *, actor: User, crime: Event, reason: str, rationale: str, receiving_force: str = ""
) -> Cancellation:
    """domain.md 4.3: a recorded crime is cancelled only for C1-C4, only on the authority of a
    Designated Decision Maker or the Force Crime Registrar, with a rationale and an audit trail.
    A C1 transfer names the receiving force. Emits ``crime.cancelled``."""
    require(actor, "crime.cancel")
    authority = live_authority(actor)
    if authority is None:
        raise PermissionDenied(
            "Cancelling a crime needs the authority of a Designated Decision Maker or the Force "
            "Crime Registrar (domain.md 4.3)."
        )
    record = crime_of(actor, crime)
    require_unit(actor, record.event.owning_unit)
    _refuse_if_closed(record, "reason")
    if hasattr(record, "outcome"):
        raise ValidationError({"reason": "This crime already has an outcome."})
    if reason not in CancellationReason.values:
        raise ValidationError(
            {"reason": "A crime is cancelled only for C1, C2, C3 or C4 (domain.md 4.3)."}
        )
    rationale = v.clean_text(rationale, field="rationale", max_length=4000, required=True)
    receiving_force = v.clean_text(receiving_force, field="receiving_force", max_length=120)
    if reason == CancellationReason.C1 and not receiving_force:
        raise ValidationError({"receiving_force": "Name the force the crime is transferred to."})
    if reason != CancellationReason.C1:
        receiving_force = ""
    cancellation = Cancellation.objects.create(
        crime=record,
        reason=reason,
        rationale=rationale,
        receiving_force=receiving_force,
        authority=authority.kind,
        authorised_by=actor,
        cancelled_at=timezone.now(),
    )
    event = record.event
    event.status = EventStatus.CLOSED
    event.save(update_fields=["status"])
    written(
        cancellation,
        actor=actor,
        action="change",
        before={},
        summary=f"Cancelled ({reason}) on {authority.get_kind_display()} authority",
        subject=event,
        detail={"cancelled": reason, "authority": authority.kind},
        event="crime.cancelled",
        payload={"reason": reason},
    )
    return cancellation
