"""What each reader of the audit log sees of rows about restricted records.

An auditor (information security, professional standards) sees every row - who, when, what they
did, and the record's type and id - because access to restricted records is exactly what they
audit; but the record's label (a name, a crime's reference and summary) is shown only with a
grant. Anyone else who may read the log (a chief officer) does not see rows about restricted
records they hold no grant for at all: not the row, not its label, not in a count."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Case, F, Q, QuerySet, Value, When

from bluelamp.accounts.permissions import hidden_ids, ids_as_text, permission_name, unseen
from bluelamp.accounts.roles import Role

HIDDEN_LABEL = "restricted record"


def _record_type(model) -> Q:
    # Rows about one record of the type: a list read ("MASH queue") names none, and stays.
    return Q(record_type=permission_name(model)) & ~Q(record_id="")


def _about_hidden(actor) -> Q:
    condition = unseen(actor, _record_type, "record_id", as_text=True)
    for record_type, model in (("person", "Person"), ("event", "Event")):
        ids = hidden_ids(actor, apps.get_model("core", model))
        condition |= Q(record_type=record_type, record_id__in=ids_as_text(ids))
    return condition


def readable(actor, events: QuerySet) -> QuerySet:
    """``events`` as ``actor`` may read them, each with ``shown_label``."""
    hidden = _about_hidden(actor)
    if actor.role == Role.AUDITOR:
        return events.annotate(
            shown_label=Case(When(hidden, then=Value(HIDDEN_LABEL)), default=F("record_label"))
        )
    return events.exclude(hidden).annotate(shown_label=F("record_label"))
