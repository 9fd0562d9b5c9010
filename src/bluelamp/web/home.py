"""What each role sees first: the work waiting for them. Panels are small query functions
registered by name (``ui.extensions.register_home_panel``): the shell's own are here, each
feature's in its ``panels.py``; this module only chooses which each role sees, in what order."""

from __future__ import annotations

from django.db.models import Count

from bluelamp.accounts.models import SYNTHETIC_EMAIL_DOMAIN, User
from bluelamp.accounts.permissions import can
from bluelamp.accounts.roles import Role
from bluelamp.audit.models import AuditEvent
from bluelamp.audit.scope import readable
from bluelamp.core.choices import EventStatus
from bluelamp.core.events import visible_events
from bluelamp.duties import queries
from bluelamp.ui.extensions import HOME_PANELS, register_home_panel
from bluelamp.ui.extensions import HomePanel as Panel


@register_home_panel("my-duties")
def my_duties(user: User) -> Panel:
    rows = list(queries.mine(user).select_related("subject_type")[:20])
    return Panel("Duties waiting for you", rows, "No duties waiting.", "web/panel_duties.html")


@register_home_panel("overdue-in-area")
def overdue_in_area(user: User) -> Panel:
    rows = list(queries.overdue(user).select_related("subject_type")[:20])
    return Panel("Overdue in your area", rows, "Nothing overdue.", "web/panel_duties.html")


@register_home_panel("my-cases")
def my_cases(user: User) -> Panel:
    rows = list(
        visible_events(user)
        .filter(officer_in_case=user, status=EventStatus.OPEN)
        .select_related("location")[:20]
    )
    return Panel("My open cases", rows, "Nothing allocated to you is open.")


@register_home_panel("unit-open-events")
def unit_open_events(user: User) -> Panel:
    rows = list(
        visible_events(user)
        .filter(owning_unit__path__startswith=user.unit.path, status=EventStatus.OPEN)
        .select_related("location")[:20]
    )
    return Panel(f"Open in {user.unit}", rows, "Nothing open in your unit.")


@register_home_panel("restricted-for-me")
def restricted_for_me(user: User) -> Panel:
    rows = list(visible_events(user).filter(is_restricted=True)[:20])
    return Panel("Restricted records you can see", rows, "None.")


@register_home_panel("force-overview")
def force_overview(user: User) -> Panel:
    rows = list(
        visible_events(user)
        .filter(status=EventStatus.OPEN)
        .values("kind")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    return Panel("Open records across the force", rows, "Nothing open.", "web/panel_counts.html")


@register_home_panel("recent-audit")
def recent_audit(user: User) -> Panel:
    rows = list(readable(user, AuditEvent.objects.order_by("-id"))[:20])
    return Panel("Latest audit events", rows, "No audit events yet.", "web/panel_audit.html")


@register_home_panel("users-and-units")
def users_and_units(user: User) -> Panel:
    # The synthetic force's officers are left out (they cannot sign in); all are on the
    # Administration pages, found by name, unit, role or state.
    rows = list(
        User.objects.select_related("unit")
        .exclude(email__endswith=f"@{SYNTHETIC_EMAIL_DOMAIN}")
        .order_by("unit__path", "username")[:100]
    )
    return Panel("Users", rows, "No users.", "web/panel_users.html")


PANELS = {
    Role.CALL_HANDLER: ["my-duties", "missed-targets", "unit-open-events"],
    Role.RESPONSE_OFFICER: ["my-duties", "my-cases", "unit-open-events"],
    Role.INVESTIGATOR: ["my-duties", "my-live-investigations", "unit-open-events"],
    Role.SUPERVISOR: [
        "overdue-in-area",
        "missed-targets",
        "victims-overdue",
        "my-duties",
        "unit-open-events",
        "my-cases",
        "restricted-for-me",
    ],
    Role.QUALITY_ASSURANCE: [
        "qa-backlog",
        "overdue-in-area",
        "unit-open-events",
        "restricted-for-me",
    ],
    Role.SAFEGUARDING: [
        "mash-queue",
        "encompass-waiting",
        "missing-now",
        "my-duties",
        "my-cases",
        "unit-open-events",
    ],
    Role.NEIGHBOURHOOD: ["my-duties", "my-cases", "unit-open-events"],
    Role.OFFENDER_MANAGER: ["my-duties", "my-cases", "unit-open-events"],
    Role.ANALYST: ["force-overview"],
    Role.SENIOR_LEADER: [
        "overdue-in-area",
        "victims-overdue",
        "force-overview",
        "restricted-for-me",
    ],
    Role.AUDITOR: ["recent-audit"],
    Role.ADMINISTRATOR: ["users-and-units"],
}


def panels_for(user: User) -> list[Panel]:
    """The role's panels that some feature registered, in the role's order."""
    return [
        HOME_PANELS[name](user)
        for name in PANELS[Role(user.role)]
        if name in HOME_PANELS and (name != "recent-audit" or can(user, "audit.view"))
    ]
