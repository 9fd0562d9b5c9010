"""Places where features add to pages they do not own, without the page's owner importing them:
a feature registers a function that returns a panel for a record page (template and context, or
nothing) or for the home pages. Features keep these in ``panels.py``, which the web shell's
AppConfig.ready() imports from every feature."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string


@dataclass
class RecordPanel:
    template: str
    context: dict


EVENT_PANELS: list[Callable] = []
# Panels registered with ``last=True`` (summaries of the whole record, such as its duties) are
# shown after every feature's own panels, whatever order the features were imported in.
_LAST: set[Callable] = set()


def register_event_panel(function: Callable | None = None, *, last: bool = False):
    def add(function: Callable) -> Callable:
        if function not in EVENT_PANELS:
            EVENT_PANELS.append(function)
        if last:
            _LAST.add(function)
        EVENT_PANELS.sort(key=lambda f: f in _LAST)  # stable: keeps registration order
        return function

    return add(function) if function is not None else add


def event_panels(request, event) -> list[str]:
    """The HTML of every feature's panel for this event page."""
    rendered = []
    for function in EVENT_PANELS:
        panel = function(request, event)
        if panel is not None:
            rendered.append(render_to_string(panel.template, panel.context, request=request))
    return rendered


@dataclass
class HomePanel:
    """One panel of a home page: rows shown with ``template``, and where the work is done."""

    title: str
    rows: list
    empty: str
    template: str = "web/panel_events.html"
    link: str = ""  # the page where this work is done, shown under the panel
    link_text: str = ""


HOME_PANELS: dict[str, Callable] = {}


def register_home_panel(name: str) -> Callable[[Callable], Callable]:
    """Offers ``function(user) -> HomePanel`` to the home pages under ``name``; which roles see
    it, and in what order, is the web shell's choice (web/home.py), so a feature adds panels
    without the shell importing it. Features register theirs in ``panels.py``."""

    def add(function: Callable) -> Callable:
        if HOME_PANELS.get(name, function) is not function:
            raise ValueError(f"two home panels are called {name!r}")
        HOME_PANELS[name] = function
        return function

    return add


@dataclass
class UserPanel:
    """What a feature keeps about a member of staff, shown on the administrator's page for that
    user (administration/): a title, rows of (label, value), and where the feature's own page
    for changing them is. The feature decides whether the viewer may see it (None: not shown)."""

    title: str
    rows: list[tuple[str, str]]
    empty: str
    link: str = ""
    link_text: str = ""


USER_PANELS: list[Callable] = []


def register_user_panel(function: Callable) -> Callable:
    """Offers ``function(viewer, user) -> UserPanel | None`` to the administrator's user page,
    so a feature's staff records (an investigator's skills, say) are kept there without the
    administration pages importing the feature. Features register theirs in ``panels.py``."""
    if function not in USER_PANELS:
        USER_PANELS.append(function)
    return function


def user_panels(viewer, user) -> list[UserPanel]:
    return [p for p in (function(viewer, user) for function in USER_PANELS) if p is not None]
