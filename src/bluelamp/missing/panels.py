"""missing/'s links and panels on pages it does not own."""

from __future__ import annotations

from bluelamp.accounts.models import User
from bluelamp.ui.extensions import HomePanel, register_home_panel
from bluelamp.ui.navigation import register_nav_link

from . import queries
from .models import ReportStatus

register_nav_link("Missing people", "missing:list", permission="missing.view", order=62)


@register_home_panel("missing-now")
def missing_now(user: User) -> HomePanel:
    """People still missing on reports this user may see, highest risk first."""
    rows = sorted(
        queries.list_reports(actor=user, status=ReportStatus.MISSING)[:50],
        key=lambda r: ({"high": 0, "medium": 1, "low": 2}[r.risk_grade], r.reported_at),
    )[:20]
    return HomePanel("Missing now", rows, "Nobody is missing.", "missing/panel.html")
