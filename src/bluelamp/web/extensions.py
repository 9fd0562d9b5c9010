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


def register_event_panel(function: Callable) -> Callable:
    if function not in EVENT_PANELS:
        EVENT_PANELS.append(function)
    return function


def event_panels(request, event) -> list[str]:
    """The HTML of every feature's panel for this event page."""
    rendered = []
    for function in EVENT_PANELS:
        panel = function(request, event)
        if panel is not None:
            rendered.append(render_to_string(panel.template, panel.context, request=request))
    return rendered
