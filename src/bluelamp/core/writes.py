"""``written``: the tail every service writes after changing a record, in one call: save the
row (if asked), keep its history (``core.history``), audit the write (``audit.services``) and
emit the domain event (``duties.services.emit``, which opens and closes duties), all in the
caller's transaction::

    before = snapshot(incident)
    incident.status = EventStatus.CLOSED
    written(incident, actor=actor, action="change", before=before, save=["status"],
            summary="Closed", detail={"note": note}, event="incident.closed")

Bulk paths keep their own calls: ``history.change_row`` + ``history.log_changes`` and
``audit.record_all`` write many rows in one insert (recording a crime: bench/crime_load.py)."""

from __future__ import annotations

from django.db.models import Model

from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.duties.services import emit

from .history import log_change
from .models import RecordChange


def written(
    obj: Model,
    *,
    actor,
    action: str,
    before: dict | None = None,
    after: dict | None = None,
    summary: str = "",
    subject: Model | None = None,
    save: bool | list[str] = False,
    audit_action: str | None = None,
    audited: Model | None = None,
    label: str = "",
    detail: dict | None = None,
    event: str = "",
    payload: dict | None = None,
    at=None,
    in_hand: tuple[Model, ...] | list[Model] = (),
) -> RecordChange | None:
    """Records that ``actor`` wrote ``obj``; returns the history row, or None when a change
    altered nothing (then nothing is audited either: there was no write to account for).

    - ``action``: "create", "change", "link", "delete"..., as history keeps it (an audit
      ``Action`` value).
    - ``before`` / ``after``: ``core.history.snapshot`` before and after (``after`` defaults to
      the row as it is now); ``before=None`` records every field as new.
    - ``subject``: the record whose history this belongs in, when ``obj`` is a part of it (a
      name of a person, a log entry of an incident); default ``obj``.
    - ``save``: True saves ``obj`` first; a list of field names saves those fields only.
    - audit: one row about ``audited`` (default ``subject``, else ``obj``). Its action defaults
      to the history's, except that creating a part of a subject is a change of the subject;
      ``audit_action`` says otherwise (Action.LINK, Action.DISCLOSE...). ``label`` and
      ``detail`` go on the audit row.
    - ``event``: a domain event type to emit about the same record as the audit row, with
      ``payload``, ``at`` (default now) and ``in_hand`` as ``emit`` takes them. Not emitted
      when nothing changed."""
    if save is True:
        obj.save()
    elif save:
        obj.save(update_fields=save)
    row = log_change(
        actor=actor,
        obj=obj,
        action=action,
        before=before,
        after=after,
        summary=summary,
        subject=subject,
    )
    if row is None:
        return None
    if audit_action is None:
        part_added = action == "create" and subject is not None and subject is not obj
        audit_action = Action.CHANGE if part_added else Action(action)
    audit.record(
        actor=actor,
        action=audit_action,
        obj=audited or subject or obj,
        label=label,
        detail=detail,
    )
    if event:
        emit(
            event,
            subject=audited or subject or obj,
            actor=actor,
            payload=payload,
            at=at,
            in_hand=in_hand,
        )
    return row
