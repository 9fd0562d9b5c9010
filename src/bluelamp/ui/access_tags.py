"""``{% load access %}``: links and tabs shown only where the user's role may follow them.

``{% if user|may:"work.allocate" %}<a ...>Allocate by skill</a>{% endif %}`` asks the same map
the services check (``accounts.permissions.can``), so a page never offers what its target
refuses. An action missing from the map raises, as it does in a service: a misspelt permission
fails the page's tests rather than hiding a link for everyone."""

from __future__ import annotations

from django import template

from bluelamp.accounts.permissions import can

register = template.Library()


@register.filter
def may(user, action: str) -> bool:
    return can(user, action)


@register.filter
def may_any(user, actions: str) -> bool:
    """``user|may_any:"duty.view_team,audit.view"``: any one of the actions."""
    return any(can(user, action.strip()) for action in actions.split(","))
