"""Core's links in the main navigation (ui.navigation)."""

from bluelamp.ui.navigation import register_nav_link

register_nav_link("Record event", "core:event-create", permission="event.create", order=40)
