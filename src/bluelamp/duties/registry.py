"""Where features declare their duties (``policies.py``) and their event handlers
(``handlers.py``). Both are read once at start-up; see DutiesConfig.ready."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .deadlines import Deadline

# The page of a duty's subject, by the subject's model ("victims.victimrecord": "victims:victim"),
# offered by the feature that owns the model (in its panels.py) so a duty links to the record it
# is about; a subject with no page offered links to core's page of that kind, if there is one.
SUBJECT_PAGES: dict[str, str] = {}


def register_subject_page(model_label: str, url_name: str) -> None:
    SUBJECT_PAGES[model_label.lower()] = url_name


@dataclass(frozen=True)
class Owner:
    """Who must act: a named person, a team (unit), or a named queue. At least one."""

    user: Any = None
    unit: Any = None
    queue: str = ""


@dataclass(frozen=True, kw_only=True)
class Policy:
    name: str  # stable identifier, e.g. "ncrs-recording-decision"
    title: str  # what the owner must do, in their words
    rule: str  # the rule it comes from, cited by name (domain.md)
    opened_by: str  # the domain event type that opens it
    owner: Callable[[Any, Any], Owner]  # (event, subject) -> Owner
    # When it falls due: from the moment it opened (``Deadline``), or, where the limit depends on
    # the record, from the moment, the event and its subject (``due(opened, event, subject)``:
    # a suspect's own bail end date, a victim's enhanced rights). Set one of the two.
    deadline: Deadline | None = None
    discharged_by: tuple[str, ...]
    cancelled_by: tuple[str, ...] = ()
    applies: Callable[[Any, Any], bool] = lambda event, subject: True
    # Whether a ``discharged_by`` event discharges this policy's duties: e.g. a contact with a
    # victim discharges only the duties it was recorded against (victims/).
    discharge_applies: Callable[[Any, Any], bool] = lambda event, subject: True
    due: Callable[[Any, Any, Any], Any] | None = None
    # Who may see this policy's duties in queues, counts and figures besides the one who holds
    # them (None: everyone the queue's scope allows). Safeguarding's duties are restricted by
    # default to the safeguarding role (issue 17), so their subjects stay invisible to others.
    readers: Callable[[Any], bool] | None = None

    def __post_init__(self):
        if (self.deadline is None) == (self.due is None):
            raise ValueError(f"policy {self.name!r} needs one of deadline and due")

    def due_at(self, opened, event, subject):
        """When a duty this policy opens at ``opened`` on ``subject`` falls due."""
        if self.due is not None:
            return self.due(opened, event, subject)
        return self.deadline(opened)


POLICIES: dict[str, Policy] = {}
HANDLERS: dict[str, list[tuple[str, Callable]]] = defaultdict(list)
REACTIONS: dict[str, list[tuple[str, Callable]]] = defaultdict(list)


def register(policy: Policy) -> Policy:
    if policy.name in POLICIES and POLICIES[policy.name] is not policy:
        raise ValueError(f"two policies are called {policy.name!r}")
    POLICIES[policy.name] = policy
    return policy


def handles(event_type: str) -> Callable[[Callable], Callable]:
    """Registers a function to run (once per event, by the worker) for each event of a type."""

    def mark(function: Callable) -> Callable:
        name = f"{function.__module__}.{function.__qualname__}"
        if name not in [n for n, _ in HANDLERS[event_type]]:
            HANDLERS[event_type].append((name, function))
        return function

    return mark


def reacts_to(event_type: str) -> Callable[[Callable], Callable]:
    """Registers a function that ``emit`` calls *inside the emitting transaction* for each event of
    a type: how one feature keeps its own records in step with another's change (e.g. victims/
    opening a victim's care record when crime/ records a crime), so that nothing owed waits on a
    worker. It receives the DomainEvent and its subject; it may emit further events. Side effects
    outside the database (email) belong in a worker handler (``handles``), not here."""

    def mark(function: Callable) -> Callable:
        name = f"{function.__module__}.{function.__qualname__}"
        if name not in [n for n, _ in REACTIONS[event_type]]:
            REACTIONS[event_type].append((name, function))
        return function

    return mark
