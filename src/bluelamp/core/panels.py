"""Core's links in the main navigation (ui.navigation)."""

from bluelamp.ui.navigation import register_nav_link

# The kinds with no door of their own (anti-social behaviour, missing episodes, stop and search,
# arrests, intelligence): a crime and an incident each have theirs (core.events.OWN_DOORS).
register_nav_link("Record other event", "core:event-create", permission="event.create", order=65)
