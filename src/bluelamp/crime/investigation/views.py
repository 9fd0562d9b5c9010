"""Investigation pages: one page per crime (plan, updates, wishes, suspects, forensic and digital
work, supervision), the allocation page with suggested officers, and the lists that keep work in
sight (my live investigations, team workload, oversight, the device queue, officers' skills).

Thin: parse, call a service, render. A refused form comes back on the same page with the error
against its field and what was typed kept (status 400); nothing saved is touched."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bluelamp.accounts.permissions import can, get_visible, require
from bluelamp.core.choices import EventKind
from bluelamp.core.forms import apply_errors
from bluelamp.core.models import Event
from bluelamp.crime import supervision
from bluelamp.ui.access import personal_data
from bluelamp.ui.extensions import RecordPanel, register_event_panel

from . import forms as f
from . import queries, services, suspects
from .models import SuspectStep

T = "crime/investigation/"

# Each form on the crime's page: the permission that shows it, and the service it calls.
FORMS: dict[str, tuple[type[f.InvestigationForm], str]] = {
    "line": (f.LineForm, "investigation.plan"),
    "line_status": (f.LineStatusForm, "investigation.plan"),
    "update": (f.UpdateForm, "crime.update"),
    "wish": (f.WishForm, "investigation.plan"),
    "suspect": (f.SuspectForm, "investigation.suspect"),
    "not_investigated": (f.NotInvestigatedForm, "investigation.not_investigated"),
    "forensic": (f.ForensicForm, "investigation.forensic"),
    "device": (f.DeviceRequestForm, "investigation.forensic"),
    "device_status": (f.DeviceStatusForm, "investigation.device_examine"),
}


def _page(request, pk: int, bound: f.InvestigationForm | None = None) -> HttpResponse:
    summary = queries.investigation_of(request.user, pk)
    forms = {
        key: (
            bound
            if bound is not None and bound.key == key
            else cls(crime=summary.crime, actor=request.user)
        )
        for key, (cls, action) in FORMS.items()
        if can(request.user, action)
    }
    context = {"inv": summary, "crime": summary.crime, "forms": forms, "bound": bound}
    return render(request, T + "page.html", context, status=400 if bound else 200)


def _suspect_step(actor, crime, person, step, **data):
    calls = {
        SuspectStep.ARRESTED: suspects.record_arrest,
        SuspectStep.INTERVIEWED: suspects.record_interview,
        SuspectStep.RELEASED: suspects.record_release,
        SuspectStep.DISPOSED: suspects.record_disposal,
    }
    keep = {
        SuspectStep.RELEASED: ("how", "bail_conditions", "bail_conditions_changed", "bail_end"),
        SuspectStep.DISPOSED: ("disposal",),
    }.get(step, ())
    extra = {k: data[k] for k in keep}
    return calls[step](
        actor=actor,
        crime=crime,
        person=person,
        occurred_at=data["occurred_at"],
        note=data["note"],
        **extra,
    )


CALLS: dict[str, tuple[Callable, str]] = {
    "line": (lambda a, c, d: services.add_enquiry_line(actor=a, crime=c, **d), "Line added."),
    "line_status": (
        lambda a, c, d: services.update_enquiry_line(actor=a, crime=c, line_id=d.pop("line"), **d),
        "Line of enquiry updated.",
    ),
    "update": (
        lambda a, c, d: supervision.record_investigation_update(actor=a, crime=c, **d),
        "Update recorded.",
    ),
    "wish": (
        lambda a, c, d: services.record_prosecution_wish(
            actor=a, crime=c, **{**d, "stated_on": d["stated_on"] or None}
        ),
        "Victim's wishes recorded.",
    ),
    "suspect": (lambda a, c, d: _suspect_step(a, c, **d), "Suspect's progress recorded."),
    "not_investigated": (
        lambda a, c, d: services.record_not_investigated(actor=a, crime=c, **d),
        "Decision recorded; the victim will be told.",
    ),
    "forensic": (
        lambda a, c, d: services.record_forensic_decision(actor=a, crime=c, **d),
        "Forensic decision recorded.",
    ),
    "device": (
        lambda a, c, d: services.request_device_examination(actor=a, crime=c, **d),
        "Examination requested.",
    ),
    "device_status": (
        lambda a, c, d: services.move_device_examination(
            actor=a, crime=c, request_id=d.pop("request"), **d
        ),
        "Examination request updated.",
    ),
}


def _post(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    crime = get_visible(Event.objects.all(), request.user, pk)
    cls, action = FORMS[key]
    require(request.user, action)
    form = cls(request.POST, crime=crime, actor=request.user)
    if form.is_valid():
        call, done = CALLS[key]
        try:
            call(request.user, crime, dict(form.cleaned_data))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("crime:investigation", pk=pk)
    return _page(request, pk, bound=form)


@personal_data("event")
@require_GET
def investigation_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, pk)


def _form_view(key: str):
    @personal_data("event")
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return _post(request, pk, key)

    view.__name__ = f"investigation_{key}"
    return view


@personal_data("event")
@require_http_methods(["GET", "POST"])
def allocation_page(request: HttpRequest, pk: int) -> HttpResponse:
    crime = get_visible(Event.objects.all(), request.user, pk)
    form = f.AllocationForm(request.POST or None, crime=crime, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.allocate_investigation(actor=request.user, crime=crime, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Allocated to {form.cleaned_data['officer']}.")
            return redirect("crime:investigation", pk=pk)
    needed, suggestions = queries.suggest_officers(request.user, crime)
    summary = queries.investigation_of(request.user, crime)
    context = {"crime": crime, "form": form, "needed": needed, "suggestions": suggestions}
    context["inv"] = summary
    return render(request, T + "allocate.html", context, status=400 if form.errors else 200)


@personal_data("event")
@require_GET
def my_live(request: HttpRequest) -> HttpResponse:
    rows = queries.my_live_investigations(request.user)
    return render(request, T + "mine.html", {"rows": rows})


@personal_data("event")
@require_GET
def workload(request: HttpRequest) -> HttpResponse:
    return render(request, T + "workload.html", {"rows": queries.team_workload(request.user)})


@personal_data("event")
@require_GET
def oversight(request: HttpRequest) -> HttpResponse:
    return render(request, T + "oversight.html", {"report": queries.oversight(request.user)})


@personal_data("event")
@require_GET
def device_queue(request: HttpRequest) -> HttpResponse:
    finished = request.GET.get("finished") == "1"
    rows = queries.device_queue(request.user, finished=finished)
    return render(request, T + "devices.html", {"rows": rows, "finished": finished})


@personal_data("officer")
@require_http_methods(["GET", "POST"])
def skills(request: HttpRequest) -> HttpResponse:
    form = f.SkillForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_officer_skill(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Skill recorded.")
            return redirect("crime:investigation-skills")
    rows = queries.officer_skills(request.user)
    context = {"form": form if can(request.user, "investigation.skills") else None, "rows": rows}
    return render(request, T + "skills.html", context, status=400 if form.errors else 200)


@register_event_panel
def investigation_panel(request, event: Event) -> RecordPanel | None:
    if event.kind != EventKind.CRIME or not can(request.user, "investigation.view"):
        return None
    return RecordPanel(T + "panel.html", {"event": event, "panel": queries.panel_facts(event)})


urlpatterns = [
    path("investigations/mine/", my_live, name="investigation-mine"),
    path("investigations/workload/", workload, name="investigation-workload"),
    path("investigations/oversight/", oversight, name="investigation-oversight"),
    path("investigations/devices/", device_queue, name="investigation-devices"),
    path("investigations/skills/", skills, name="investigation-skills"),
    path("events/<int:pk>/investigation/", investigation_page, name="investigation"),
    path("events/<int:pk>/investigation/allocate/", allocation_page, name="investigation-allocate"),
    *[
        path(
            f"events/<int:pk>/investigation/{key.replace('_', '-')}/",
            _form_view(key),
            name=f"investigation-{key.replace('_', '-')}",
        )
        for key in FORMS
    ],
]
