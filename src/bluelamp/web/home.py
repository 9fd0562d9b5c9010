"""What each role sees first: the work waiting for them. Panels are small query functions
registered by name (``ui.extensions.register_home_panel``): the shell's own are here, each
feature's in its ``panels.py``; this module only chooses which each role sees, in what order."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone

from bluelamp.accounts.models import SYNTHETIC_EMAIL_DOMAIN, User
from bluelamp.accounts.permissions import can
from bluelamp.accounts.roles import Role
from bluelamp.audit.models import AuditEvent
from bluelamp.audit.scope import readable
from bluelamp.core.choices import EventKind, EventStatus
from bluelamp.core.events import visible_events
from bluelamp.duties import queries
from bluelamp.duties.registry import POLICIES
from bluelamp.ui.extensions import HOME_PANELS, register_home_panel
from bluelamp.ui.extensions import HomePanel as Panel
from bluelamp.ui.navigation import page_links_for

# A place is a neighbourhood problem when it has this many reports of anti-social behaviour in
# this many days (a working threshold of ours, not a national rule).
REPEAT_DAYS = 90
REPEAT_AT_LEAST = 3
DUTIES = "web/panel_duties.html"


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


@register_home_panel("team-overdue")
def team_overdue(user: User) -> Panel:
    """Overdue duties owned by the supervisor's own team or its officers."""
    team = Q(owner_unit__path__startswith=user.unit.path) | Q(
        owner__unit__path__startswith=user.unit.path
    )
    rows = list(queries.overdue(user).filter(team).select_related("subject_type")[:20])
    return Panel(f"Overdue in {user.unit}", rows, "Nothing overdue in your team.", DUTIES)


@register_home_panel("area-asb")
def area_asb(user: User) -> Panel:
    """Open anti-social behaviour reports in the officer's district, newest first."""
    rows = list(
        visible_events(user)
        .filter(
            kind=EventKind.ASB,
            status=EventStatus.OPEN,
            owning_unit__path__startswith=user.unit.district().path,
        )
        .select_related("location")
        .order_by("-reported_at")[:20]
    )
    return Panel(f"Anti-social behaviour open in {user.unit.district()}", rows, "No open reports.")


@register_home_panel("asb-repeat-places")
def asb_repeat_places(user: User) -> Panel:
    """Places with repeated anti-social behaviour in the district over the last 90 days: the
    problems a neighbourhood team would work (problem-solving records do not exist yet)."""
    since = timezone.now() - dt.timedelta(days=REPEAT_DAYS)
    rows = list(
        visible_events(user)
        .filter(
            kind=EventKind.ASB,
            reported_at__gte=since,
            owning_unit__path__startswith=user.unit.district().path,
            location__isnull=False,
        )
        .values("location", "location__line1", "location__postcode")
        .annotate(n=Count("id"), latest=Max("reported_at"))
        .filter(n__gte=REPEAT_AT_LEAST)
        .order_by("-n", "-latest")[:10]
    )
    return Panel(
        f"Places with {REPEAT_AT_LEAST} or more reports in {REPEAT_DAYS} days",
        rows,
        "No place has repeated reports.",
        "web/panel_places.html",
    )


@register_home_panel("duties-on-time")
def duties_on_time(user: User) -> Panel:
    """The share of duties done on time by rule over the last 90 days (the figure the
    inspectorate asks for), for roles that may see the area's duties."""
    since = timezone.now() - dt.timedelta(days=REPEAT_DAYS)
    rows = queries.compliance(user, by="policy", since=since)
    for row in rows:
        policy = POLICIES.get(row["key"])
        row["label"] = policy.title if policy else row["key"]
    rows.sort(key=lambda row: (row["rate"] is None, row["rate"] or 0))
    return Panel(
        f"Duties done on time, last {REPEAT_DAYS} days (lowest first)",
        rows[:12],
        "No duty has fallen due yet.",
        "web/panel_on_time.html",
        link=reverse("duties:compliance"),
        link_text="All the figures, by rule, unit, officer or month",
    )


@register_home_panel("supervision-pages")
def supervision_pages(user: User) -> Panel:
    """The pages a supervisor works from, offered by the features (ui.navigation)."""
    return Panel(
        "Pages for supervising", page_links_for(user, "supervision"), "", "web/panel_links.html"
    )


PANELS = {
    Role.CALL_HANDLER: ["my-duties", "missed-targets", "unit-open-events"],
    Role.RESPONSE_OFFICER: ["my-duties", "my-cases", "unit-open-events"],
    Role.INVESTIGATOR: ["my-duties", "my-live-investigations", "unit-open-events"],
    Role.SUPERVISOR: [
        "reviews-due",
        "team-overdue",
        "missed-targets",
        "victims-overdue",
        "my-duties",
        "supervision-pages",
        "unit-open-events",
        "restricted-for-me",
    ],
    Role.QUALITY_ASSURANCE: [
        "qa-backlog",
        "overdue-in-area",
        "unit-open-events",
        "restricted-for-me",
    ],
    # The MASH queue (safeguarding/panels.py), school notices and missing people
    # (protection/, missing/), then the incidents where a call found a vulnerability
    # (contact/panels.py). A name no feature registered is skipped.
    Role.SAFEGUARDING: [
        "mash-queue",
        "encompass-waiting",
        "missing-now",
        "vulnerable-incidents",
        "my-duties",
        "my-cases",
    ],
    Role.NEIGHBOURHOOD: ["my-duties", "area-asb", "asb-repeat-places", "my-cases"],
    Role.OFFENDER_MANAGER: ["suspects-in-area", "my-duties", "my-cases"],
    Role.ANALYST: ["force-overview", "duties-on-time", "supervision-pages"],
    Role.SENIOR_LEADER: [
        "overdue-in-area",
        "victims-overdue",
        "duties-on-time",
        "force-overview",
        "supervision-pages",
        "restricted-for-me",
    ],
    Role.AUDITOR: ["recent-audit"],
    Role.ADMINISTRATOR: ["users-and-units"],
}


# Roles whose work goes through the API as well as the pages, offered its documentation on their
# home page (/api/docs needs a sign-in): analysts take extracts for their figures, auditors read
# the audit log in bulk (GET /api/audit/events), administrators connect other systems and issue
# their tokens.
API_USERS = frozenset({Role.ANALYST, Role.AUDITOR, Role.ADMINISTRATOR})


def panels_for(user: User) -> list[Panel]:
    """The role's panels that some feature registered, in the role's order."""
    return [
        HOME_PANELS[name](user)
        for name in PANELS[Role(user.role)]
        if name in HOME_PANELS and (name != "recent-audit" or can(user, "audit.view"))
    ]
