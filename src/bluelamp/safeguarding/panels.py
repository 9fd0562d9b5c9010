"""safeguarding/'s panels and links on pages it does not own: the MASH queue on the home page,
the main navigation, the page a MARAC action's duty links to, and "make a safeguarding
referral" on an incident or crime."""

from __future__ import annotations

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import can
from bluelamp.core.choices import EventKind
from bluelamp.duties.registry import register_subject_page
from bluelamp.ui.extensions import HomePanel, RecordPanel, register_event_panel, register_home_panel
from bluelamp.ui.navigation import register_nav_link

from . import queries
from .models import Hub

register_nav_link("Safeguarding", "safeguarding:referrals", permission="referral.view", order=60)
register_nav_link("MASH", "safeguarding:mash", permission="safeguarding.mash", order=61)
register_nav_link("MARAC", "safeguarding:marac", permission="safeguarding.marac", order=62)
# A MARAC action's duty links to the action's page, where its owner marks it done.
register_subject_page("safeguarding.maracaction", "safeguarding:marac-action")


@register_home_panel("mash-queue")
def mash_queue(user: User) -> HomePanel:
    """The top of the user's hub's queue (their unit's hub, else the first)."""
    if not can(user, "safeguarding.mash"):
        return HomePanel("MASH queue", [], "Not for your role.", "safeguarding/panel.html")
    hubs = list(Hub.objects.select_related("unit"))
    mine = [h for h in hubs if h.unit and h.unit.contains(user.unit)]
    hub = (mine or hubs or [None])[0]
    rows = queries.queue(user, hub, limit=10) if hub else []
    title = f"MASH queue: {hub.name}" if hub else "MASH queue"
    return HomePanel(title, rows, "Nothing waiting for triage.", "safeguarding/panel.html")


@register_event_panel
def referral_link(request, event) -> RecordPanel | None:
    """A link to refer from an incident or crime (only for roles that may refer)."""
    if event.kind not in (EventKind.INCIDENT, EventKind.CRIME):
        return None
    if not can(request.user, "safeguarding.refer"):
        return None
    return RecordPanel("safeguarding/event_panel.html", {"event": event})
