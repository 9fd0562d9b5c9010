"""The audit log's link in the main navigation (ui.navigation)."""

from bluelamp.ui.navigation import register_nav_link

register_nav_link("Audit", "audit:log", permission="audit.view", order=110)
