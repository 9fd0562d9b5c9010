"""Restricted records (a person or event only those granted may see): restricting one, granting
access to it, and the audited reads of any POLE record and its history that keep to the same
rule (restricted records are a 404 for everyone else)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from bluelamp.accounts.models import AccessGrant, User
from bluelamp.accounts.permissions import get_visible, permission_name, require, require_unit
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core.writes import written

from . import validation as v
from .history import history_of, log_change, snapshot


def _restrictable(model: type[Model]) -> None:
    if not hasattr(model, "is_restricted"):
        raise ValidationError({"record": "This kind of record cannot be restricted."})


@transaction.atomic
def grant_access(*, actor: User, record: Model, user: User, reason: str) -> AccessGrant:
    """Lets ``user`` see a restricted record. Only someone who can see it may grant it."""
    require(actor, "record.restrict")
    _restrictable(type(record))
    record = get_visible(type(record).objects, actor, record.pk)
    if permission_name(type(record)) == "event":
        require_unit(actor, record.owning_unit)
    reason = v.clean_text(reason, field="reason", max_length=500, required=True)
    grant, _ = AccessGrant.objects.get_or_create(
        user=user,
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        defaults={
            "reason": reason,
            "granted_by_name": actor.display_name,
            "granted_at": timezone.now(),
        },
    )
    written(  # the record itself does not change: the row names the access given
        grant,
        actor=actor,
        action="change",
        subject=record,
        before={"access": None},
        after={"access": user.display_name},
        summary=f"Access granted to {user.display_name}: {reason}",
        audit_action=Action.GRANT,
        detail={"grantee": user.pk, "reason": reason},
    )
    return grant


def grant_label(grant: AccessGrant) -> str:
    """How a grant's record is named to someone who manages grants but may not see the record
    (an administrator): its kind and number, never its name, reference or summary."""
    return f"Restricted {grant.content_type.model} no. {grant.object_id}"


@transaction.atomic
def revoke_access(*, actor: User, grant: AccessGrant) -> None:
    """Withdraws one user's access to a restricted record: a leaver, a mover, a case handed on.
    Whoever does it (an administrator) need not see the record, so it is named by kind and
    number only; the record's history, the user's history and the audit log all keep it."""
    require(actor, "access.revoke")
    grant = (
        AccessGrant.objects.select_for_update()
        .select_related("user", "content_type")
        .filter(pk=grant.pk)
        .first()
    )
    if grant is None:
        raise ValidationError({"grant": "That access has already been withdrawn."})
    model = grant.content_type.model_class()
    record = model(pk=grant.object_id)  # named by id only: its fields are not read
    holder = grant.user
    # Two histories (the record's and the holder's) and an audit row naming the record by id
    # only (its fields are not read), so not ``written``.
    for subject, summary in (
        (record, f"Access withdrawn from {holder.display_name}"),
        (holder, f"Access withdrawn: {grant_label(grant)}"),
    ):
        log_change(
            actor=actor,
            obj=grant,
            subject=subject,
            action="change",
            before={"access": holder.display_name},
            after={"access": None},
            summary=summary,
        )
    audit.record(
        actor=actor,
        action=Action.CHANGE,
        record_type=permission_name(model),
        record_id=grant.object_id,
        detail={"access_withdrawn_from": holder.pk, "reason_granted": grant.reason},
    )
    grant.delete()


@transaction.atomic
def restrict_record(
    *, actor: User, record: Model, reason: str, grant_to: list[User] | tuple = ()
) -> Model:
    """Restricts a person or event (e.g. a crime whose victim or suspect is a member of staff).
    The restricting user keeps access; others named in ``grant_to`` get it too."""
    require(actor, "record.restrict")
    _restrictable(type(record))
    reason = v.clean_text(reason, field="reason", max_length=500, required=True)
    record = get_visible(type(record).objects.select_for_update(), actor, record.pk)
    if record.is_restricted:
        raise ValidationError({"record": "This record is already restricted."})
    if permission_name(type(record)) == "event":
        require_unit(actor, record.owning_unit)
    before = snapshot(record)
    record.is_restricted = True
    record.restriction_reason = reason
    grantees = {actor, *grant_to}
    written(
        record,
        actor=actor,
        action="change",
        before=before,
        save=["is_restricted", "restriction_reason"],
        summary="Restricted",
        audit_action=Action.GRANT,
        detail={"restricted": True, "grantees": sorted(u.pk for u in grantees)},
    )
    for user in grantees:
        AccessGrant.objects.get_or_create(
            user=user,
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            defaults={
                "reason": reason,
                "granted_by_name": actor.display_name,
                "granted_at": timezone.now(),
            },
        )
    return record


def view_record(*, actor: User, queryset, pk: int) -> Model:
    """Any POLE record by id, audited as a consultation; 404 when not visible."""
    record = get_visible(queryset, actor, pk)
    audit.record(actor=actor, action=Action.VIEW, obj=record)
    return record


def view_history(*, actor: User, record: Model):
    require(actor, "history.view")
    audit.record(actor=actor, action=Action.VIEW, obj=record, detail={"part": "history"})
    return history_of(record, actor=actor)
