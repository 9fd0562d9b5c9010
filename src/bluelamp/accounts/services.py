"""Units, users and their second factor. The only writers of accounts records."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from bluelamp.audit import services as audit
from bluelamp.audit.models import Action

from .models import ApiToken, Unit, User
from .permissions import require
from .roles import Role, UnitKind

_PARENT_KIND = {UnitKind.DISTRICT: UnitKind.FORCE, UnitKind.TEAM: UnitKind.DISTRICT}


@transaction.atomic
def create_unit(*, name: str, code: str, kind: str, parent: Unit | None = None) -> Unit:
    """Adds a unit to the force tree: a force has no parent, a district sits in a force, a team in
    a district (or directly in the force, for force-wide teams such as the control room)."""
    if kind == UnitKind.FORCE and parent is not None:
        raise ValidationError({"parent": "A force has no parent unit."})
    if kind != UnitKind.FORCE and (parent is None or parent.kind == UnitKind.TEAM):
        raise ValidationError({"parent": "A district or team sits inside a force or district."})
    unit = Unit.objects.create(name=name, code=code, kind=kind, parent=parent)
    unit.path = f"{parent.path if parent else ''}{unit.pk}/"
    unit.save(update_fields=["path"])
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


def issue_api_token(*, user: User, name: str, days: int = 30) -> str:
    """Creates a bearer token for ``user`` and returns it; it cannot be shown again."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    ApiToken.objects.create(
        user=user,
        name=name[:100],
        key_hash=hashlib.sha256(token.encode()).hexdigest(),
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    audit.record(
        actor=user,
        action=Action.CREATE,
        record_type="api_token",
        record_id=user.pk,
        label=name[:100],
    )
    return token


def user_for_token(token: str) -> User | None:
    try:
        # The unit and its parent too: write_scope (every write) walks up to the district.
        found = ApiToken.objects.select_related("user__unit__parent").get(
            key_hash=hashlib.sha256(token.encode()).hexdigest(),  # unique
            revoked=False,
            expires_at__gt=timezone.now(),
        )
    except ApiToken.DoesNotExist:
        return None
    if found.user.is_active:
        return found.user
    return None
