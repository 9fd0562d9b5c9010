"""Units, users and their second factor. The only writers of accounts records: the set-up
commands' (``actor=None``) and the administrator's (administration/ pages), each of the
latter checked against the permission map, audited and kept in the user's or unit's history."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from functools import lru_cache

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.expressions import Col
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core.history import log_change
from bluelamp.core.transactions import service
from bluelamp.core.writes import written

from .models import ApiToken, Unit, User
from .permissions import require
from .roles import Role, UnitKind

_PARENT_KIND = {UnitKind.DISTRICT: UnitKind.FORCE, UnitKind.TEAM: UnitKind.DISTRICT}


def _unit_kind_fits(kind: str, parent: Unit | None) -> None:
    if kind == UnitKind.FORCE and parent is not None:
        raise ValidationError({"parent": "A force has no parent unit."})
    if kind != UnitKind.FORCE and (parent is None or parent.kind == UnitKind.TEAM):
        raise ValidationError({"parent": "A district or team sits inside a force or district."})
    if kind == UnitKind.DISTRICT and parent.kind != UnitKind.FORCE:
        raise ValidationError({"parent": "A district sits directly inside the force."})


def _unit_snapshot(unit: Unit) -> dict:
    return {
        "name": unit.name,
        "code": unit.code,
        "kind": unit.kind,
        "parent": str(unit.parent or ""),
    }


@service
def create_unit(
    *, name: str, code: str, kind: str, parent: Unit | None = None, actor: User | None = None
) -> Unit:
    """Adds a unit to the force tree: a force has no parent, a district sits in a force, a team in
    a district (or directly in the force, for force-wide teams such as the control room).
    ``actor`` is None only for the set-up commands and the synthetic force."""
    if actor is not None:
        require(actor, "unit.manage")
    if kind not in UnitKind.values:
        raise ValidationError({"kind": f"'{kind}' is not a kind of unit."})
    _unit_kind_fits(kind, parent)
    unit = Unit(name=(name or "").strip(), code=(code or "").strip(), kind=kind, parent=parent)
    # Name and code present, the code a slug no other unit has, lengths within the columns.
    unit.full_clean(exclude=["path"], validate_constraints=False)
    unit.save()  # save() sets path
    if actor is not None:
        written(
            unit,
            actor=actor,
            action="create",
            after=_unit_snapshot(unit),
            summary="Unit added",
            label=unit.name,
        )
    return unit


@service
def rename_unit(*, actor: User, unit: Unit, name: str) -> Unit:
    require(actor, "unit.manage")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = _unit_snapshot(unit)
    unit.name = (name or "").strip()
    unit.full_clean(exclude=["path", "code", "parent"], validate_constraints=False)
    written(
        unit,
        actor=actor,
        action="change",
        save=["name"],
        before=before,
        after=_unit_snapshot(unit),
        summary=f"Renamed from {before['name']}",
        label=unit.name,
        detail={"name": [before["name"], unit.name]},
    )
    return unit


@service
def move_unit(*, actor: User, unit: Unit, parent: Unit) -> Unit:
    """Moves a unit within the tree (a team to another district, say). A unit with units under
    it is not moved: their paths, and so every write scope within them, would go stale."""
    require(actor, "unit.manage")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if parent is None or parent.pk == unit.pk or unit.contains(parent):
        raise ValidationError({"parent": "A unit cannot be moved inside itself."})
    _unit_kind_fits(unit.kind, parent)
    if unit.children.exists():
        raise ValidationError({"parent": f"{unit} has units under it: move those first."})
    before = _unit_snapshot(unit)
    unit.parent = parent
    written(
        unit,
        actor=actor,
        action="change",
        save=["parent"],
        before=before,
        after=_unit_snapshot(unit),
        summary=f"Moved to {parent}",
        label=unit.name,
        detail={"parent": [before["parent"], parent.name]},
    )
    return unit


@transaction.atomic
def create_user(
    *,
    actor: User | None,
    username: str,
    password: str,
    role: str,
    unit: Unit,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    collar_number: str = "",
    totp_key: str | None = None,
) -> tuple[User, TOTPDevice]:
    """Creates a user with a confirmed TOTP device. ``actor`` is None only for the set-up commands
    run by whoever installs the system."""
    if actor is not None:
        require(actor, "user.manage")
    if role not in Role.values:
        raise ValidationError({"role": f"'{role}' is not a role."})
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": "That username is taken."})
    user = User(
        username=username,
        role=role,
        unit=unit,
        first_name=first_name,
        last_name=last_name,
        email=email,
        collar_number=collar_number,
    )
    validate_password(password, user)
    user.set_password(password)
    user.save()
    device = TOTPDevice.objects.create(
        user=user, name="Authenticator", confirmed=True, key=totp_key or secrets.token_hex(20)
    )
    audit.record(
        actor=actor, action=Action.CREATE, obj=user, record_type="user", label=user.username
    )
    return user, device


def totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@service
def issue_api_token(*, user: User, name: str, days: int = 30, actor: User | None = None) -> str:
    """Creates a bearer token for ``user`` and returns it; it cannot be shown again. ``actor``
    is the administrator issuing it (None: ``bluelamp token`` on the server, by its operator)."""
    if actor is not None:
        require(actor, "user.manage")
        if not user.is_active:
            raise ValidationError({"name": "The account is disabled: enable it first."})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Name the token after what will use it."})
    if len(name) > 100:
        raise ValidationError({"name": "Keep the name under 100 characters."})
    if not 1 <= days <= 366:
        raise ValidationError({"days": "A token lasts from 1 to 366 days."})
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    row = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=hashlib.sha256(token.encode()).hexdigest(),
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    # The history is the user's, the audit row the token's (no record of its own to name, and
    # written for the operator's command too, with no actor): not ``written``.
    if actor is not None:
        log_change(
            actor=actor,
            obj=user,
            action="change",
            before={"api_token": None},
            after={"api_token": name},
            summary=f"API token issued: {name}",
        )
    audit.record(
        actor=actor or user,
        action=Action.CREATE,
        record_type="api_token",
        record_id=user.pk,
        label=name,
        detail={"token": row.pk, "days": days},
    )
    return token


@service
def revoke_api_token(*, actor: User, token: ApiToken) -> ApiToken:
    require(actor, "user.manage")
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if token.revoked:
        raise ValidationError({"token": "This token is already revoked."})
    token.revoked = True
    token.save(update_fields=["revoked"])
    # The history is the user's, the audit row the token's, as when issued: not ``written``.
    log_change(
        actor=actor,
        obj=token.user,
        action="change",
        before={"api_token": token.name},
        after={"api_token": None},
        summary=f"API token revoked: {token.name}",
    )
    audit.record(
        actor=actor,
        action=Action.CHANGE,
        record_type="api_token",
        record_id=token.user_id,
        label=token.name,
        detail={"token": token.pk, "revoked": True},
    )
    return token


def user_for_token(token: str) -> User | None:
    """The active user a live bearer token was issued to, with their unit and its parent (every
    write's scope walks up to the district) in hand, or None. One statement, written out once
    from the models (``_token_statement``): the ORM's ``select_related`` compiled the same
    statement on every API request, a seventh of the cost of recording a crime
    (bench/README.md)."""
    db = connections[DEFAULT_DB_ALIAS]
    statement, parts = _token_statement(db.vendor)
    key_hash = hashlib.sha256(token.encode()).hexdigest()
    now = ApiToken._meta.get_field("expires_at").get_db_prep_value(timezone.now(), db)
    with db.cursor() as cursor:
        cursor.execute(statement, [key_hash, False, now])
        row = cursor.fetchone()
    if row is None:
        return None
    found, start = [], 0
    for model, fields, converters in parts:
        values = list(row[start : start + len(fields)])
        start += len(fields)
        if values[0] is None:  # no unit, or a unit with no parent
            found.append(None)
            continue
        for n, (field, steps) in enumerate(zip(fields, converters, strict=True)):
            for convert in steps:
                values[n] = convert(values[n], field, db)
        found.append(model.from_db(db.alias, [f.attname for f in fields], values))
    user, unit, parent = found
    if not user.is_active:
        return None
    User._meta.get_field("unit").set_cached_value(user, unit)
    if unit is not None:
        Unit._meta.get_field("parent").set_cached_value(unit, parent)
    return user


@lru_cache(maxsize=2)
def _token_statement(vendor: str) -> tuple[str, list]:
    """The statement and, per model it reads, its fields and each field's converters (as the
    ORM's compiler applies them: the backend's, then the field's)."""
    db = connections[DEFAULT_DB_ALIAS]
    quote = db.ops.quote_name
    parts, columns = [], []
    for model, alias in ((User, "u"), (Unit, "un"), (Unit, "up")):
        fields = list(model._meta.concrete_fields)
        converters = []
        for field in fields:
            column = Col(alias, field)
            converters.append([*db.ops.get_db_converters(column), *field.get_db_converters(db)])
            columns.append(f"{alias}.{quote(field.column)}")
        parts.append((model, fields, converters))

    def column(model, name):  # a field's column, quoted: the statement follows the models
        return quote(model._meta.get_field(name).column)

    token, user, unit = (quote(m._meta.db_table) for m in (ApiToken, User, Unit))
    statement = (
        f"SELECT {', '.join(columns)} FROM {token} t"  # noqa: S608 - model names
        f" JOIN {user} u ON u.{column(User, 'id')} = t.{column(ApiToken, 'user')}"
        f" LEFT JOIN {unit} un ON un.{column(Unit, 'id')} = u.{column(User, 'unit')}"
        f" LEFT JOIN {unit} up ON up.{column(Unit, 'id')} = un.{column(Unit, 'parent')}"
        f" WHERE t.{column(ApiToken, 'key_hash')} = %s AND t.{column(ApiToken, 'revoked')} = %s"
        f" AND t.{column(ApiToken, 'expires_at')} > %s"
    )
    return statement, parts
