"""Administration's place in the main navigation: only for the administrator's role (the same
permission every administration service requires)."""

from bluelamp.ui.navigation import register_nav_link

register_nav_link("Administration", "administration:home", permission="user.manage", order=90)
