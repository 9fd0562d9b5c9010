"""Pages for recorded crimes: record one (from an incident or directly) with its people,
place, property and modus operandi; the crime panel on the event page (classification and its
history, reclassify, cancel, outcome, QA); and the QA queue. Thin: parse, call services, render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from bluelamp.accounts.permissions import can, get_visible
from bluelamp.core import events, persons
from bluelamp.core.choices import Ethnicity, EventKind, EventRole, Gender
from bluelamp.core.forms import apply_errors
from bluelamp.core.models import Event, Person
from bluelamp.people.entry import ChooseFirst, Entry
from bluelamp.reference import offences
from bluelamp.ui.access import personal_data
from bluelamp.ui.extensions import RecordPanel, register_event_panel

from . import classification, intake, outcomes, qa, supervision
from .forms import (
    CancelForm,
    CrimeForm,
    OutcomeForm,
    PartyFormSet,
    PriorityForm,
    ReclassifyForm,
    ReturnForm,
    VictimStatementForm,
)
from .models import Crime, QAStatus, VictimStatement
from .rules import CRIME_FLAGS

# The people a new crime starts with: the officer adds more on the page ("Add another person",
# with or without scripts).
START = ({"role": "victim"}, {"role": "suspect"})


def _details(form: CrimeForm) -> intake.CrimeDetails:
    data = form.cleaned_data
    return intake.CrimeDetails(
        summary=data["summary"],
        owning_unit=data["owning_unit"],
        offence_code=data["offence_code"],
        incident_id=data.get("incident"),
        occurred_from=data["occurred_from"],
        occurred_to=data["occurred_to"],
        modus_operandi=data["modus_operandi"],
        flags=data.get("flags") or [],
        line1=data["line1"],
        postcode=data["postcode"],
        property_description=data["property_description"],
        property_role=data["property_role"],
    )


def _parties(formset) -> list[intake.Party]:
    """The people entered, each named by its row's prefix (errors and offers come back so)."""
    parties = []
    for row in formset.forms:
        data = row.cleaned_data
        if not data or not row.has_person():
            continue  # a row left blank
        details = None
        if data.get("given_names") or data.get("family_name"):
            details = persons.NewPerson(
                given_names=data["given_names"],
                family_name=data["family_name"],
                dob_year=data["dob_year"],
                dob_month=data["dob_month"],
                dob_day=data["dob_day"],
                gender=data["gender"] or Gender.UNKNOWN,
                ethnicity=data["ethnicity"] or Ethnicity.NS,
                nationality=data["nationality"],
            )
        entry = Entry(
            field=row.prefix,
            person_id=data.get("person_id"),
            details=details,
            chosen=data.get("chosen") or "",
            postcode=data["postcode"],
            phone=data["phone"],
            email=data["email"],
        )
        parties.append(
            intake.Party(
                role=data["role"],
                entry=entry,
                phone=data["phone"],
                email=data["email"],
                line1=data["line1"],
                postcode=data["postcode"],
                preferred=data["preferred"],
            )
        )
    return parties


def _apply(error: ValidationError, form: CrimeForm, formset) -> None:
    """Errors named "<row prefix>.<field>" go to that row's field; the rest to the crime's."""
    rows = {row.prefix: row for row in formset.forms}
    for key, messages_ in error.message_dict.items():
        prefix, _, name = key.partition(".")
        if prefix in rows:
            row = rows[prefix]
            name = "person_id" if name == "id" else name
            row.add_error(name if name in row.fields else None, messages_)
        else:
            form.add_error(key if key in form.fields else None, messages_)


def _problems(form: CrimeForm, formset, offered: dict) -> list[tuple[str, str]]:
    """The error summary at the top of the page (the GOV.UK pattern): each problem, linked to
    the field it is about, and each person still to choose, linked to the records offered."""
    problems = [("#record-crime", message) for message in form.non_field_errors()]
    for bound in form:
        problems += [(f"#{bound.id_for_label}", f"{bound.label}: {m}") for m in bound.errors]
    for n, row in enumerate(formset.forms, start=1):
        problems += [(f"#{row.prefix}", f"Person {n}: {m}") for m in row.non_field_errors()]
        for bound in row:
            problems += [
                (f"#{bound.id_for_label}", f"Person {n}, {bound.label.lower()}: {m}")
                for m in bound.errors
            ]
        if row.prefix in offered:
            problems.append(
                (f"#{row.prefix}-offered", f"Person {n} may already be known: choose who they are")
            )
    problems += [("#parties", m) for m in formset.non_form_errors()]
    return problems


@personal_data("event")
@require_http_methods(["GET", "POST"])
def crime_create(request: HttpRequest) -> HttpResponse:
    """Record a crime as officers work: the crime, then every person on it on the same page,
    each found as it is typed (with scripts) or offered when the form is sent (without)."""
    initial = {"owning_unit": request.user.unit_id}
    incident_id = request.GET.get("incident", "")
    if incident_id.isdigit():
        incident = events.view_event(actor=request.user, event_id=int(incident_id))
        initial.update(
            incident=incident.pk, summary=incident.summary, owning_unit=incident.owning_unit_id
        )
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and "add_person" in data:
        total = data.get("party-TOTAL_FORMS", "0")
        data["party-TOTAL_FORMS"] = str(int(total) + 1 if total.isdigit() else 1)
    form = CrimeForm(data, initial=initial)
    formset = PartyFormSet(data, prefix="party", initial=None if data else START)
    offered: dict = {}
    adding = data is not None and "add_person" in data
    if data is not None and not adding and form.is_valid() & formset.is_valid():
        try:
            crime = intake.record_crime_with_people(
                actor=request.user, details=_details(form), parties=_parties(formset)
            )
        except ChooseFirst as ask:
            offered = ask.audited(request.user).offered
        except ValidationError as error:
            _apply(error, form, formset)
        else:
            messages.success(request, f"Crime {crime.event.reference} recorded.")
            return redirect("core:event", pk=crime.event_id)
    rows = [(row, offered.get(row.prefix)) for row in formset.forms]
    problems = [] if adding else _problems(form, formset, offered)
    context = {
        "form": form,
        "formset": formset,
        "rows": rows,
        "problems": problems,
        "offence_notes": offences.notes(),
    }
    status = 400 if problems and not offered else 200
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
