"""What each role sees first: the work waiting for them. Panels are small query functions, so
later features (duties, victims, safeguarding) add theirs here."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Min
from django.utils import timezone

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
    link: str = ""  # the page where this work is done, shown under the panel
    link_text: str = ""


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


def qa_backlog(user: User) -> Panel:
    """The QA queue's size and its oldest record's age (crime/qa.py; the 2018 report asked for a
    QA backlog measured this way), with the way to the queue."""
    from bluelamp.crime.qa import QUEUE

    summary = queries.queue(user, QUEUE).aggregate(n=Count("id"), oldest=Min("opened_at"))
    rows = []
    if summary["n"]:
        age = timezone.now() - summary["oldest"]
        days, hours = age.days, age.seconds // 3600
        rows = [
            ("Crimes waiting for a QA check", summary["n"]),
            ("Oldest waiting", f"{days} days {hours} hours" if days else f"{hours} hours"),
        ]
    return Panel(
        "Quality assurance backlog",
        rows,
        "Nothing waiting for a QA check.",
        "web/panel_summary.html",
        link="/crimes/qa/",
        link_text="Open the QA queue",
    )


def missed_targets(user: User) -> Panel:
    """Missed response targets awaiting a control-room supervisor's review (contact/, domain.md
    2.2; the 2018 report checks every one is reviewed)."""
    from bluelamp.contact.board import awaiting_review

    rows = list(awaiting_review(user)[:20])
    return Panel(
        "Missed response targets awaiting review",
        rows,
        "No missed target is waiting for review.",
        "web/panel_duties.html",
        link="/control-room/",
        link_text="Open the control room",
    )


def my_live_investigations(user: User) -> Panel:
    """The investigator's live crimes, quietest first (crime/investigation_queries.py)."""
    from bluelamp.crime.investigation_queries import my_live_investigations as live

    rows = live(user)[:20]
    return Panel(
        "My live investigations",
        rows,
        "No live investigation is allocated to you.",
        link="/investigations/mine/",
        link_text="All my investigations, with their clocks",
    )


def users_and_units(user: User) -> Panel:
    rows = list(User.objects.select_related("unit").order_by("unit__path", "username")[:100])
    return Panel("Users", rows, "No users.", "web/panel_users.html")


PANELS = {
    Role.CALL_HANDLER: [my_duties, missed_targets, unit_open_events],
    Role.RESPONSE_OFFICER: [my_duties, my_cases, unit_open_events],
    Role.INVESTIGATOR: [my_duties, my_live_investigations, unit_open_events],
    Role.SUPERVISOR: [
        overdue_in_area,
        missed_targets,
        victims_overdue,
        my_duties,
        unit_open_events,
        my_cases,
        restricted_for_me,
    ],
    Role.QUALITY_ASSURANCE: [qa_backlog, overdue_in_area, unit_open_events, restricted_for_me],
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
