"""Crime's panels on pages crime/ does not own (the home pages, the administrator's user page)."""

from __future__ import annotations

from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import can, visible_q, write_scope
from bluelamp.core.choices import EventStatus
from bluelamp.core.models import Event, Person
from bluelamp.duties import queries
from bluelamp.ui.extensions import HomePanel, UserPanel, register_home_panel, register_user_panel
from bluelamp.ui.navigation import register_nav_link, register_page_link

from .investigation.models import Disposal, OfficerSkill, Release, SuspectAction
from .investigation.queries import my_live_investigations as live
from .qa import QUEUE

register_nav_link("New incident", "crime:incident-create", permission="event.create", order=30)
register_nav_link("Record a crime", "crime:crime-create", permission="crime.record", order=60)
register_nav_link("QA queue", "crime:qa-queue", permission="crime.qa_check", order=70)
# The pages a supervisor works from, on their home page (web/home.py "supervision-pages").
register_page_link(
    "supervision",
    "Team workload",
    "crime:investigation-workload",
    permission="investigation.view_team",
    order=10,
)
register_page_link(
    "supervision",
    "Investigation oversight",
    "crime:investigation-oversight",
    permission="investigation.view_team",
    order=20,
)
register_page_link(
    "supervision",
    "Digital device queue",
    "crime:investigation-devices",
    permission="investigation.device_examine",
    order=30,
)
register_page_link(
    "supervision",
    "Officers' skills",
    "crime:investigation-skills",
    permission="investigation.skills",
    order=40,
)

# Reviews a supervisor owes on their area's investigations (crime/policies.py and
# crime/investigation/policies.py: first and periodic reviews, and work with no update).
REVIEW_POLICIES = (
    "first-supervisor-review",
    "periodic-supervisor-review",
    "no-update-since-allocation",
    "no-update-since-last-update",
)


@register_home_panel("qa-backlog")
def qa_backlog(user: User) -> HomePanel:
    """The QA queue's size and its oldest record's age (crime/qa.py; the 2018 report asked for a
    QA backlog measured this way), with the way to the queue."""
    summary = queries.queue(user, QUEUE).aggregate(n=Count("id"), oldest=Min("opened_at"))
    rows = []
    if summary["n"]:
        age = timezone.now() - summary["oldest"]
        days, hours = age.days, age.seconds // 3600
        rows = [
            ("Crimes waiting for a QA check", summary["n"]),
            ("Oldest waiting", f"{days} days {hours} hours" if days else f"{hours} hours"),
        ]
    return HomePanel(
        "Quality assurance backlog",
        rows,
        "Nothing waiting for a QA check.",
        "web/panel_summary.html",
        link="/crimes/qa/",
        link_text="Open the QA queue",
    )


@register_home_panel("my-live-investigations")
def my_live_investigations(user: User) -> HomePanel:
    """The investigator's live crimes, quietest first (crime/investigation/queries.py)."""
    return HomePanel(
        "My live investigations",
        live(user)[:20],
        "No live investigation is allocated to you.",
        link="/investigations/mine/",
        link_text="All my investigations, with their clocks",
    )


@register_user_panel
def officer_skills(viewer: User, officer: User) -> UserPanel | None:
    """The officer's investigative skills on the administrator's page for them: those who keep
    skills (investigation.skills: supervisors and administrators) see them, and the link to the
    skills page where they are recorded. The user page has audited the read of the officer."""
    if not can(viewer, "investigation.skills"):
        return None
    rows = [
        (s.get_skill_display(), f"recorded {timezone.localtime(s.recorded_at):%d %b %Y}")
        for s in OfficerSkill.objects.filter(officer=officer).order_by("skill")
    ]
    return UserPanel(
        "Investigative skills",
        rows,
        "No skills recorded.",
        link=reverse("crime:investigation-skills"),
        link_text="Record a skill on the officers' skills page",
    )


@register_home_panel("reviews-due")
def reviews_due(user: User) -> HomePanel:
    """Supervisors' reviews owed on the area's investigations, soonest due first."""
    rows = list(
        queries.team(user).filter(policy__in=REVIEW_POLICIES).select_related("subject_type")[:20]
    )
    return HomePanel(
        "Reviews due", rows, "No investigation is waiting for your review.", "web/panel_duties.html"
    )


@register_home_panel("suspects-in-area")
def suspects_in_area(user: User) -> HomePanel:
    """For an offender manager, until offender management has records of its own: the people
    charged, on pre-charge bail or released under investigation on the area's open crimes, each
    with their latest step (crime/investigation/models.py SuspectAction), bail ending soonest
    first. A person or crime the user may not see is left out."""
    area = write_scope(user)
    steps = (
        SuspectAction.objects.filter(
            visible_q(user, Event, "crime"),
            visible_q(user, Person, "person"),
            crime__status=EventStatus.OPEN,
            crime__owning_unit__path__startswith=area.path,
        )
        .select_related("crime", "person")
        .prefetch_related("person__names")
        .order_by("-occurred_at", "-id")
    )
    latest: dict[tuple[int, int], SuspectAction] = {}
    for step in steps[:500]:
        latest.setdefault((step.crime_id, step.person_id), step)
    rows = [
        step
        for step in latest.values()
        if step.disposal == Disposal.CHARGE
        or (step.release in (Release.BAIL, Release.RUI) and step.bail_ended_at is None)
    ]
    rows.sort(key=lambda step: (step.bail_end is None, step.bail_end or step.occurred_at.date()))
    return HomePanel(
        f"People charged, on bail or under investigation in {area}",
        rows[:20],
        "No one is charged, on bail or released under investigation on an open crime.",
        "crime/panel_suspects.html",
    )
