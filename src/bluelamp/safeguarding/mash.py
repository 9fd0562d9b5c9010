"""The MASH's writes on a submitted referral: triage outcome, partners' notes, feedback on the
referral's quality to the referring officer and their supervisor, the rota; and the attending
officer's safeguarding plan and follow-up visit (medium and standard risk)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import require
from bluelamp.accounts.roles import Role
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core import validation as v
from bluelamp.core.transactions import service
from bluelamp.core.writes import written
from bluelamp.duties.services import emit
from bluelamp.notify import services as notify

from .models import Hub, Outcome, PartnerNote, QualityFeedback, Referral, RotaShift, Status
from .services import get_referral

NOTE_MAX = 4000


def _submitted(actor: User, referral: Referral) -> Referral:
    referral = get_referral(actor, referral.pk)
    if referral.status == Status.DRAFT:
        raise ValidationError({"status": "The referral has not been submitted yet."})
    return referral


@service
def triage_referral(*, actor: User, referral: Referral, outcome: str, note: str = "") -> Referral:
    """The MASH's decision; discharges the triage duty (policies.py)."""
    require(actor, "safeguarding.triage")
    referral = _submitted(actor, referral)
    if referral.status == Status.TRIAGED:
        raise ValidationError({"outcome": "This referral has already been triaged."})
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "Choose a triage outcome."})
    note = v.clean_text(note, field="note", max_length=2000)
    if outcome == Outcome.OTHER_AGENCY and not note:
        raise ValidationError({"note": "Say which agency."})
    now = timezone.now()
    referral.outcome, referral.outcome_note = outcome, note
    referral.status, referral.triaged_at = Status.TRIAGED, now
    referral.triaged_by_name = actor.display_name
    written(
        referral,
        actor=actor,
        action="change",
        save=["outcome", "outcome_note", "status", "triaged_at", "triaged_by_name"],
        summary=f"Triaged: {referral.get_outcome_display()}",
        label=referral.reference,
        detail={"outcome": outcome},
        event="safeguarding.referral_triaged",
        at=now,
        payload={"referral": referral.pk, "outcome": outcome},
    )
    return referral


@service
def add_partner_note(*, actor: User, referral: Referral, agency: str, text: str) -> PartnerNote:
    require(actor, "safeguarding.triage")
    referral = _submitted(actor, referral)
    agency = v.clean_text(agency, field="agency", max_length=120, required=True)
    text = v.clean_text(text, field="text", max_length=NOTE_MAX, required=True)
    note = PartnerNote.objects.create(
        referral=referral,
        agency=agency,
        text=text,
        author=actor,
        author_name=actor.display_name,
        at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action=Action.CREATE,
        obj=referral,
        label=referral.reference,
        detail={"note": note.pk, "agency": agency},
    )
    return note


def supervisors_of(officer: User) -> list[User]:
    """The supervisors of the officer's own unit: who hears about the referral's quality."""
    return list(
        User.objects.filter(unit=officer.unit, role=Role.SUPERVISOR, is_active=True).exclude(
            pk=officer.pk
        )
    )


@service
def give_feedback(*, actor: User, referral: Referral, rating: int, reason: str) -> QualityFeedback:
    """The MASH rates the referral's quality (1-5, with the reason); the referring officer and
    their supervisors are told through the outbox."""
    require(actor, "safeguarding.triage")
    referral = _submitted(actor, referral)
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": "Rate the referral from 1 (poor) to 5 (excellent)."})
    reason = v.clean_text(reason, field="reason", max_length=2000, required=True)
    officer = referral.created_by
    feedback = QualityFeedback.objects.create(
        referral=referral,
        rating=rating,
        reason=reason,
        officer=officer,
        team=referral.created_unit,
        by_name=actor.display_name,
        at=timezone.now(),
    )
    for person in [officer, *supervisors_of(officer)]:
        if person.email:
            notify.send(
                template="referral-feedback",
                to=person.email,
                personalisation={
                    "referral": referral.reference,
                    "officer": officer.display_name,
                    "rating": rating,
                    "reason": reason,
                },
                idempotency_key=f"referral-feedback-{feedback.pk}-{person.pk}",
                reference=referral.reference,
            )
    written(
        referral,
        actor=actor,
        action="change",
        summary=f"Quality rated {rating}/5",
        audit_action=Action.CREATE,  # the feedback is a new record about the referral
        label=referral.reference,
        detail={"feedback": feedback.pk, "rating": rating},
    )
    return feedback


@service
def add_rota_shift(
    *, actor: User, hub: Hub, staff: User, starts_at: dt.datetime, ends_at: dt.datetime
) -> RotaShift:
    require(actor, "safeguarding.mash")
    v.check_moment(starts_at, field="starts_at", future=True)
    v.check_moment(ends_at, field="ends_at", future=True)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "A shift ends after it starts."})
    if ends_at - starts_at > dt.timedelta(hours=24):
        raise ValidationError({"ends_at": "A shift is at most 24 hours."})
    shift = RotaShift.objects.create(hub=hub, staff=staff, starts_at=starts_at, ends_at=ends_at)
    audit.record(
        actor=actor,
        action=Action.CREATE,
        record_type="rota_shift",
        record_id=shift.pk,
        label=f"{staff.display_name} at {hub}",
    )
    return shift


def _officer_step(actor: User, referral: Referral, event: str, text: str, field: str, agency: str):
    require(actor, "safeguarding.refer")
    referral = _submitted(actor, referral)
    if actor.role != Role.SAFEGUARDING and referral.created_by_id != actor.pk:
        raise PermissionDenied("Only the attending officer or the MASH may record this.")
    text = v.clean_text(text, field=field, max_length=NOTE_MAX, required=True)
    note = PartnerNote.objects.create(
        referral=referral,
        agency=agency,
        text=text,
        author=actor,
        author_name=actor.display_name,
        at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action=Action.CREATE,
        obj=referral,
        label=referral.reference,
        detail={"note": note.pk, "step": event},
    )
    emit(event, subject=referral, actor=actor, payload={"referral": referral.pk, "note": note.pk})
    return note


# The attending officer's steps on a medium or standard risk referral: the domain event that
# discharges each one's duty (policies.py), and the agency its note is kept under.
OFFICER_STEPS = {
    "safeguarding.plan_recorded": "Police: safeguarding plan",
    "safeguarding.follow_up_visited": "Police: follow-up visit",
}


@service
def record_safeguarding_plan(*, actor: User, referral: Referral, plan: str) -> PartnerNote:
    """Discharges the attending officer's safeguarding-plan duty (medium and standard risk)."""
    event = "safeguarding.plan_recorded"
    return _officer_step(actor, referral, event, plan, "plan", OFFICER_STEPS[event])


@service
def record_follow_up_visit(*, actor: User, referral: Referral, note: str) -> PartnerNote:
    """Discharges the attending officer's follow-up visit duty (medium and standard risk)."""
    event = "safeguarding.follow_up_visited"
    return _officer_step(actor, referral, event, note, "note", OFFICER_STEPS[event])
