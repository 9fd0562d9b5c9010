"""Pages: take a call (the caller matched to known people first), and the incident's contact
panel (flags, THRIVE and grade, the log and its actions). A form with a mistake comes back on
its own page with the field named and everything typed kept. Thin: parse, call, render."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods, require_POST

from bluelamp.accounts.permissions import get_visible, require
from bluelamp.core import persons
from bluelamp.core.choices import EventKind
from bluelamp.core.forms import apply_errors
from bluelamp.core.models import Event, Person
from bluelamp.people.entry import ChooseFirst, Entry
from bluelamp.ui.access import personal_data

from . import board, diary, intake, services
from .forms import (
    AppointmentForm,
    ArrivalForm,
    CallForm,
    CloseForm,
    GradeForm,
    ResourceForm,
    VulnerabilityForm,
)
from .panels import contact_panel  # noqa: F401 - registers the incident panel


def _dob_parts(text: str) -> dict:
    """'24/06/1971', '1971-06-24', '06/1971' or '1971' -> dob_year, dob_month, dob_day."""
    parts = [int(p) for p in re.split(r"[/.-]", text.strip()) if p.isdigit()] if text else []
    if not parts:
        if text.strip():
            raise ValidationError({"caller_dob": "Give the date as 24/06/1971, or just 1971."})
        return {}
    if len(str(parts[0])) != 4:
        parts.reverse()  # day first, as said aloud
    keys = ("dob_year", "dob_month", "dob_day")
    return dict(zip(keys, parts, strict=False))


def _caller(data: dict, chosen: str) -> Entry | None:
    """The caller as the form gives them, for match-on-entry (None: no name given)."""
    if not (data.get("caller_given_names") or data.get("caller_family_name")):
        return None
    return Entry(
        field="caller",
        details=persons.NewPerson(
            given_names=data["caller_given_names"],
            family_name=data["caller_family_name"],
            **_dob_parts(data["caller_dob"]),
        ),
        chosen=chosen,
        phone=data["caller_phone"],
    )


def _caller_errors(error: ValidationError) -> ValidationError:
    """``caller.family_name`` (people.entry's naming) as the form's ``caller_family_name``; any
    part of the date of birth as ``caller_dob``."""
    if not hasattr(error, "error_dict"):
        return error
    named = {}
    for key, messages_ in error.message_dict.items():
        if key.startswith("caller."):
            part = key.removeprefix("caller.")
            key = "caller_dob" if part.startswith("dob") else f"caller_{part}"
        named.setdefault(key, []).extend(messages_)
    return ValidationError(named)


@personal_data("person")
@require_http_methods(["GET", "POST"])
def take_call(request: HttpRequest) -> HttpResponse:
    require(request.user, "call.record")
    form = CallForm(request.POST or None)
    offered = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        details = intake.CallDetails(
            channel=data["channel"],
            account=data["account"],
            owning_unit=data["owning_unit"] or request.user.unit,
            may_be_crime=data["may_be_crime"],
            caller_phone=data["caller_phone"],
            line1=data["line1"],
            postcode=data["postcode"],
            place=data["place"],
        )
        try:
            caller = _caller(data, request.POST.get("chosen", ""))
            call = intake.take_call(actor=request.user, details=details, caller=caller)
        except ChooseFirst as ask:
            offered = ask.audited(request.user).offered["caller"]
        except ValidationError as error:
            apply_errors(form, _caller_errors(error))
        else:
            messages.success(request, f"Call recorded: incident {call.incident.reference}.")
            return redirect("core:event", pk=call.incident_id)
    return render(
        request,
        "contact/call_form.html",
        {"form": form, "offered": offered},
        status=400 if form.errors else 200,
    )


def _incident(request, pk: int) -> Event:
    return get_visible(Event.objects.filter(kind=EventKind.INCIDENT), request.user, pk)


def _again(request, incident, form, title: str, url: str) -> HttpResponse:
    """The form with its errors on a page of its own, keeping what was typed."""
    return render(
        request,
        "contact/action_form.html",
        {"incident": incident, "form": form, "title": title, "action": url},
        status=400,
    )


def _act(
    request, pk: int, form, title: str, url_name: str, act, done: str, permission: str
) -> HttpResponse:
    # Refused before the form is read: a role that may not act gets 403, not a form error.
    require(request.user, permission)
    incident = _incident(request, pk)
    if form.is_valid():
        try:
            act(incident, form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("core:event", pk=incident.pk)
    return _again(request, incident, form, title, reverse(f"contact:{url_name}", args=[pk]))


@personal_data("incident")
@require_POST
def grade(request: HttpRequest, pk: int) -> HttpResponse:
    def act(incident, data):
        review = data.pop("review")
        service = services.review_missed_target if review else services.grade_call
        service(actor=request.user, incident=incident, **data)

    form = GradeForm(request.POST)
    review = request.POST.get("review") in ("True", "true", "on", "1")
    permission = "incident.review_target" if review else "call.grade"
    return _act(request, pk, form, "THRIVE and grade", "grade", act, "Grade recorded.", permission)


@personal_data("incident")
@require_POST
def allocate_resource(request: HttpRequest, pk: int) -> HttpResponse:
    def act(incident, data):
        services.allocate_resource(actor=request.user, incident=incident, **data)

    form = ResourceForm(request.POST)
    return _act(
        request,
        pk,
        form,
        "Send a resource",
        "allocate-resource",
        act,
        "Resource sent.",
        "incident.dispatch",
    )


@personal_data("incident")
@require_POST
def arrived(request: HttpRequest, pk: int) -> HttpResponse:
    def act(incident, data):
        services.record_arrival(actor=request.user, incident=incident, **data)

    form = ArrivalForm(request.POST)
    return _act(
        request, pk, form, "Arrived at scene", "arrived", act, "Arrival logged.", "incident.attend"
    )


@personal_data("incident")
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    def act(incident, data):
        services.close_incident(actor=request.user, incident=incident, **data)

    form = CloseForm(request.POST)
    return _act(
        request, pk, form, "Close the incident", "close", act, "Incident closed.", "incident.close"
    )


@personal_data("incident")
@require_POST
def book(request: HttpRequest, pk: int) -> HttpResponse:
    def act(incident, data):
        diary.book_appointment(actor=request.user, incident=incident, **data)

    incident = _incident(request, pk)
    form = AppointmentForm(request.POST, slots=diary.open_slots(incident=incident))
    return _act(
        request,
        pk,
        form,
        "Book an appointment",
        "book",
        act,
        "Appointment booked.",
        "appointment.book",
    )


@personal_data("incident")
@require_POST
def vulnerability(request: HttpRequest, pk: int) -> HttpResponse:
    def act(incident, data):
        services.record_vulnerability(
            actor=request.user,
            incident=incident,
            kinds=data["kinds"],
            people=list(data["people"]),
            note=data["note"],
        )

    # The panel offers the people linked to the incident; anyone the user may see is accepted
    # (the service checks each person's visibility).
    form = VulnerabilityForm(request.POST, people=Person.objects.all())
    return _act(
        request,
        pk,
        form,
        "Vulnerability",
        "vulnerability",
        act,
        "Vulnerability recorded.",
        "vulnerability.record",
    )


urlpatterns = [
    path("calls/new/", take_call, name="take-call"),
    path("incidents/<int:pk>/grade/", grade, name="grade"),
    path("incidents/<int:pk>/resource/", allocate_resource, name="allocate-resource"),
    path("incidents/<int:pk>/appointment/", book, name="book"),
    path("incidents/<int:pk>/vulnerability/", vulnerability, name="vulnerability"),
    path("incidents/<int:pk>/arrived/", arrived, name="arrived"),
    path("incidents/<int:pk>/close/", close, name="close"),
    path("control-room/", board.control_room, name="control-room"),
    path("diary/", board.team_diary, name="diary"),
    path("diary/slots/", board.add_slot, name="add-slot"),
]
