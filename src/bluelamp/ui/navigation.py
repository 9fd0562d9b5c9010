"""The main navigation, built from what each feature offers and what the user's role may do.

A feature offers a page with ``register_nav_link`` in its ``panels.py`` (the web shell imports
every feature's ``panels`` at start-up), naming the permission its service checks, so a link is
shown only where the role may follow it: the same map (``accounts.permissions``) decides both.
The shell renders ``links_for(user)`` in order and imports no feature."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from bluelamp.accounts.permissions import can


@dataclass(frozen=True)
class NavLink:
    label: str
    url_name: str
    permission: str  # the action the page's service requires (accounts.permissions.PERMISSIONS)
    order: int

    @property
    def url(self) -> str:
        return reverse(self.url_name)


NAV_LINKS: dict[str, NavLink] = {}


def register_nav_link(label: str, url_name: str, *, permission: str, order: int = 100) -> None:
    """Offers a page in the main navigation to every user whose role may ``permission``. Links
    are shown by ``order``, then label; a second link to the same page is a mistake."""
    link = NavLink(label, url_name, permission, order)
    if NAV_LINKS.get(url_name, link) != link:
        raise ValueError(f"two navigation links go to {url_name!r}")
    NAV_LINKS[url_name] = link


def links_for(user) -> list[NavLink]:
    """The navigation links this user's role may follow, in order."""
    links = [link for link in NAV_LINKS.values() if can(user, link.permission)]
    return sorted(links, key=lambda link: (link.order, link.label))


# Pages a home page offers in a group ("supervision": the pages a supervisor works from), shown
# under the role's panels. Features register theirs in panels.py, like the main navigation.
PAGE_LINKS: dict[str, dict[str, NavLink]] = {}


def register_page_link(
    group: str, label: str, url_name: str, *, permission: str, order: int = 100
) -> None:
    """Offers a page in the home pages' ``group`` of links to every role that may
    ``permission``."""
    link = NavLink(label, url_name, permission, order)
    links = PAGE_LINKS.setdefault(group, {})
    if links.get(url_name, link) != link:
        raise ValueError(f"two {group!r} links go to {url_name!r}")
    links[url_name] = link


def page_links_for(user, group: str) -> list[NavLink]:
    links = [link for link in PAGE_LINKS.get(group, {}).values() if can(user, link.permission)]
    return sorted(links, key=lambda link: (link.order, link.label))
