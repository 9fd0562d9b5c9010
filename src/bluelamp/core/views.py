"""Record pages for people, events, locations, objects and organisations. Thin: parse, call a
service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import can, get_visible
from bluelamp.ui.access import personal_data
from bluelamp.ui.extensions import event_panels

from . import events, links, persons, places, restriction
from .forms import (
    EventForm,
    IdentifierForm,
    LinkPersonForm,
    NameForm,
    PersonForm,
    RestrictForm,
    WarningForm,
    apply_errors,
)
from .history import history_of
from .models import Event, Location, Organisation, Person, PoleObject


def _bad(form) -> int:
    return 400 if form.errors else 200


@personal_data("person")
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = persons.view_person(actor=request.user, person_id=pk)
    return render(
        request,
        "core/person_detail.html",
        {
            "person": person,
            "links": persons.person_links(actor=request.user, person=person),
            "history": history_of(person, actor=request.user)[:50],
            "name_form": NameForm(),
            "identifier_form": IdentifierForm(),
            "warning_form": WarningForm(),
            "restrict_form": RestrictForm(),
            "can_change": can(request.user, "person.change"),
            "can_restrict": can(request.user, "record.restrict"),
            "can_merge": can(request.user, "people.merge"),
        },
    )


@personal_data("person")
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = persons.create_person(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Recorded {person.display_name}.")
            return redirect("core:person", pk=person.pk)
    return render(request, "core/person_form.html", {"form": form}, status=_bad(form))


def _person_addition(request, pk, form_class, service, noun):
    person = get_visible(Person.objects, request.user, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Added the {noun}.")
            return redirect("core:person", pk=person.pk)
    return render(
        request,
        "core/person_addition.html",
        {"form": form, "person": person, "noun": noun},
        status=400,
    )


@personal_data("person")
@require_POST
def person_add_name(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_addition(request, pk, NameForm, persons.add_name, "name")


@personal_data("person")
@require_POST
def person_add_identifier(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_addition(request, pk, IdentifierForm, persons.add_identifier, "identifier")


@personal_data("person")
@require_POST
def person_add_warning(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_addition(request, pk, WarningForm, persons.add_warning_marker, "warning marker")


@personal_data("event")
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = events.view_event(actor=request.user, event_id=pk)
    return render(
        request,
        "core/event_detail.html",
        {
            "event": event,
            "people": events.event_people(actor=request.user, event=event),
            "objects": event.object_links.select_related("object"),
            "history": history_of(event, actor=request.user)[:50],
            "link_form": LinkPersonForm(),
            "restrict_form": RestrictForm(),
            "can_link": can(request.user, "link.create"),
            "can_restrict": can(request.user, "record.restrict"),
            "feature_panels": event_panels(request, event),
        },
    )


@personal_data("event")
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        place = {k: data[k] for k in ("line1", "town", "postcode", "description") if data[k]}
        try:
            location = places.create_location(actor=request.user, **place) if place else None
            event = events.record_other_event(
                actor=request.user,
                kind=data["kind"],
                summary=data["summary"],
                occurred_from=data["occurred_from"],
                location=location,
                owning_unit=request.user.unit,
                reported_at=timezone.now(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Recorded {event.reference}.")
            return redirect("core:event", pk=event.pk)
    return render(request, "core/event_form.html", {"form": form}, status=_bad(form))


@personal_data("event")
@require_POST
def event_link_person(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_visible(Event.objects, request.user, pk)
    form = LinkPersonForm(request.POST)
    if form.is_valid():
        try:
            person = get_visible(Person.objects, request.user, form.cleaned_data["person"])
            links.link_person_to_event(
                actor=request.user, person=person, event=event, role=form.cleaned_data["role"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Linked {person.display_name}.")
            return redirect("core:event", pk=event.pk)
    return render(
        request,
        "core/person_addition.html",
        {"form": form, "event": event, "noun": "link"},
        status=400,
    )


def _restrict(request: HttpRequest, model, pk: int, route: str) -> HttpResponse:
    record = get_visible(model.objects, request.user, pk)
    form = RestrictForm(request.POST)
    if form.is_valid():
        names = [n.strip() for n in form.cleaned_data["grant_to"].split(",") if n.strip()]
        users = list(User.objects.filter(username__in=names, is_active=True))
        missing = set(names) - {u.username for u in users}
        try:
            if missing:
                raise ValidationError({"grant_to": f"No such user: {', '.join(sorted(missing))}."})
            restriction.restrict_record(
                actor=request.user,
                record=record,
                reason=form.cleaned_data["reason"],
                grant_to=users,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Restricted. Only people with access can now find it.")
            return redirect(route, pk=pk)
    return render(
        request, "core/person_addition.html", {"form": form, "noun": "restriction"}, status=400
    )


@personal_data("person")
@require_POST
def person_restrict(request: HttpRequest, pk: int) -> HttpResponse:
    return _restrict(request, Person, pk, "core:person")


@personal_data("event")
@require_POST
def event_restrict(request: HttpRequest, pk: int) -> HttpResponse:
    return _restrict(request, Event, pk, "core:event")


@personal_data("location")
def location_detail(request: HttpRequest, pk: int) -> HttpResponse:
    location = restriction.view_record(
        actor=request.user, pk=pk, queryset=Location.objects.select_related("district", "beat")
    )
    return render(
        request,
        "core/location_detail.html",
        {
            "location": location,
            "people": location.person_links.filter(
                person__in=persons.visible_people(request.user)
            ).prefetch_related("person__names"),
            "events": events.visible_events(request.user).filter(location=location)[:50],
            "history": history_of(location, actor=request.user)[:50],
        },
    )


@personal_data("object")
def object_detail(request: HttpRequest, pk: int) -> HttpResponse:
    obj = restriction.view_record(actor=request.user, queryset=PoleObject.objects, pk=pk)
    return render(
        request,
        "core/object_detail.html",
        {
            "object": obj,
            "links": obj.event_links.filter(
                event__in=events.visible_events(request.user)
            ).select_related("event"),
            "history": history_of(obj, actor=request.user)[:50],
        },
    )


@personal_data("organisation")
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = restriction.view_record(
        actor=request.user, pk=pk, queryset=Organisation.objects.select_related("location")
    )
    return render(
        request,
        "core/organisation_detail.html",
        {"organisation": org, "history": history_of(org, actor=request.user)[:50]},
    )


app_name = "core"
urlpatterns = [
    path("people/new/", person_create, name="person-create"),
    path("people/<int:pk>/", person_detail, name="person"),
    path("people/<int:pk>/names/", person_add_name, name="person-add-name"),
    path("people/<int:pk>/identifiers/", person_add_identifier, name="person-add-identifier"),
    path("people/<int:pk>/warnings/", person_add_warning, name="person-add-warning"),
    path("people/<int:pk>/restrict/", person_restrict, name="person-restrict"),
    path("events/new/", event_create, name="event-create"),
    path("events/<int:pk>/", event_detail, name="event"),
    path("events/<int:pk>/people/", event_link_person, name="event-link-person"),
    path("events/<int:pk>/restrict/", event_restrict, name="event-restrict"),
    path("locations/<int:pk>/", location_detail, name="location"),
    path("objects/<int:pk>/", object_detail, name="object"),
    path("organisations/<int:pk>/", organisation_detail, name="organisation"),
]
