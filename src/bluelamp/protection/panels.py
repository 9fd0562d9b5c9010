"""protection/'s links and panels on pages it does not own."""

from __future__ import annotations

from bluelamp.accounts.models import User
from bluelamp.ui.extensions import HomePanel, register_home_panel
from bluelamp.ui.navigation import register_nav_link

from . import encompass
from .models import NoticeStatus

register_nav_link("Encompass", "protection:encompass", permission="encompass.view", order=60)
register_nav_link("DVPN/DVPO", "protection:dvpn", permission="dvpn.view", order=61)
register_nav_link("Clare's Law", "protection:dvds", permission="dvds.view", order=61)


@register_home_panel("encompass-waiting")
def encompass_waiting(user: User) -> HomePanel:
    """Encompass notices not yet known to have reached the school, soonest due first."""
    waiting = [NoticeStatus.QUEUED, NoticeStatus.FALLBACK, NoticeStatus.NO_RECIPIENT]
    rows = list(
        encompass.list_notices(actor=user).filter(status__in=waiting).select_related("child")[:20]
    )
    return HomePanel(
        "Encompass notices waiting",
        rows,
        "Every school has been told.",
        "protection/encompass_panel.html",
    )
