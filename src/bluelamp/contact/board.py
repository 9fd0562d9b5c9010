"""The control room's view (open incidents with the time left to their target, and missed
targets awaiting a supervisor's review: what the 2018 report checks) and a team's appointments
diary by day."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bluelamp.accounts.models import Unit, User
from bluelamp.accounts.permissions import can, require, visible
from bluelamp.accounts.roles import UnitKind
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core.choices import EventKind, EventStatus
from bluelamp.core.forms import apply_errors
from bluelamp.core.models import Event
from bluelamp.duties.models import Duty, Outcome
from bluelamp.ui.access import no_personal_data, personal_data

from . import diary, services
from .forms import SlotForm
from .models import Appointment, Assessment, Grade, LogEntry, Step

BOARD_SIZE = 200


def open_incidents(actor: User) -> list[Event]:
    """Open incidents the actor may see, each with its grade, target and minutes left; the most
    urgent (least time left, not yet attended) first."""
    latest = Assessment.objects.filter(incident=OuterRef("pk")).order_by("-assessed_at", "-id")
    appointment = Appointment.objects.filter(incident=OuterRef("pk")).order_by("-booked_at", "-id")
    rows = list(
        visible(Event.objects.filter(kind=EventKind.INCIDENT, status=EventStatus.OPEN), actor)
        .select_related("location", "owning_unit")
        .annotate(
            grade=Subquery(latest.values("grade")[:1]),
            graded_target=Subquery(latest.values("target_at")[:1]),
            missed_at=Subquery(latest.values("target_missed_at")[:1]),
            appointment_end=Subquery(appointment.values("slot__ends_at")[:1]),
            arrived=Exists(LogEntry.objects.filter(incident=OuterRef("pk"), step=Step.ARRIVED)),
        )
        .order_by("-reported_at")[:BOARD_SIZE]
    )
    now = timezone.now()
    labels = dict(Grade.choices)
    for row in rows:
        scheduled = row.grade == Grade.SCHEDULED and row.appointment_end
        row.target = row.appointment_end if scheduled else row.graded_target
        row.grade_label = labels.get(row.grade, "Not graded")
        row.minutes_left = (
            int((row.target - now).total_seconds() // 60)
            if row.target and not row.arrived
            else None
        )
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    rows.sort(key=lambda r: (r.arrived, r.grade is not None, r.target or far))
    return rows


def awaiting_review(actor: User):
    incidents = visible(Event.objects.filter(kind=EventKind.INCIDENT), actor).values("pk")
    return Duty.objects.filter(
        policy=services.REVIEW_POLICY,
        outcome=Outcome.OPEN,
        subject_type=ContentType.objects.get_for_model(Event),
        subject_id__in=incidents,
    ).order_by("due_at")


@personal_data("incident")
def control_room(request: HttpRequest) -> HttpResponse:
    require(request.user, "control_room.view")
    rows = open_incidents(request.user)
    reviews = list(awaiting_review(request.user)[:100])
    audit.record(
        actor=request.user,
        action=Action.VIEW,
        record_type="event",
        label="control room: open incidents",
        detail={"incidents": len(rows), "reviews": len(reviews)},
    )
    return render(request, "contact/control_room.html", {"rows": rows, "reviews": reviews})


def _day(text: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if text else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def _diary(request, form=None, status=200) -> HttpResponse:
    require(request.user, "control_room.view")
    teams = Unit.objects.filter(kind=UnitKind.TEAM).order_by("name")
    team = teams.filter(pk=request.GET.get("team") or request.user.unit_id).first()
    team = team or teams.first()
    day = _day(request.GET.get("day"))
    slots = list(diary.slots_for(team=team, day=day)) if team else []
    audit.record(
        actor=request.user,
        action=Action.VIEW,
        record_type="event",
        label=f"appointments diary {team} {day}",
        detail={"slots": len(slots)},
    )
    if form is None and can(request.user, "appointment.slots"):
        form = SlotForm(initial={"team": team})
    context = {
        "teams": teams,
        "team": team,
        "day": day,
        "previous": day - dt.timedelta(days=1),
        "next": day + dt.timedelta(days=1),
        "slots": slots,
        "form": form,
    }
    return render(request, "contact/diary.html", context, status=status)


@personal_data("incident")
def team_diary(request: HttpRequest) -> HttpResponse:
    return _diary(request)


@no_personal_data("a diary slot is a team, a time and a capacity")
@require_POST
def add_slot(request: HttpRequest) -> HttpResponse:
    form = SlotForm(request.POST)
    if form.is_valid():
        try:
            slot = diary.create_slot(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Slot added.")
            day = timezone.localdate(slot.starts_at)
            return redirect(f"{request.path.rsplit('slots/', 1)[0]}?team={slot.team_id}&day={day}")
    return _diary(request, form=form, status=400)
