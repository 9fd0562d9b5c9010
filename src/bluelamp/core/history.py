"""Field-level record history: who changed which field, from what to what, and when."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q
from django.utils import timezone

from bluelamp.accounts.permissions import hidden_ids
from bluelamp.audit import services as audit

from .models import Event, Person, RecordChange


def _plain(value):
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date | Decimal):
        return str(value)
    return value


def snapshot(obj: Model) -> dict:
    """The current value of every concrete field, ready to compare and store as JSON."""
    values = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.is_relation:
            values[field.name] = (
                _plain(getattr(obj, field.name))
                if getattr(obj, field.attname) is not None
                else None
            )
        else:
            values[field.name] = _plain(getattr(obj, field.attname))
    return values


def log_change(
    *,
    actor,
    obj: Model,
    action: str,
    before: dict | None = None,
    summary: str = "",
    subject: Model | None = None,
    after: dict | None = None,
) -> RecordChange | None:
    """Writes one history row for ``subject`` (default ``obj``). For a change, only the fields
    that differ are kept; a change that alters nothing writes nothing. ``after`` (default
    ``snapshot(obj)``): the fields to keep, where the whole row must not be (a password hash)."""
    row = change_row(
        actor=actor,
        obj=obj,
        action=action,
        before=before,
        summary=summary,
        subject=subject,
        after=after,
    )
    if row is not None and not audit.defer_rows([row]):
        row.save(force_insert=True)
    return row


def log_changes(rows: list[RecordChange | None]) -> list[RecordChange]:
    """Writes several ``change_row`` rows in one insert (a crime's links: bench/crime_load.py).
    Inside ``audit.deferred`` they are inserted with the audit rows, just before commit."""
    rows = [row for row in rows if row is not None]
    if audit.defer_rows(rows):
        return rows
    return RecordChange.objects.bulk_create(rows)


def change_row(
    *,
    actor,
    obj: Model,
    action: str,
    before: dict | None = None,
    summary: str = "",
    subject: Model | None = None,
    after: dict | None = None,
) -> RecordChange | None:
    """The history row ``log_change`` would write, not yet saved. ``after``: ``snapshot(obj)``
    when the caller has it already (one link written into two records' histories)."""
    after = snapshot(obj) if after is None else after
    if before is None:
        changes = {k: [None, v] for k, v in after.items() if v not in (None, "", False)}
    else:
        changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
        if not changes and action == "change":
            return None
    subject = subject or obj
    about_event, about_person = _others(obj, subject)
    return RecordChange(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        at=timezone.now(),
        actor_id=getattr(actor, "pk", None),
        actor_name=getattr(actor, "display_name", "system"),
        action=action,
        summary=summary[:300],
        changes=changes,
        about_event_id=about_event,
        about_person_id=about_person,
    )


def _others(obj: Model, subject: Model) -> tuple[int | None, int | None]:
    """The event and the person, other than ``subject``, that a row about ``obj`` names: the far
    end of a link, the victim of a victim record, the record itself when it is not the subject."""
    found = {Event: None, Person: None}
    candidates = [(type(obj), obj.pk)] if obj is not subject else []
    for field in obj._meta.concrete_fields:
        if field.is_relation and field.related_model in found:
            candidates.append((field.related_model, getattr(obj, field.attname)))
    for model, pk in candidates:
        if model in found and found[model] is None and pk is not None:
            if not (type(subject) is model and subject.pk == pk):
                found[model] = pk
    return found[Event], found[Person]


def history_of(obj: Model, *, actor):
    """``obj``'s history as ``actor`` may read it: rows naming a restricted person or event they
    hold no grant for are left out (DESIGN.md: restricted means invisible everywhere)."""
    return RecordChange.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).exclude(
        Q(about_event_id__in=hidden_ids(actor, Event))
        | Q(about_person_id__in=hidden_ids(actor, Person))
    )
