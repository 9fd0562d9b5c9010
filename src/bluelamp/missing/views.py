"""Pages for missing/: the list, a new report (the person matched on entry), and a report with
its reviews, sightings, lines of enquiry and the return. Thin: parse, call a service, render."""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from bluelamp.accounts.permissions import can, require
from bluelamp.core.forms import apply_errors
from bluelamp.duties.registry import POLICIES
from bluelamp.duties.services import duties_for
from bluelamp.people.entry import PersonEntry
from bluelamp.ui.access import personal_data

from . import forms as f
from . import queries, services
from .models import ReportStatus, RiskGrade

# Each form on a report's page: (form class, service call, done message, permission).
ACTIONS = {
    "review": (f.ReviewForm, services.record_review, "Review recorded.", "missing.review"),
    "sighting": (f.SightingForm, services.record_sighting, "Sighting recorded.", "missing.update"),
    "enquiry": (f.EnquiryForm, services.add_enquiry, "Line of enquiry added.", "missing.update"),
    "enquiry_done": (
        f.EnquiryDoneForm,
        services.complete_enquiry,
        "Line of enquiry done.",
        "missing.update",
    ),
    "return": (f.ReturnForm, services.record_return, "Return recorded.", "missing.update"),
    "safe_and_well": (
        f.SafeAndWellForm,
        services.record_safe_and_well,
        "Safe-and-well check recorded.",
        "missing.update",
    ),
    "interview": (
        f.InterviewForm,
        services.record_return_interview,
        "Return interview recorded.",
        "missing.update",
    ),
}


@personal_data("missing")
def reports(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "missing")
    status = status if status in ReportStatus.values else ""
    grade = request.GET.get("grade", "")
    grade = grade if grade in RiskGrade.values else ""
    rows = list(queries.list_reports(actor=request.user, status=status, grade=grade)[:200])
    return render(
        request,
        "missing/list.html",
        {
            "rows": rows,
            "status": status,
            "grade": grade,
            "statuses": ReportStatus.choices,
            "grades": RiskGrade.choices,
            "may_report": can(request.user, "missing.report"),
        },
    )


@personal_data("missing")
@require_http_methods(["GET", "POST"])
def new_report(request: HttpRequest) -> HttpResponse:
    require(request.user, "missing.report")
    data = request.POST if request.method == "POST" else None
    form = f.ReportForm(data, initial={"owning_unit": request.user.unit_id})
    person = PersonEntry(data, actor=request.user, context="missing", prefix="person")
    if request.method == "POST" and form.is_valid() and person.form.is_valid():
        try:
            with transaction.atomic():
                chosen = person.resolve()
                if chosen is not None:
                    report = services.report_missing(
                        actor=request.user, person=chosen, **form.cleaned_data
                    )
                    flash.success(request, f"{report.reference} recorded.")
                    return redirect("missing:report", pk=report.pk)
        except ValidationError as error:
            apply_errors(form, error)
    status = 400 if form.errors or person.form.errors else 200
    return render(request, "missing/new.html", {"form": form, "person": person}, status=status)


def _render_report(request, report, forms_given=None, status=200) -> HttpResponse:
    user = request.user
    duties = list(duties_for(report).order_by("outcome", "due_at"))
    for duty in duties:
        policy = POLICIES.get(duty.policy)
        duty.title = policy.title if policy else duty.policy
    forms = {
        name: (forms_given or {}).get(name) or (form_class() if can(user, permission) else None)
        for name, (form_class, _, _, permission) in ACTIONS.items()
    }
    return render(
        request,
        "missing/report.html",
        {
            "report": report,
            "flags": queries.flags_for(report, user),
            "duties": duties,
            "reviews": list(report.reviews.all()[:50]),
            "sightings": list(report.sightings.all()[:50]),
            "enquiries": list(report.enquiries.all()),
            "forms": forms,
        },
        status=status,
    )


@personal_data("missing")
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_report(request, queries.view_report(actor=request.user, pk=pk))


def _post(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    report = queries.view_report(actor=request.user, pk=pk)
    form_class, call, done, _ = ACTIONS[action]
    form = form_class(request.POST)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v is not None}
        try:
            call(actor=request.user, report=report, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            flash.success(request, done)
            return redirect("missing:report", pk=pk)
    # A failed post keeps what was typed and names the field; nothing saved is touched.
    report.refresh_from_db()
    return _render_report(request, report, {action: form}, status=400)


def _action_view(action: str):
    @personal_data("missing")
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return _post(request, pk, action)

    view.__name__ = f"post_{action}"
    return view


urlpatterns = [
    path("missing/", reports, name="list"),
    path("missing/new/", new_report, name="new"),
    path("missing/<int:pk>/", report_page, name="report"),
] + [
    path(
        f"missing/<int:pk>/{name.replace('_', '-')}/",
        _action_view(name),
        name=name.replace("_", "-"),
    )
    for name in ACTIONS
]
