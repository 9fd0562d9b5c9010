"""Contact's panels on pages contact/ does not own: on an incident's page, flags with their
reasons, the calls, THRIVE and the grade with its target, the incident log as a timeline, and
the actions the user may take; on the home pages, missed targets awaiting review."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import can, visible, write_scope
from bluelamp.core.choices import EventKind, EventStatus
from bluelamp.core.models import Event, Person
from bluelamp.duties.services import duties_for
from bluelamp.ui.extensions import HomePanel, RecordPanel, register_event_panel, register_home_panel
from bluelamp.ui.navigation import register_nav_link

from . import diary, services
from .board import awaiting_review
from .flags import flags_for
from .forms import (
    AppointmentForm,
    ArrivalForm,
    CloseForm,
    GradeForm,
    ResourceForm,
    VulnerabilityForm,
)
from .models import Grade, VulnerabilityKind
from .rules import describe_target

register_nav_link("Take a call", "contact:take-call", permission="call.record", order=10)
register_nav_link("Control room", "contact:control-room", permission="control_room.view", order=20)


def minutes_left(target) -> int | None:
    if target is None:
        return None
    return int((target - timezone.now()).total_seconds() // 60)


@register_event_panel
def contact_panel(request, event: Event) -> RecordPanel | None:
    # Each form has its own id prefix: several share field names (note, officer) on one page.
    if event.kind != EventKind.INCIDENT:
        return None
    user = request.user
    is_open = event.status == EventStatus.OPEN
    assessment = services.current_assessment(event)
    target = services.current_target(event)
    awaiting_review = duties_for(event).filter(policy=services.REVIEW_POLICY, outcome="open")
    # Restricted people the user holds no grant for are not named, offered or linked here.
    seen = visible(Person.objects.all(), user)
    people_here = seen.filter(event_links__event=event).distinct()
    calls = list(event.calls.select_related("caller").prefetch_related("caller__names")[:5])
    shown = set(
        seen.filter(pk__in=[c.caller_id for c in calls if c.caller_id]).values_list("pk", flat=True)
    )
    for call in calls:
        call.shown_caller = call.caller if call.caller_id in shown else None
    scheduled = assessment is not None and assessment.grade == Grade.SCHEDULED
    booked = event.appointments.select_related("slot__team").last()
    can_book = (
        is_open
        and scheduled
        and can(user, "appointment.book")
        and not (booked and booked.booked_at >= assessment.assessed_at)
    )
    return RecordPanel(
        "contact/incident_panel.html",
        {
            "event": event,
            "is_open": is_open,
            "flags": flags_for(actor=user, incident=event),
            "calls": calls,
            "assessment": assessment,
            "assessments": event.assessments.select_related("assessed_by"),
            "target": target,
            "target_rule": describe_target(assessment.grade, assessment.area) if assessment else "",
            "minutes_left": minutes_left(target)
            if is_open and not services.has_arrived(event)
            else None,
            "log": event.log_entries.select_related("by", "officer", "unit"),
            "vulnerabilities": event.vulnerabilities.prefetch_related(
                Prefetch("people", queryset=seen.prefetch_related("names"))
            ),
            "appointment": booked,
            "grade_form": GradeForm(auto_id="grade_%s")
            if is_open and can(user, "call.grade")
            else None,
            "review_form": GradeForm(initial={"review": True}, auto_id="review_%s")
            if awaiting_review.exists() and can(user, "incident.review_target")
            else None,
            "resource_form": ResourceForm(auto_id="resource_%s")
            if is_open and can(user, "incident.dispatch")
            else None,
            "arrival_form": ArrivalForm(auto_id="arrival_%s")
            if is_open and can(user, "incident.attend")
            else None,
            "close_form": CloseForm(auto_id="close_%s")
            if is_open and can(user, "incident.close")
            else None,
            "appointment_form": AppointmentForm(
                slots=diary.open_slots(incident=event), auto_id="book_%s"
            )
            if can_book
            else None,
            "vulnerability_form": VulnerabilityForm(people=people_here, auto_id="vulnerability_%s")
            if people_here.exists() and can(user, "vulnerability.record")
            else None,
        },
    )


@register_home_panel("missed-targets")
def missed_targets(user: User) -> HomePanel:
    """Missed response targets awaiting a control-room supervisor's review (domain.md 2.2; the
    2018 report checks every one is reviewed)."""
    return HomePanel(
        "Missed response targets awaiting review",
        list(awaiting_review(user)[:20]),
        "No missed target is waiting for review.",
        "web/panel_duties.html",
        link="/control-room/",
        link_text="Open the control room",
    )


@register_home_panel("vulnerable-incidents")
def vulnerable_incidents(user: User) -> HomePanel:
    """For MASH and safeguarding staff, until safeguarding has referrals of its own: the open
    incidents in their area where a vulnerability was identified, newest first, with its kinds."""
    area = write_scope(user)
    incidents = list(
        visible(Event.objects.all(), user)
        .filter(
            kind=EventKind.INCIDENT,
            status=EventStatus.OPEN,
            owning_unit__path__startswith=area.path,
            vulnerabilities__isnull=False,
        )
        .distinct()
        .select_related("location")
        .prefetch_related("vulnerabilities")
        .order_by("-reported_at")[:20]
    )
    labels = dict(VulnerabilityKind.choices)
    for incident in incidents:
        kinds = {kind for v in incident.vulnerabilities.all() for kind in v.kinds}
        incident.vulnerability_kinds = sorted(labels.get(kind, kind) for kind in kinds)
    return HomePanel(
        f"Open incidents with a vulnerability identified in {area}",
        incidents,
        "No open incident has a vulnerability recorded.",
        "contact/panel_vulnerable.html",
    )
