"""MARAC pages (issue 17; domain.md 3.4): the cases and meetings per area with the referral trend
by month, scheduling a meeting, a meeting with the cases listed on it and their actions (overdue
ones marked), listing a case, adding an action with an owner and a deadline (its owner's duty:
policies.MARAC_ACTION), and an action's own page, where its owner or MARAC staff complete it.
Thin: parse, call marac.py, render. Phone-first: one column, native date inputs."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core.forms import apply_errors
from bluelamp.ui.access import personal_data

from . import marac, queries
from .forms import ActionForm, ListCaseForm, MeetingForm
from .models import Hub

PAST_SHOWN = 12  # past meetings shown per area


def _overview(request: HttpRequest, form: MeetingForm, status: int = 200) -> HttpResponse:
    actor = request.user
    cases = list(marac.visible_cases(actor)[:200])
    audit.record(
        actor=actor,
        action=Action.SEARCH,
        record_type="marac_case",
        label="MARAC cases",
        detail={"cases": [c.pk for c in cases]},
    )
    today = timezone.localdate()
    areas = []
    for hub in Hub.objects.all():
        held = list(marac.meetings(actor, hub).order_by("held_on"))
        areas.append(
            {
                "hub": hub,
                "cases": [c for c in cases if c.hub_id == hub.pk],
                "upcoming": [m for m in held if m.held_on >= today],
                "past": [m for m in reversed(held) if m.held_on < today][:PAST_SHOWN],
            }
        )
    context = {"areas": areas, "trend": queries.marac_trend(actor), "form": form}
    return render(request, "safeguarding/marac.html", context, status=status)


@personal_data("marac_case")
def marac_page(request: HttpRequest) -> HttpResponse:
    return _overview(request, MeetingForm(initial={"held_on": timezone.localdate()}))


@personal_data("marac_meeting")
@require_POST
def schedule(request: HttpRequest) -> HttpResponse:
    marac.visible_cases(request.user)  # the permission check, before the form is read
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            meeting = marac.schedule_meeting(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"MARAC scheduled for {meeting.held_on:%d %b %Y}.")
            return redirect("safeguarding:marac-meeting", meeting.pk)
    return _overview(request, form, status=400)


def _meeting_page(request, pk: int, *, given=None, status: int = 200) -> HttpResponse:
    meeting, cases = marac.view_meeting(actor=request.user, pk=pk)
    owners = marac.action_owners()
    given = given or {}
    for case in cases:
        case.action_form = given.get(case.pk) or ActionForm(prefix=f"case{case.pk}", owners=owners)
    waiting = marac.visible_cases(request.user).filter(hub=meeting.hub, meeting__isnull=True)
    list_form = given.get("list") or ListCaseForm(cases=waiting)
    overdue = sum(1 for case in cases for action in case.actions.all() if action.overdue)
    context = {"meeting": meeting, "cases": cases, "list_form": list_form, "overdue": overdue}
    return render(request, "safeguarding/marac_meeting.html", context, status=status)


@personal_data("marac_meeting")
def meeting_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, pk)


@personal_data("marac_meeting")
@require_POST
def list_case(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, _ = marac.view_meeting(actor=request.user, pk=pk)
    waiting = marac.visible_cases(request.user).filter(hub=meeting.hub, meeting__isnull=True)
    form = ListCaseForm(request.POST, cases=waiting)
    if form.is_valid():
        try:
            case = marac.get_case(request.user, form.cleaned_data["case"])
            marac.list_case(actor=request.user, case=case, meeting=meeting)
        except Http404:
            form.add_error("case", "There is no such MARAC case.")
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{case.referral.reference} listed.")
            return redirect("safeguarding:marac-meeting", meeting.pk)
    return _meeting_page(request, pk, given={"list": form}, status=400)


@personal_data("marac_case")
@require_POST
def add_action(request: HttpRequest, pk: int) -> HttpResponse:
    case = marac.get_case(request.user, pk)
    if case.meeting_id is None:
        raise Http404("List the case at a meeting first.")
    form = ActionForm(request.POST, prefix=f"case{case.pk}", owners=marac.action_owners())
    if form.is_valid():
        try:
            action = marac.add_action(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Action set for {action.owner.display_name}.")
            return redirect("safeguarding:marac-meeting", case.meeting_id)
    return _meeting_page(request, case.meeting_id, given={case.pk: form}, status=400)


@personal_data("marac_action")
@require_http_methods(["GET"])
def action_page(request: HttpRequest, pk: int) -> HttpResponse:
    action = marac.view_action(actor=request.user, pk=pk)
    return render(request, "safeguarding/marac_action.html", {"action": action})


@personal_data("marac_action")
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    action = marac.view_action(actor=request.user, pk=pk)
    try:
        marac.complete_action(actor=request.user, action=action)
    except ValidationError as error:
        words = " ".join(str(m) for msgs in error.message_dict.values() for m in msgs)
        context = {"action": action, "error": words}
        return render(request, "safeguarding/marac_action.html", context, status=400)
    messages.success(request, "Action done.")
    return redirect("safeguarding:marac-action", action.pk)


urlpatterns = [
    path("safeguarding/marac/", marac_page, name="marac"),
    path("safeguarding/marac/meetings/new/", schedule, name="marac-schedule"),
    path("safeguarding/marac/meetings/<int:pk>/", meeting_page, name="marac-meeting"),
    path("safeguarding/marac/meetings/<int:pk>/list/", list_case, name="marac-list"),
    path("safeguarding/marac/cases/<int:pk>/actions/", add_action, name="marac-action-add"),
    path("safeguarding/marac/actions/<int:pk>/", action_page, name="marac-action"),
    path("safeguarding/marac/actions/<int:pk>/complete/", complete, name="marac-complete"),
]
