"""Operation Encompass (domain-addendum.md 1.4): after a police-attended domestic abuse incident
with a child present, the child's school's designated safeguarding lead is told before the start
of the next school day; a home-educated child's local authority instead. The notice is queued
through the outbox in the referral's own transaction (reactions.py), so it cannot be lost; its
delivery is followed by the worker (delivery.py), with a fallback when it fails.

Scope: reception age to 17 (⚠️ addendum 1.4), as settings BLUELAMP_ENCOMPASS_MIN_AGE and
BLUELAMP_ENCOMPASS_MAX_AGE; a child whose date of birth is not known is always included."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import require_unit
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core import validation as v
from bluelamp.core.history import snapshot
from bluelamp.core.models import Event, Person
from bluelamp.core.transactions import service
from bluelamp.core.writes import written
from bluelamp.duties.deadlines import LONDON, SchoolCalendar, before_next_school_day
from bluelamp.notify import services as notify
from bluelamp.reference import schools as reference

from .access import get_scoped, scoped
from .models import EncompassNotice, NoticeStatus, Recipient


def school_day_starts() -> dt.time:
    return dt.time.fromisoformat(settings.BLUELAMP_ENCOMPASS_SCHOOL_DAY_STARTS)


def due_for(incident_at: dt.datetime, local_authority: str | None) -> dt.datetime:
    """Before the start of the next school day in the local authority's calendar (weekends,
    England and Wales bank holidays, school holidays and training days left out); with no
    authority (a local authority's own office, a school not known) weekdays less bank holidays."""
    closures = reference.school_closures(local_authority) if local_authority else frozenset()
    calendar = SchoolCalendar.with_closures(closures)
    return before_next_school_day(calendar, starts=school_day_starts())(incident_at)


def _age_on(person: Person, day: dt.date) -> int | None:
    born = person.date_of_birth
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def in_scope(person: Person, day: dt.date) -> bool:
    """Reception age to 17 (addendum 1.4 ⚠️); an unknown age is included (tell the school)."""
    age = _age_on(person, day)
    min_age, max_age = settings.BLUELAMP_ENCOMPASS_MIN_AGE, settings.BLUELAMP_ENCOMPASS_MAX_AGE
    return age is None or min_age <= age <= max_age


def _recipient(child_id: int, payload: dict) -> dict:
    if child_id in {int(p) for p in payload.get("home_educated") or []}:
        # The rule (domain.md 7): for home-educated children, notify the local authority. Which
        # one: the child's school is not there to say, so the force's default authority.
        code = settings.BLUELAMP_ENCOMPASS_DEFAULT_LOCAL_AUTHORITY
        authority = reference.local_authorities().get(code)
        if authority is not None:
            return {
                "recipient_kind": Recipient.LOCAL_AUTHORITY,
                "recipient_name": authority.name,
                "recipient_email": authority.education_safeguarding_email,
                "local_authority": code,
            }
        return {"recipient_kind": Recipient.UNKNOWN}
    schools = {str(k): str(val) for k, val in (payload.get("schools") or {}).items()}
    identifier = schools.get(str(child_id), "")
    school = _school(identifier)
    if school is None:
        return {"recipient_kind": Recipient.UNKNOWN, "school_identifier": identifier[:40]}
    return {
        "recipient_kind": Recipient.SCHOOL,
        "school_identifier": school.identifier,
        "recipient_name": school.name,
        "recipient_email": school.dsl_email,
        "local_authority": school.local_authority,
    }


def facts(notice: EncompassNotice) -> dict:
    """What the messages say about the incident and the child (no adult is named)."""
    local = timezone.localtime(notice.incident_at, LONDON)
    return {
        "child_name": notice.child.display_name,
        "child_dob": notice.child.dob_text,
        "incident_date": f"{local:%A %d %B %Y}",
        "incident_time": f"{local:%H:%M}",
        "reference": notice.reference,
    }


def _queue_message(notice: EncompassNotice):
    if notice.recipient_kind == Recipient.SCHOOL:
        template = "encompass-school"
        extra = {"school_name": notice.recipient_name}
    else:
        template = "encompass-local-authority"
        extra = {"authority_name": notice.recipient_name}
    return notify.send(
        template=template,
        to=notice.recipient_email,
        personalisation=facts(notice) | extra,
        idempotency_key=f"encompass:{notice.pk}",
        about=notice.child,
        reference=notice.reference,
    )


def _referral_event_and_unit(event, subject) -> tuple[Event | None, object]:
    """The incident or crime the referral is about (payload ``event``; or the subject itself when
    it is an event) and the unit that owns the notice: the event's, else the referral's own
    (``created_unit``, read by name: protection imports nothing of safeguarding)."""
    if isinstance(subject, Event):
        return subject, subject.owning_unit
    event_id = (event.payload or {}).get("event")
    found = Event.objects.filter(pk=event_id).first() if event_id else None
    if found is not None:
        return found, found.owning_unit
    return None, getattr(subject, "created_unit", None) or getattr(subject, "owning_unit", None)


def incident_time(incident: Event | None, submitted) -> dt.datetime:
    """When the incident happened, which "before the start of the next school day" counts from
    (domain.md 7; the target is scheme practice, ⚠️ addendum 1.4): the time the officer recorded
    on the incident or crime (``occurred_from``), else the referral's submission (``submitted``,
    the domain event). A referral submitted after the next school day began is then already late
    on the notices page, rather than given a later target."""
    happened = incident.occurred_from if incident is not None else None
    if happened is None or happened > submitted.occurred_at:
        return submitted.occurred_at
    return happened


def _school(identifier: str):
    """A school by its identifier, or by its name as an officer typed it."""
    found = reference.schools().get(identifier)
    if found is None:
        wanted = " ".join(identifier.lower().split())
        found = next((s for s in reference.schools().values() if s.name.lower() == wanted), None)
    return found


def open_notices(*, event, subject=None) -> list[EncompassNotice]:
    """The notices a ``safeguarding.referral_submitted`` event calls for: one per child present,
    when the police attended a domestic abuse incident. Runs in the referral's transaction."""
    payload = event.payload or {}
    if not payload.get("police_attended"):
        return []
    if payload.get("concern") not in settings.BLUELAMP_ENCOMPASS_CONCERNS:
        return []
    referral, unit = _referral_event_and_unit(event, subject)
    incident_at = incident_time(referral, event)
    actor = getattr(event, "actor_user", None)
    day = timezone.localtime(incident_at, LONDON).date()
    made = []
    ids = [int(pk) for pk in payload.get("children") or []]
    for child in Person.objects.filter(pk__in=ids).order_by("pk"):
        if not in_scope(child, day):
            continue
        same = EncompassNotice.objects.filter(child=child)
        if payload.get("referral") is not None:
            same = same.filter(referral_id=payload["referral"])
        else:
            same = same.filter(referral_event=referral)
        if referral is not None or payload.get("referral") is not None:
            if same.exists():
                continue  # the same referral emitted again
        recipient = _recipient(child.pk, payload)
        authority = recipient.get("local_authority") or None
        if recipient["recipient_kind"] == Recipient.LOCAL_AUTHORITY:
            authority = None  # the authority's office works weekdays, not school days
        notice = EncompassNotice.objects.create(
            referral_event=referral,
            referral_id=payload.get("referral"),
            child=child,
            concern=str(payload.get("concern"))[:40],
            risk=str(payload.get("risk") or "")[:20],
            incident_at=incident_at,
            due_at=due_for(incident_at, authority),
            status=NoticeStatus.QUEUED,
            owning_unit=unit,
            created_by=actor if getattr(actor, "pk", None) else None,
            created_at=timezone.now(),
            **recipient,
        )
        if notice.recipient_kind == Recipient.UNKNOWN:
            notice.status = NoticeStatus.NO_RECIPIENT
        else:
            notice.message = _queue_message(notice)
        written(
            notice,
            actor=actor,
            action="create",
            save=["status", "message"],
            summary="Opened",
            event="encompass.notice_opened",
            at=incident_at,
            payload={"recipient": notice.recipient_kind, "due_at": notice.due_at.isoformat()},
        )
        made.append(notice)
    return made


def list_notices(*, actor: User, status: str = "") -> QuerySet[EncompassNotice]:
    """The notices this user may see, soonest due first (audited as a search)."""
    notices = scoped(EncompassNotice.objects.select_related("child", "message"), actor)
    if status:
        v.check_choice(status, NoticeStatus, "status")
        notices = notices.filter(status=status)
    audit.record(
        actor=actor, action=Action.SEARCH, record_type="encompass", detail={"status": status}
    )
    return notices.order_by("due_at", "pk")


def view_notice(*, actor: User, pk: int) -> EncompassNotice:
    notice = get_scoped(
        EncompassNotice.objects.select_related("child", "message", "fallback_message"), actor, pk
    )
    audit.record(actor=actor, action=Action.VIEW, obj=notice)
    return notice


@service
def record_phone_confirmation(
    *, actor: User, notice: EncompassNotice, spoke_to: str, note: str = "", at=None
) -> EncompassNotice:
    """The school's (or authority's) safeguarding lead was told by phone: the fallback, or a
    confirmation. Discharges the notice's duties."""
    notice = get_scoped(EncompassNotice.objects.select_for_update(), actor, notice.pk, "confirm")
    require_unit(actor, notice.owning_unit)
    spoke_to = v.clean_text(spoke_to, field="spoke_to", max_length=200, required=True)
    note = v.clean_text(note, field="note", max_length=1000)
    at = v.check_moment(
        at, field="at", not_before=notice.incident_at, not_before_what="the incident"
    )
    if notice.status == NoticeStatus.CONFIRMED:
        raise ValidationError({"spoke_to": "The school has already been told by phone."})
    before = snapshot(notice)
    notice.status = NoticeStatus.CONFIRMED
    notice.confirmed_at = at or timezone.now()
    notice.confirmed_by_name = actor.display_name
    notice.confirmed_spoke_to = spoke_to
    notice.confirmed_note = note
    written(
        notice,
        actor=actor,
        action="change",
        before=before,
        save=True,
        detail={"confirmed": True},
        event="encompass.notice_confirmed",
        at=notice.confirmed_at,
    )
    return notice
