"""What the administration pages read: accounts (searched, filtered, the synthetic force's left
out unless asked), one account with its tokens and grants, the unit tree, and every grant of
access to a restricted record. Each read of staff records is audited; a grant's record is
named by kind and number only (core.restriction.grant_label), never read."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from bluelamp.accounts.models import SYNTHETIC_EMAIL_DOMAIN, AccessGrant, ApiToken, Unit, User
from bluelamp.accounts.permissions import require
from bluelamp.accounts.staff import locked_out
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core.history import history_of
from bluelamp.core.restriction import grant_label

PAGE = 100  # accounts shown at once; the search narrows the rest


@dataclass(frozen=True)
class UserFilter:
    q: str = ""
    unit: Unit | None = None
    role: str = ""
    status: str = ""  # "", "active", "disabled", "locked"
    synthetic: bool = False


def synthetic_q() -> Q:
    return Q(email__endswith=f"@{SYNTHETIC_EMAIL_DOMAIN}")


def _filtered(found: UserFilter) -> QuerySet:
    users = User.objects.select_related("unit").order_by("last_name", "first_name", "username")
    if not found.synthetic:
        users = users.exclude(synthetic_q())
    if found.q:
        words = Q()
        for word in found.q.split():
            words &= (
                Q(username__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(collar_number__iexact=word)
            )
        users = users.filter(words)
    if found.unit is not None:
        users = users.filter(unit__path__startswith=found.unit.path)
    if found.role:
        users = users.filter(role=found.role)
    if found.status == "active":
        users = users.filter(is_active=True)
    elif found.status == "disabled":
        users = users.filter(is_active=False)
    return users


def find_users(*, actor: User, found: UserFilter) -> tuple[list[User], int, set[str]]:
    """The accounts matching ``found`` (at most PAGE), how many match, and which are locked
    out now. The search is audited with what was asked and how many were found."""
    require(actor, "user.manage")
    users = _filtered(found)
    if found.status == "locked":
        users = users.filter(username__in=locked_out(users.values_list("username", flat=True)))
    total = users.count()
    rows = list(users[:PAGE])
    locked = locked_out(u.username for u in rows)
    audit.record(
        actor=actor,
        action=Action.SEARCH,
        record_type="user",
        label="accounts",
        detail={
            "q": found.q,
            "unit": found.unit.pk if found.unit else None,
            "role": found.role,
            "status": found.status,
            "synthetic": found.synthetic,
            "count": total,
        },
    )
    return rows, total, locked


def account_counts(*, actor: User) -> dict:
    """Counts only (no one named): the administration home page."""
    require(actor, "user.manage")
    real = User.objects.exclude(synthetic_q())
    by_state = real.aggregate(
        active=Count("id", filter=Q(is_active=True)),
        disabled=Count("id", filter=Q(is_active=False)),
    )
    return {
        **by_state,
        "synthetic": User.objects.filter(synthetic_q()).count(),
        "locked": len(locked_out(real.values_list("username", flat=True))),
        "units": Unit.objects.count(),
        "grants": AccessGrant.objects.count(),
        "tokens": ApiToken.objects.filter(revoked=False, expires_at__gt=timezone.now()).count(),
    }


@dataclass
class Account:
    user: User
    locked: bool
    tokens: list[ApiToken]
    grants: list[tuple[AccessGrant, str]]
    history: list


def account(*, actor: User, pk: int) -> Account:
    """One account as its administrator sees it, audited as a consultation (404 if none)."""
    require(actor, "user.manage")
    user = User.objects.select_related("unit").filter(pk=pk).first()
    if user is None:
        raise Http404(f"No user {pk}.")
    audit.record(actor=actor, action=Action.VIEW, obj=user, record_type="user", label=user.username)
    grants = AccessGrant.objects.filter(user=user).select_related("content_type")
    return Account(
        user=user,
        locked=bool(locked_out([user.username])),
        tokens=list(user.api_tokens.order_by("-created_at")),
        grants=[(g, grant_label(g)) for g in grants.order_by("-granted_at")],
        history=list(history_of(user, actor=actor)[:50]),
    )


def grants(*, actor: User, holder: User | None = None) -> list[tuple[AccessGrant, str]]:
    """Every grant of access to a restricted record (or one user's), newest first, each with
    its record named by kind and number: the administrator withdraws access without reading
    the record (issue 16; docs/administration.md)."""
    require(actor, "access.revoke")
    rows = AccessGrant.objects.select_related("user", "user__unit", "content_type")
    if holder is not None:
        rows = rows.filter(user=holder)
    found = list(rows.order_by("-granted_at")[:500])
    audit.record(
        actor=actor,
        action=Action.VIEW,
        record_type="user",
        label="access to restricted records",
        detail={"holder": holder.pk if holder else None, "count": len(found)},
    )
    return [(g, grant_label(g)) for g in found]


def unit_tree(*, actor: User) -> list[tuple[Unit, str, int]]:
    """Every unit in tree order (by the names from the force down), with a dash for each level
    above it and how many real (not synthetic) accounts it has."""
    require(actor, "unit.manage")
    units = Unit.objects.select_related("parent").annotate(
        members_n=Count("members", filter=~Q(members__email__endswith=f"@{SYNTHETIC_EMAIL_DOMAIN}"))
    )
    units = list(units)
    names = {u.pk: u.name.casefold() for u in units}
    ordered = sorted(units, key=lambda u: [names[int(i)] for i in u.path.strip("/").split("/")])
    return [(u, "— " * (u.path.count("/") - 1), u.members_n) for u in ordered]
