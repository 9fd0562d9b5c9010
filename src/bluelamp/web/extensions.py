"""Places where features add to pages that belong to core, without core importing them: a
feature registers a function that returns a panel (template and context) for a record page, or
nothing. Registered from the feature's AppConfig.ready()."""

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
