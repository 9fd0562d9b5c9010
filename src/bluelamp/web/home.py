"""What each role sees first: the work waiting for them. Panels are small query functions, so
later features (duties, victims, safeguarding) add theirs here."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import can
from bluelamp.accounts.roles import Role
from bluelamp.audit.models import AuditEvent
from bluelamp.core.choices import EventStatus
from bluelamp.core.services import visible_events
from bluelamp.duties import queries


@dataclass
class Panel:
    title: str
    rows: list
    empty: str
    template: str = "web/panel_events.html"


def my_duties(user: User) -> Panel:
    rows = list(queries.mine(user).select_related("subject_type")[:20])
    return Panel("Duties waiting for you", rows, "No duties waiting.", "web/panel_duties.html")


def overdue_in_area(user: User) -> Panel:
    rows = list(queries.overdue(user).select_related("subject_type")[:20])
    return Panel("Overdue in your area", rows, "Nothing overdue.", "web/panel_duties.html")


def my_cases(user: User) -> Panel:
    rows = list(
        visible_events(user)
        .filter(officer_in_case=user, status=EventStatus.OPEN)
        .select_related("location")[:20]
    )
    return Panel("My open cases", rows, "Nothing allocated to you is open.")


def unit_open_events(user: User) -> Panel:
    rows = list(
        visible_events(user)
        .filter(owning_unit__path__startswith=user.unit.path, status=EventStatus.OPEN)
        .select_related("location")[:20]
    )
    return Panel(f"Open in {user.unit}", rows, "Nothing open in your unit.")


def restricted_for_me(user: User) -> Panel:
    rows = list(visible_events(user).filter(is_restricted=True)[:20])
    return Panel("Restricted records you can see", rows, "None.")


def force_overview(user: User) -> Panel:
    rows = list(
        visible_events(user)
        .filter(status=EventStatus.OPEN)
        .values("kind")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    return Panel("Open records across the force", rows, "Nothing open.", "web/panel_counts.html")


def recent_audit(user: User) -> Panel:
    rows = list(AuditEvent.objects.order_by("-id")[:20])
    return Panel("Latest audit events", rows, "No audit events yet.", "web/panel_audit.html")


def victims_overdue(user: User) -> Panel:
    """Victims' Code duties overdue in the area (victims/): updates and referrals owed."""
    from bluelamp.victims.queries import overdue_updates

    rows = list(overdue_updates(user).select_related("owner", "owner_unit")[:20])
    return Panel(
        "Victims owed an update (overdue)", rows, "No victim is waiting.", "victims/panel.html"
    )


def users_and_units(user: User) -> Panel:
    rows = list(User.objects.select_related("unit").order_by("unit__path", "username")[:100])
    return Panel("Users", rows, "No users.", "web/panel_users.html")


PANELS = {
    Role.CALL_HANDLER: [my_duties, unit_open_events],
    Role.RESPONSE_OFFICER: [my_duties, my_cases, unit_open_events],
    Role.INVESTIGATOR: [my_duties, my_cases, unit_open_events],
    Role.SUPERVISOR: [
        overdue_in_area,
        victims_overdue,
        my_duties,
        unit_open_events,
        my_cases,
        restricted_for_me,
    ],
    Role.QUALITY_ASSURANCE: [overdue_in_area, unit_open_events, restricted_for_me],
    Role.SAFEGUARDING: [my_duties, my_cases, unit_open_events],
    Role.NEIGHBOURHOOD: [my_duties, my_cases, unit_open_events],
    Role.OFFENDER_MANAGER: [my_duties, my_cases, unit_open_events],
    Role.ANALYST: [force_overview],
    Role.SENIOR_LEADER: [overdue_in_area, victims_overdue, force_overview, restricted_for_me],
    Role.AUDITOR: [recent_audit],
    Role.ADMINISTRATOR: [users_and_units],
}


def panels_for(user: User) -> list[Panel]:
    return [
        panel(user)
        for panel in PANELS[Role(user.role)]
        if panel is not recent_audit or can(user, "audit.view")
    ]
