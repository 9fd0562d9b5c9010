"""The victims' panels on pages victims/ does not own (the home pages)."""

from __future__ import annotations

from bluelamp.accounts.models import User
from bluelamp.duties.registry import register_subject_page
from bluelamp.ui.extensions import HomePanel, register_home_panel
from bluelamp.ui.navigation import register_page_link

from .queries import overdue_updates

# A victim's duties (updates, referral, the VPS offer) link to the victim's record.
register_subject_page("victims.victimrecord", "victims:victim")
register_page_link(
    "supervision",
    "Victims' Code: overdue, referrals, satisfaction",
    "victims:oversight",
    permission="victim.supervise",
    order=50,
)


@register_home_panel("victims-overdue")
def victims_overdue(user: User) -> HomePanel:
    """Victims' Code duties overdue in the area: updates and referrals owed."""
    rows = list(overdue_updates(user).select_related("owner", "owner_unit")[:20])
    return HomePanel(
        "Victims owed an update (overdue)", rows, "No victim is waiting.", "victims/panel.html"
    )
