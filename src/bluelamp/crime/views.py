"""Pages: report an incident, make the crime-recording decision, allocate work and review it.
The decision, allocation and review forms appear on the event's own page (a panel registered
with ui.extensions). Thin: parse, call a service, redirect."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from bluelamp.accounts.models import Unit
from bluelamp.accounts.permissions import can, get_visible
from bluelamp.accounts.roles import Role
from bluelamp.core.choices import EventKind
from bluelamp.core.forms import apply_errors
from bluelamp.core.models import Event
from bluelamp.reference import offences
from bluelamp.ui.access import personal_data
from bluelamp.ui.extensions import RecordPanel, register_event_panel

from . import incidents, recording, supervision
from .crime_views import urlpatterns as crime_urls
from .forms import flags_field
from .models import Decision, RecordingDecision


class IncidentForm(forms.Form):
    summary = forms.CharField(max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
    owning_unit = forms.ModelChoiceField(queryset=Unit.objects.all(), label="Team")
    may_be_crime = forms.BooleanField(
        required=False,
        label="This may be a crime",
        help_text="Opens the 24-hour crime-recording decision (NCRS).",
    )
    may_be_rape = forms.BooleanField(
        required=False,
        label="This may be a rape or attempted rape",
        help_text="It then leaves recording only as a confirmed rape or an N100 record.",
    )


class CrimeIdentifiedForm(forms.Form):
    reason = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="What shows a crime may have happened",
        help_text="Opens the 24-hour crime-recording decision from now (NCRS).",
    )
    may_be_rape = forms.BooleanField(required=False, label="It may be a rape or attempted rape")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=Decision.choices, widget=forms.RadioSelect)
    offence_code = forms.ChoiceField(
        choices=[],
        required=False,
        label="Offence (Home Office code)",
        help_text="Needed to record a crime, an N100 or a fraud referral.",
    )
    reason = forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    crime_summary = forms.CharField(max_length=300, required=False, label="Crime (if recorded)")
    action_fraud_reference = forms.CharField(
        max_length=40, required=False, label="Action Fraud reference (fraud only)"
    )
    referred_on = forms.DateField(
        required=False,
        label="Referred to Action Fraud on (fraud only)",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    rape_reported = forms.TypedChoiceField(
        choices=[("", "Choose"), ("yes", "Yes"), ("no", "No")],
        required=False,
        coerce=lambda value: value == "yes",
        empty_value=None,
        label="Was a rape or attempted rape reported?",
        help_text="Needed for 'not a crime': a reported rape is always recorded, as a rape or as "
        "an N100 record.",
    )
    flags = flags_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offence_code"].choices = [("", "Choose an offence")] + offences.choices()


class AllocateForm(forms.Form):
    officer = forms.ModelChoiceField(queryset=get_user_model().objects.none())

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        officers = get_user_model().objects.filter(
            is_active=True, role__in=[Role.INVESTIGATOR, Role.RESPONSE_OFFICER]
        )
        if unit is not None:
            officers = officers.filter(unit__path__startswith=unit.district().path)
        self.fields["officer"].queryset = officers.order_by("last_name")


class ReviewForm(forms.Form):
    direction = forms.CharField(
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What should happen next, and by when.",
    )


@personal_data("event")
@require_http_methods(["GET", "POST"])
def incident_create(request: HttpRequest) -> HttpResponse:
    form = IncidentForm(request.POST or None, initial={"owning_unit": request.user.unit_id})
    if request.method == "POST" and form.is_valid():
        try:
            incident = incidents.report_incident(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Incident {incident.reference} recorded.")
            return redirect("core:event", pk=incident.pk)
    return render(
        request, "crime/incident_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _after(request, event_id: int, form, done: str) -> HttpResponse:
    if form.errors:
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{field.replace('_', ' ').capitalize()}: {error}")
    else:
        messages.success(request, done)
    return redirect("core:event", pk=event_id)


def _on_incident(request: HttpRequest, pk: int, form, service, done: str) -> HttpResponse:
    """Parse, call ``service(actor=, incident=, **form)``, and back to the incident's page."""
    incident = get_visible(Event.objects.all(), request.user, pk)
    if form.is_valid():
        try:
            service(actor=request.user, incident=incident, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
    return _after(request, pk, form, done)


@personal_data("incident")
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    form = DecisionForm(request.POST)
    return _on_incident(
        request, pk, form, recording.record_recording_decision, "Recording decision saved."
    )


@personal_data("incident")
@require_POST
def crime_identified(request: HttpRequest, pk: int) -> HttpResponse:
    done = "Marked as a possible crime: decide within 24 hours."
    form = CrimeIdentifiedForm(request.POST)
    return _on_incident(request, pk, form, incidents.identify_possible_crime, done)


@personal_data("event")
@require_POST
def allocate(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_visible(Event.objects.all(), request.user, pk)
    form = AllocateForm(request.POST, unit=event.owning_unit)
    if form.is_valid():
        try:
            supervision.allocate(
                actor=request.user, event=event, officer=form.cleaned_data["officer"]
            )
        except ValidationError as error:
            apply_errors(form, error)
    return _after(request, pk, form, "Allocated.")


@personal_data("event")
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_visible(Event.objects.all(), request.user, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            supervision.record_supervisor_review(
                actor=request.user, event=event, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
    return _after(request, pk, form, "Review recorded.")


@register_event_panel
def crime_panel(request, event: Event) -> RecordPanel | None:
    user = request.user
    decision = RecordingDecision.objects.filter(incident=event).select_related("crime").first()
    report = getattr(event, "crime_report", None) if event.kind == EventKind.INCIDENT else None
    show_decision = (
        event.kind == EventKind.INCIDENT
        and decision is None
        and report is not None
        and can(user, "crime.record_decision")
    )
    # NCRS: an incident not marked as a possible crime can be found to involve one later.
    show_identify = show_decision and not report.may_be_crime
    return RecordPanel(
        "crime/event_panel.html",
        {
            "event": event,
            "decision": decision,
            "decision_form": DecisionForm() if show_decision else None,
            "identify_form": CrimeIdentifiedForm() if show_identify else None,
            "report": report,
            "allocate_form": AllocateForm(unit=event.owning_unit)
            if can(user, "work.allocate")
            else None,
            "review_form": ReviewForm() if can(user, "work.review") else None,
            "allocations": event.allocations.select_related("officer")[:5],
            "reviews": event.supervisor_reviews.select_related("reviewer")[:5],
        },
    )


urlpatterns = [
    *crime_urls,
    path("incidents/new/", incident_create, name="incident-create"),
    path("incidents/<int:pk>/decision/", decide, name="decide"),
    path("incidents/<int:pk>/crime-identified/", crime_identified, name="crime-identified"),
    path("events/<int:pk>/allocate/", allocate, name="allocate"),
    path("events/<int:pk>/review/", review, name="review"),
]
from .investigation.views import urlpatterns as investigation_urlpatterns  # noqa: E402

urlpatterns += investigation_urlpatterns
