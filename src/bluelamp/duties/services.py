"""Writing domain events and keeping duties in step with them.

``emit`` is called by a feature's service inside the transaction that makes the change: the
outbox row is written, and every policy the event opens, discharges or cancels is applied, all
committed (or rolled back) together. Nothing is opened or closed by a timer or a later job."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.core.models import Event, Person
from bluelamp.core.transactions import service
from bluelamp.db import insert_rows, save_new

from .models import DomainEvent, Duty, Outcome
from .registry import POLICIES, REACTIONS


def subject_label(subject: Model) -> str:
    """How a duty names its subject in queues and lists: its reference, else its own name."""
    return str(getattr(subject, "reference", "") or subject)[:200]


def belongs_to(subject: Model) -> tuple[int | None, int | None]:
    """The event and the person a duty's subject belongs to: itself if it is one, else the event
    and person it points at, directly or through one record (a QA check: its crime's event).
    Queues, counts and figures are scoped by these (duties.queries)."""
    if isinstance(subject, Event):
        return subject.pk, None
    if isinstance(subject, Person):
        return None, subject.pk
    found = _points_at(subject)
    if found != (None, None):
        return found
    for field in subject._meta.concrete_fields:
        target = field.related_model
        if field.is_relation and target._meta.app_label not in ("accounts", "contenttypes", "core"):
            if getattr(subject, field.attname) is not None:
                found = _points_at(getattr(subject, field.name))
                if found != (None, None):
                    return found
    return None, None


def _points_at(record: Model) -> tuple[int | None, int | None]:
    ids: dict[type, int | None] = {Event: None, Person: None}
    for field in record._meta.concrete_fields:
        if field.is_relation and field.related_model in ids and ids[field.related_model] is None:
            ids[field.related_model] = getattr(record, field.attname)
    return ids[Event], ids[Person]


@service
def emit(
    event_type: str,
    *,
    subject: Model | None,
    actor: User | None,
    payload: dict | None = None,
    at=None,
    in_hand: tuple[Model, ...] | list[Model] = (),
) -> DomainEvent:
    """Writes the event and applies every policy and reaction to it. ``in_hand``: records the
    payload names that the caller already holds (e.g. a crime's parties), for reactions
    (``held(event, Model, pk)``) instead of fetching them again."""
    at = at or timezone.now()
    content_type = ContentType.objects.get_for_model(subject) if subject is not None else None
    (event,) = save_new(
        [
            DomainEvent(
                type=event_type,
                subject_type=content_type,
                subject_id=subject.pk if subject is not None else None,
                payload=payload or {},
                actor_id=getattr(actor, "pk", None),
                occurred_at=at,
            )
        ]
    )
    # The actor and records in hand, for reactions in this transaction (no query to fetch them
    # again).
    event.actor_user = actor
    event.in_hand = {(type(obj), obj.pk): obj for obj in in_hand}
    if subject is None:
        return event
    about_event, about_person = None, None
    for policy in POLICIES.values():
        discharges = event_type in policy.discharged_by and policy.discharge_applies(event, subject)
        if discharges or event_type in policy.cancelled_by:
            outcome = Outcome.DONE if discharges else Outcome.CANCELLED
            Duty.objects.filter(
                policy=policy.name,
                subject_type=content_type,
                subject_id=subject.pk,
                outcome=Outcome.OPEN,
            ).update(outcome=outcome, done_at=at, done_by=actor, note=event_type)
        if event_type == policy.opened_by and policy.applies(event, subject):
            owner = policy.owner(event, subject)
            if about_event is None and about_person is None:
                about_event, about_person = belongs_to(subject)
            # One plain insert: nothing refers to the new duty by id in this transaction.
            insert_rows(
                [
                    Duty(
                        policy=policy.name,
                        rule=policy.rule,
                        subject_type=content_type,
                        subject_id=subject.pk,
                        subject_label=subject_label(subject),
                        about_event_id=about_event,
                        about_person_id=about_person,
                        owner=owner.user,
                        owner_unit=owner.unit,
                        queue=owner.queue,
                        opened_at=at,
                        due_at=policy.due_at(at, event, subject),
                    )
                ]
            )
    for _name, react in REACTIONS.get(event_type, []):
        react(event, subject)
    return event


def held(event: DomainEvent, model: type[Model], pk) -> Model | None:
    """A record the emitter passed ``in_hand``, or None (then fetch it)."""
    return getattr(event, "in_hand", {}).get((model, pk))


def duties_for(subject: Model):
    return Duty.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    )
