"""Pages for recorded crimes: record one (from an incident or directly) with its people,
place, property and modus operandi; the crime panel on the event page (classification and its
history, reclassify, cancel, outcome, QA); and the QA queue. Thin: parse, call services, render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from bluelamp.accounts.permissions import can, get_visible
from bluelamp.core import events, places
from bluelamp.core.choices import EventKind, EventRole, ObjectKind
from bluelamp.core.forms import apply_errors
from bluelamp.core.models import Event, Person
from bluelamp.people.entry import resolve_person
from bluelamp.reference import offences
from bluelamp.ui.access import personal_data
from bluelamp.ui.extensions import RecordPanel, register_event_panel

from . import classification, outcomes, qa, recording, supervision
from .forms import (
    CancelForm,
    CrimeForm,
    OutcomeForm,
    PriorityForm,
    ReclassifyForm,
    ReturnForm,
    VictimStatementForm,
)
from .models import Crime, QAStatus, VictimStatement
from .rules import CRIME_FLAGS


def _prefixed(error: ValidationError, prefix: str) -> ValidationError:
    names = {"given_names": "given", "family_name": "family", "dob_year": "dob"}
    return ValidationError(
        {f"{prefix}_{names.get(f, 'family')}": m for f, m in error.message_dict.items()}
    )


PARTIES = (("victim", "victims"), ("suspect", "suspects"), ("witness", "witnesses"))


class ChooseExisting(Exception):  # noqa: N818 - a request to the officer, not an error
    """Likely existing records for a new person typed on the form: the officer must choose
    (issue 4 match-on-entry) before anything is saved; the transaction rolls back."""

    def __init__(self, role: str, offered: list):
        super().__init__(role)
        self.role, self.offered = role, offered


def _people(actor, data: dict, role: str, chosen: str = "") -> list[Person]:
    people = []
    for pk in data[f"{role}_ids"]:
        try:
            people.append(get_visible(Person.objects.all(), actor, pk))
        except Http404:
            raise ValidationError({f"{role}_ids": f"There is no person {pk}."}) from None
    given, family = data[f"new_{role}_given"], data[f"new_{role}_family"]
    dob = data[f"new_{role}_dob"]
    if given or family or dob:
        details = {
            "given_names": given,
            "family_name": family,
            "dob_year": dob.year if dob else None,
            "dob_month": dob.month if dob else None,
            "dob_day": dob.day if dob else None,
        }
        try:
            # Match-on-entry (issue 4): likely existing records are offered before a new person
            # is made, and the officer's choice is kept (people.EntryChoice).
            outcome = resolve_person(
                actor=actor, context=f"crime {role}", details=details, chosen=chosen
            )
        except ValidationError as error:
            raise _prefixed(error, f"new_{role}") from None
        if outcome.person is None:
            raise ChooseExisting(role, outcome.offered)
        people.append(outcome.person)
    return people


@transaction.atomic
def _record(actor, data: dict, chosen: dict | None = None) -> Crime:
    """All or nothing: people, place and property made here vanish if the crime is refused."""
    incident = None
    if data.get("incident"):
        incident = get_visible(Event.objects.all(), actor, data["incident"])
    location = None
    if data["line1"] or data["postcode"]:
        location = places.create_location(
            actor=actor, line1=data["line1"], postcode=data["postcode"]
        )
    chosen = chosen or {}
    parties = {
        plural: _people(actor, data, role, chosen.get(role, ""))
        for role, plural in (
            ("victim", "victims"),
            ("suspect", "suspects"),
            ("witness", "witnesses"),
        )
    }
    objects = []
    if data["property_description"]:
        obj = places.create_object(
            actor=actor, kind=ObjectKind.PROPERTY, description=data["property_description"]
        )
        objects.append((obj, data["property_role"]))
    return recording.record_crime(
        actor=actor,
        summary=data["summary"],
        owning_unit=data["owning_unit"],
        offence_code=data["offence_code"],
        incident=incident,
        occurred_from=data["occurred_from"],
        occurred_to=data["occurred_to"],
        location=location or (incident.location if incident else None),
        modus_operandi=data["modus_operandi"],
        objects=objects,
        flags=data.get("flags") or [],
        **parties,
    )


@personal_data("event")
@require_http_methods(["GET", "POST"])
def crime_create(request: HttpRequest) -> HttpResponse:
    initial = {"owning_unit": request.user.unit_id}
    incident_id = request.GET.get("incident", "")
    if incident_id.isdigit():
        incident = events.view_event(actor=request.user, event_id=int(incident_id))
        initial.update(
            incident=incident.pk, summary=incident.summary, owning_unit=incident.owning_unit_id
        )
    form = CrimeForm(request.POST or None, initial=initial)
    chosen = {
        role: request.POST.get(f"new_{role}_chosen", "")[:20]
        for role in ("victim", "suspect", "witness")
    }
    choose = None
    if request.method == "POST" and form.is_valid():
        try:
            crime = _record(request.user, form.cleaned_data, chosen)
        except ChooseExisting as ask:
            choose = ask
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Crime {crime.event.reference} recorded.")
            return redirect("core:event", pk=crime.event_id)
    context = {"form": form, "choose": choose, "chosen": chosen}
    status = 400 if form.errors else 200
    return render(request, "crime/crime_form.html", context, status=status)


def _done(request, pk: int, form, error: ValidationError | None, done: str) -> HttpResponse:
    if error is not None:
        apply_errors(form, error)
    if form.errors:
        for field, errors in form.errors.items():
            for message in errors:
                label = field.replace("_", " ").capitalize()
                messages.error(request, message if field == "__all__" else f"{label}: {message}")
    else:
        messages.success(request, done)
    return redirect("core:event", pk=pk)


def _act(request, pk: int, form, done: str, call) -> HttpResponse:
    event = get_visible(Event.objects.all(), request.user, pk)
    error = None
    if form.is_valid():
        try:
            call(event, form.cleaned_data)
        except ValidationError as caught:
            error = caught
    return _done(request, pk, form, error, done)


@personal_data("crime")
@require_POST
def reclassify(request, pk: int):
    def call(event, data):
        classification.reclassify(actor=request.user, crime=event, **data)

    return _act(request, pk, ReclassifyForm(request.POST), "Reclassified.", call)


@personal_data("crime")
@require_POST
def qa_priority(request, pk: int):
    def call(event, data):
        qa.request_priority(actor=request.user, crime=event, reason=data["reason"])

    return _act(request, pk, PriorityForm(request.POST), "Priority checking asked for.", call)


@personal_data("crime")
@require_POST
def qa_return(request, pk: int):
    form = ReturnForm(request.POST)

    def call(event, data):
        qa.return_for_correction(actor=request.user, crime=event, problems=form.problems())

    return _act(request, pk, form, "Returned to the officer for correction.", call)


@personal_data("crime")
@require_POST
def qa_resubmit(request, pk: int):
    def call(event, data):
        qa.resubmit(actor=request.user, crime=event)

    return _act(request, pk, forms.Form(request.POST), "Resubmitted to QA.", call)


@personal_data("crime")
@require_POST
def qa_accept(request, pk: int):
    def call(event, data):
        qa.accept(actor=request.user, crime=event)

    return _act(request, pk, forms.Form(request.POST), "Crime record accepted.", call)


@personal_data("crime")
@require_POST
def outcome(request, pk: int):
    event = get_visible(Event.objects.all(), request.user, pk)
    form = OutcomeForm(request.POST, suspects=_suspects(request.user, event))

    def call(event, data):
        suspect_id = data.pop("suspect", None)
        suspect = (
            get_visible(Person.objects.all(), request.user, suspect_id) if suspect_id else None
        )
        outcomes.record_outcome(actor=request.user, crime=event, suspect=suspect, **data)

    return _act(request, pk, form, "Outcome recorded; the crime is closed.", call)


@personal_data("crime")
@require_POST
def victim_statement(request, pk: int):
    event = get_visible(Event.objects.all(), request.user, pk)
    form = VictimStatementForm(request.POST, victims=_victims(request.user, event))

    def call(event, data):
        person = get_visible(Person.objects.all(), request.user, data["person"])
        supervision.record_victim_statement(
            actor=request.user, crime=event, person=person, taken_at=data["taken_at"]
        )

    return _act(request, pk, form, "Statement recorded: offer the victim a VPS.", call)


@personal_data("crime_to_cancel")
@require_POST
def cancel(request, pk: int):
    def call(event, data):
        classification.cancel(actor=request.user, crime=event, **data)

    return _act(request, pk, CancelForm(request.POST), "Crime cancelled.", call)


@personal_data("event")
@require_http_methods(["GET"])
def qa_queue(request: HttpRequest) -> HttpResponse:
    entries, backlog = qa.queue(actor=request.user)
    return render(request, "crime/qa_queue.html", {"entries": entries, "backlog": backlog})


def _suspects(actor, event: Event) -> list[Person]:
    return [
        link.person
        for link in events.event_people(actor=actor, event=event)
        if link.role == EventRole.SUSPECT
    ]


def _victims(actor, event: Event) -> list[Person]:
    return [
        link.person
        for link in events.event_people(actor=actor, event=event)
        if link.role == EventRole.VICTIM
    ]


@register_event_panel
def crime_record_panel(request, event: Event) -> RecordPanel | None:
    user = request.user
    if event.kind == EventKind.INCIDENT:
        return RecordPanel("crime/incident_crime_panel.html", {"event": event})
    crime = (
        Crime.objects.filter(event=event)
        .select_related("qa_check", "cancellation", "outcome", "outcome__suspect")
        .first()
    )
    if crime is None:
        return None
    check = getattr(crime, "qa_check", None)
    closed = hasattr(crime, "cancellation") or hasattr(crime, "outcome")
    victims = _victims(user, event)
    waiting = check is not None and check.status == QAStatus.WAITING
    returned = check is not None and check.status == QAStatus.RETURNED
    return RecordPanel(
        "crime/crime_panel.html",
        {
            "event": event,
            "crime": crime,
            "offence": offences.lookup(crime.offence_code),
            "history": crime.classifications.select_related("classified_by"),
            "flag_labels": [CRIME_FLAGS.get(f, f) for f in crime.flags or []],
            # Only victims this user may see (restricted people are invisible, not hidden).
            "statements": VictimStatement.objects.filter(
                crime=event, person__in=[p.pk for p in victims]
            ).select_related("person"),
            "statement_form": VictimStatementForm(victims=victims)
            if can(user, "crime.update") and not closed
            else None,
            "check": check,
            "problems": check.problems.all() if check else [],
            "reclassify_form": ReclassifyForm()
            if can(user, "crime.reclassify") and not closed
            else None,
            "cancel_form": CancelForm()
            if can(user, "crime.cancel") and classification.live_authority(user) and not closed
            else None,
            "outcome_form": OutcomeForm(suspects=_suspects(user, event))
            if can(user, "crime.outcome") and not closed
            else None,
            "can_check": can(user, "crime.qa_check") and waiting and not closed,
            "return_form": ReturnForm() if can(user, "crime.qa_check") and waiting else None,
            "priority_form": PriorityForm()
            if can(user, "crime.qa_resubmit") and waiting and not check.priority
            else None,
            "can_resubmit": can(user, "crime.qa_resubmit") and returned,
        },
    )


urlpatterns = [
    path("crimes/new/", crime_create, name="crime-create"),
    path("crimes/qa/", qa_queue, name="qa-queue"),
    path("crimes/<int:pk>/reclassify/", reclassify, name="reclassify"),
    path("crimes/<int:pk>/qa/priority/", qa_priority, name="qa-priority"),
    path("crimes/<int:pk>/qa/return/", qa_return, name="qa-return"),
    path("crimes/<int:pk>/qa/resubmit/", qa_resubmit, name="qa-resubmit"),
    path("crimes/<int:pk>/qa/accept/", qa_accept, name="qa-accept"),
    path("crimes/<int:pk>/outcome/", outcome, name="outcome"),
    path("crimes/<int:pk>/victim-statement/", victim_statement, name="victim-statement"),
    path("crimes/<int:pk>/cancel/", cancel, name="cancel"),
]
