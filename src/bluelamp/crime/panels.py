"""Crime's panels on pages crime/ does not own (the home pages, the administrator's user page)."""

from __future__ import annotations

from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import can
from bluelamp.duties import queries
from bluelamp.ui.extensions import HomePanel, UserPanel, register_home_panel, register_user_panel
from bluelamp.ui.navigation import register_nav_link

from .investigation.models import OfficerSkill
from .investigation.queries import my_live_investigations as live
from .qa import QUEUE

register_nav_link("New incident", "crime:incident-create", permission="event.create", order=30)
register_nav_link("Record a crime", "crime:crime-create", permission="crime.record", order=60)
register_nav_link("QA queue", "crime:qa-queue", permission="crime.qa_check", order=70)


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
