"""People's links in the main navigation (ui.navigation)."""

from bluelamp.ui.navigation import register_nav_link

register_nav_link("New person", "people:enter", permission="person.create", order=50)
register_nav_link("Find a person", "people:find", permission="search", order=90)
register_nav_link("Duplicates", "people:duplicates", permission="people.review", order=100)
