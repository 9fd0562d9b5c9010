"""Pages for Clare's Law: the applications, a new one (the person at risk, the person asked
about and, right to ask, the applicant matched on entry), and an application with its checks,
the panel's decision and the disclosure record."""

from __future__ import annotations

from django import forms
from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from bluelamp.accounts.models import Unit
from bluelamp.accounts.permissions import can, hidden_ids, require
from bluelamp.core.forms import apply_errors
from bluelamp.core.models import Person
from bluelamp.duties.registry import POLICIES
from bluelamp.duties.services import duties_for
from bluelamp.people.entry import PersonEntry
from bluelamp.ui.access import personal_data

from . import disclosure
from .models import CheckSource, Route

TEXT = forms.Textarea(attrs={"rows": 2})


class ApplicationForm(forms.Form):
    route = forms.ChoiceField(choices=Route.choices)
    owning_unit = forms.ModelChoiceField(queryset=Unit.objects.order_by("path"), label="Team")
    applicant_relationship = forms.CharField(
        max_length=200, required=False, label="Their relationship to the person at risk"
    )
    reason = forms.CharField(max_length=4000, widget=TEXT, label="Why it was asked or raised")


class CheckForm(forms.Form):
    source = forms.ChoiceField(choices=CheckSource.choices)
    finding = forms.CharField(max_length=4000, widget=TEXT)


class DecisionForm(forms.Form):
    necessary = forms.BooleanField(required=False, label="Disclosure is necessary")
    proportionate = forms.BooleanField(required=False, label="Disclosure is proportionate")
    rationale = forms.CharField(max_length=4000, widget=TEXT)
    panel = forms.CharField(max_length=500, label="Panel (names and agencies)")


class DisclosureForm(forms.Form):
    what_was_said = forms.CharField(max_length=4000, widget=TEXT, label="What was said")
    safety_plan = forms.CharField(max_length=2000, widget=TEXT, required=False)


FORMS = {
    "check": (CheckForm, disclosure.record_check, "dvds.record", "Check recorded."),
    "decision": (DecisionForm, disclosure.record_decision, "dvds.decide", "Decision recorded."),
    "disclosure": (
        DisclosureForm,
        disclosure.record_disclosure,
        "dvds.disclose",
        "Disclosure recorded.",
    ),
}


def _typed(entry: PersonEntry) -> bool:
    data = entry.form.data
    return any(
        (data.get(entry.form.add_prefix(name)) or "").strip()
        for name in ("given_names", "family_name", "chosen")
    )


@personal_data("dvds")
def applications(request: HttpRequest) -> HttpResponse:
    rows = list(disclosure.list_applications(actor=request.user)[:200])
    may_record = can(request.user, "dvds.record")
    return render(request, "protection/dvds_list.html", {"rows": rows, "may_record": may_record})


@personal_data("dvds")
@require_http_methods(["GET", "POST"])
def new_application(request: HttpRequest) -> HttpResponse:
    require(request.user, "dvds.record")
    data = request.POST if request.method == "POST" else None
    form = ApplicationForm(data, initial={"owning_unit": request.user.unit_id})
    at_risk = PersonEntry(data, actor=request.user, context="dvds", prefix="at_risk")
    subject = PersonEntry(data, actor=request.user, context="dvds", prefix="subject")
    # Right to ask: who asked, matched on entry like the others; only an entry with a name
    # typed counts (right to know has no applicant).
    applicant = PersonEntry(data, actor=request.user, context="dvds", prefix="applicant")
    entries = [at_risk, subject] + ([applicant] if data is not None and _typed(applicant) else [])
    if request.method == "POST" and form.is_valid() and all([e.form.is_valid() for e in entries]):
        try:
            with transaction.atomic():
                people = [entry.resolve() for entry in entries]
                if all(person is not None for person in people):
                    application = disclosure.receive_application(
                        actor=request.user,
                        person_at_risk=people[0],
                        subject=people[1],
                        applicant=people[2] if len(people) > 2 else None,
                        **form.cleaned_data,
                    )
                    flash.success(request, f"{application.reference} recorded.")
                    return redirect("protection:dvds-application", pk=application.pk)
                transaction.set_rollback(True)
        except ValidationError as error:
            apply_errors(form, error)
    bad = form.errors or any(e.form.errors for e in entries)
    context = {"form": form, "at_risk": at_risk, "subject": subject, "applicant": applicant}
    return render(request, "protection/dvds_new.html", context, status=400 if bad else 200)


def _render(request, application, given=None, status=200) -> HttpResponse:
    duties = list(duties_for(application))
    for duty in duties:
        policy = POLICIES.get(duty.policy)
        duty.title = policy.title if policy else duty.policy
    shown = {
        name: (given or {}).get(name) or (form_class() if can(request.user, permission) else None)
        for name, (form_class, _, permission, _) in FORMS.items()
    }
    # A restricted person is not named to a reader without a grant (restricted = invisible):
    # whoever asked, whoever is at risk, whoever is asked about, whoever was told.
    disclosure_ = getattr(application, "disclosure", None)
    people = {
        "applicant": application.applicant,
        "at_risk": application.person_at_risk,
        "asked_about": application.subject,
        "told": disclosure_.disclosed_to if disclosure_ else None,
    }
    ids = {person.pk for person in people.values() if person is not None}
    hidden = set(hidden_ids(request.user, Person).filter(pk__in=ids).values_list("pk", flat=True))
    shown_people = {
        role: None if person is None or person.pk in hidden else person
        for role, person in people.items()
    }
    return render(
        request,
        "protection/dvds_application.html",
        {
            "application": application,
            "applicant": shown_people["applicant"],
            "people": shown_people,
            "checks": list(application.checks.all()),
            "decision": getattr(application, "decision", None),
            "disclosure": disclosure_,
            "duties": duties,
            "forms": shown,
        },
        status=status,
    )


@personal_data("dvds")
def application_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, disclosure.view_application(actor=request.user, pk=pk))


def _post(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    application = disclosure.view_application(actor=request.user, pk=pk)
    form_class, call, _, done = FORMS[name]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(actor=request.user, application=application, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            flash.success(request, done)
            return redirect("protection:dvds-application", pk=pk)
    application.refresh_from_db()
    return _render(request, application, {name: form}, status=400)


def _action(name: str):
    @personal_data("dvds")
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return _post(request, pk, name)

    view.__name__ = f"post_{name}"
    return view


urlpatterns = [
    path("clares-law/", applications, name="dvds"),
    path("clares-law/new/", new_application, name="dvds-new"),
    path("clares-law/<int:pk>/", application_page, name="dvds-application"),
    *[path(f"clares-law/<int:pk>/{name}/", _action(name), name=f"dvds-{name}") for name in FORMS],
]
