"""The administrator's writers of staff accounts (administration/ pages): adding an officer with
their first password and second factor, changing, disabling and enabling an account, lifting a
sign-in lockout, and a new sign-in for a lost phone. Each needs ``user.manage``, is audited and
kept in the user's history (core.RecordChange: named fields only, never the password hash)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from axes.models import AccessAttempt
from axes.utils import reset as reset_sign_in_failures
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from bluelamp.core.history import log_change
from bluelamp.core.transactions import service
from bluelamp.core.writes import written

from .models import SYNTHETIC_EMAIL_DOMAIN, ApiToken, Unit, User
from .permissions import require
from .services import create_user


@dataclass(frozen=True)
class Enrolment:
    """What an officer needs to sign in, shown to the administrator once and never stored in
    the clear: a first password and their second factor's secret (a QR code and its text)."""

    user: User
    password: str
    device: TOTPDevice


_NOT_CLEANED = ["password", "last_login", "date_joined"]


def _user_snapshot(user: User) -> dict:
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "collar_number": user.collar_number,
        "role": user.role,
        "unit": str(user.unit),
        "is_active": user.is_active,
    }


def _clean_user(user: User, *, email_changed: bool = True) -> None:
    """Every field named in the error: names present, username free and of allowed characters,
    role and unit real, lengths within the columns (PostgreSQL enforces them)."""
    errors = {}
    for field, words in (("first_name", "first name"), ("last_name", "last name")):
        if not getattr(user, field):
            errors[field] = [f"Enter the officer's {words}."]
    if email_changed and user.email.endswith(f"@{SYNTHETIC_EMAIL_DOMAIN}"):
        errors["email"] = ["That address is kept for the synthetic force."]
    try:
        user.full_clean(exclude=_NOT_CLEANED, validate_constraints=False)
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)


def _strip(**fields) -> dict:
    return {name: (value or "").strip() for name, value in fields.items()}


@service
def add_user(
    *,
    actor: User,
    username: str,
    role: str,
    unit: Unit,
    first_name: str,
    last_name: str,
    email: str = "",
    collar_number: str = "",
) -> Enrolment:
    """Adds an officer with a first password and a second factor made for them, both returned
    once (``Enrolment``) for the administrator to hand over."""
    require(actor, "user.manage")
    fields = _strip(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        collar_number=collar_number,
    )
    _clean_user(User(role=role, unit=unit, **fields))
    password = secrets.token_urlsafe(12)
    user, device = create_user(actor=actor, password=password, role=role, unit=unit, **fields)
    # create_user audited the new account; this is its history, so not ``written``.
    log_change(
        actor=actor,
        obj=user,
        action="create",
        before=None,
        after=_user_snapshot(user),
        summary="Account added",
    )
    return Enrolment(user, password, device)


@service
def change_user(
    *,
    actor: User,
    user: User,
    role: str,
    unit: Unit,
    first_name: str,
    last_name: str,
    email: str = "",
    collar_number: str = "",
) -> User:
    require(actor, "user.manage")
    user = User.objects.select_for_update().select_related("unit").get(pk=user.pk)
    if user.pk == actor.pk and role != user.role:
        # The last administrator could otherwise leave the force with none.
        raise ValidationError(
            {"role": "You cannot change your own role: ask another administrator."}
        )
    before = _user_snapshot(user)
    fields = _strip(
        first_name=first_name, last_name=last_name, email=email, collar_number=collar_number
    )
    for name, value in {**fields, "role": role, "unit": unit}.items():
        setattr(user, name, value)
    _clean_user(user, email_changed=user.email != before["email"])
    user.save(update_fields=[*fields, "role", "unit"])
    after = _user_snapshot(user)
    changed = sorted(k for k in after if after[k] != before[k])
    written(
        user,
        actor=actor,
        action="change",
        before=before,
        after=after,
        summary="Account changed",
        label=user.username,
        detail={"changed": changed},
    )
    return user


@service
def disable_user(*, actor: User, user: User, reason: str) -> User:
    """Disables an account: no sign-in, no page (Django drops an inactive user's session) and
    no API token (``user_for_token``). Its live tokens are revoked too, so enabling the account
    again does not bring a leaver's tokens back."""
    require(actor, "user.manage")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the account is disabled."})
    if len(reason) > 500:
        raise ValidationError({"reason": "Keep the reason under 500 characters."})
    user = User.objects.select_for_update().select_related("unit").get(pk=user.pk)
    if user.pk == actor.pk:
        raise ValidationError({"reason": "You cannot disable your own account."})
    if not user.is_active:
        raise ValidationError({"reason": "This account is already disabled."})
    before = _user_snapshot(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    revoked = ApiToken.objects.filter(user=user, revoked=False).update(revoked=True)
    written(
        user,
        actor=actor,
        action="change",
        before=before,
        after=_user_snapshot(user),
        summary=f"Disabled: {reason}"[:300],
        label=user.username,
        detail={"active": False, "reason": reason, "tokens_revoked": revoked},
    )
    return user


@service
def enable_user(*, actor: User, user: User) -> User:
    require(actor, "user.manage")
    user = User.objects.select_for_update().select_related("unit").get(pk=user.pk)
    if user.is_active:
        raise ValidationError({"user": "This account is already enabled."})
    if user.is_synthetic:
        raise ValidationError({"user": "A synthetic officer has no sign-in."})
    before = _user_snapshot(user)
    user.is_active = True
    user.save(update_fields=["is_active"])
    written(
        user,
        actor=actor,
        action="change",
        before=before,
        after=_user_snapshot(user),
        summary="Enabled",
        label=user.username,
        detail={"active": True},
    )
    return user


def locked_out(usernames) -> set[str]:
    """Which of these usernames are locked out now (django-axes: the failed passwords and codes
    within the cool-off period reach the limit; settings.AXES_*)."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    rows = (
        AccessAttempt.objects.filter(username__in=list(usernames), attempt_time__gte=since)
        .values("username")
        .annotate(failures=Sum("failures_since_start"))
    )
    return {r["username"] for r in rows if r["failures"] >= settings.AXES_FAILURE_LIMIT}


@service
def unlock_user(*, actor: User, user: User) -> int:
    """Lifts a lockout after wrong passwords or codes (the officer has been spoken to): their
    failures are forgotten and they may sign in at once. Returns the failure records cleared."""
    require(actor, "user.manage")
    cleared = reset_sign_in_failures(username=user.username)
    written(
        user,
        actor=actor,
        action="change",
        before={"locked_out": True},
        after={"locked_out": False},
        summary="Sign-in lockout lifted",
        label=user.username,
        detail={"unlocked": cleared},
    )
    return cleared


@service
def reset_sign_in(*, actor: User, user: User) -> Enrolment:
    """A new first password and a new second factor (a lost or replaced phone), returned once;
    the old password and authenticator stop working, and any lockout is lifted."""
    require(actor, "user.manage")
    user = User.objects.select_for_update().select_related("unit").get(pk=user.pk)
    if user.is_synthetic:
        raise ValidationError({"user": "A synthetic officer has no sign-in."})
    if not user.is_active:
        raise ValidationError({"user": "Enable the account first."})
    password = secrets.token_urlsafe(12)
    user.set_password(password)
    user.save(update_fields=["password"])
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, name="Authenticator", confirmed=True, key=secrets.token_hex(20)
    )
    reset_sign_in_failures(username=user.username)
    written(
        user,
        actor=actor,
        action="change",
        before={"sign_in": "old"},
        after={"sign_in": "new"},
        summary="New password and second factor issued",
        label=user.username,
        detail={"sign_in": "reset"},
    )
    return Enrolment(user, password, device)
