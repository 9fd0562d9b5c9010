"""Pages for DVPN/DVPO: the list, serving a notice (the perpetrator and the victim matched on
entry), a notice with its hearing, breaches and arrests, and the daily risk meeting's list."""

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
from bluelamp.accounts.permissions import can, require
from bluelamp.core.forms import apply_errors
from bluelamp.duties.registry import POLICIES
from bluelamp.duties.services import duties_for
from bluelamp.people.entry import PersonEntry
from bluelamp.ui.access import personal_data

from . import orders
from .models import Rank

WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT = forms.Textarea(attrs={"rows": 2})


class NoticeForm(forms.Form):
    owning_unit = forms.ModelChoiceField(queryset=Unit.objects.order_by("path"), label="Team")
    authorising_officer = forms.CharField(max_length=200, label="Authorising officer (name)")
    authorising_rank = forms.ChoiceField(choices=Rank.choices, initial=Rank.SUPERINTENDENT)
    grounds = forms.CharField(max_length=4000, widget=TEXT)
    children_welfare = forms.CharField(
        max_length=2000, widget=TEXT, label="Welfare of any child affected"
    )
    victim_opinion = forms.CharField(max_length=2000, widget=TEXT, label="The victim's opinion")
    perpetrator_representations = forms.CharField(
        max_length=2000, widget=TEXT, label="What the perpetrator said"
    )
    served_at = forms.DateTimeField(
        required=False, label="Served at (UK time; empty: now)", widget=WHEN
    )


class HearingForm(forms.Form):
    made = forms.TypedChoiceField(
        choices=[("yes", "Order made"), ("no", "Order refused")],
        coerce=lambda value: value == "yes",
        label="Decision",
    )
    court = forms.CharField(max_length=200, label="Magistrates' court")
    days = forms.IntegerField(required=False, label="Days the order lasts (14 to 28)")
    heard_at = forms.DateTimeField(
        required=False, label="Heard at (UK time; empty: now)", widget=WHEN
    )


class BreachForm(forms.Form):
    at = forms.DateTimeField(label="Breach at (UK time)", widget=WHEN)
    account = forms.CharField(max_length=2000, widget=TEXT, label="What happened")


class ArrestForm(forms.Form):
    breach = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    note = forms.CharField(max_length=1000, label="Arrest: where and by whom")


@personal_data("dvpn")
def notices(request: HttpRequest) -> HttpResponse:
    rows = list(orders.list_notices(actor=request.user)[:200])
    may_serve = can(request.user, "dvpn.serve")
    return render(request, "protection/dvpn_list.html", {"rows": rows, "may_serve": may_serve})


@personal_data("dvpn")
@require_http_methods(["GET", "POST"])
def serve(request: HttpRequest) -> HttpResponse:
    require(request.user, "dvpn.serve")
    data = request.POST if request.method == "POST" else None
    form = NoticeForm(data, initial={"owning_unit": request.user.unit_id})
    perpetrator = PersonEntry(data, actor=request.user, context="dvpn", prefix="perpetrator")
    victim = PersonEntry(data, actor=request.user, context="dvpn", prefix="victim")
    if (
        request.method == "POST"
        and form.is_valid()
        and perpetrator.form.is_valid()
        and victim.form.is_valid()
    ):
        try:
            with transaction.atomic():
                who, whom = perpetrator.resolve(), victim.resolve()
                if who is not None and whom is not None:
                    notice = orders.serve_notice(
                        actor=request.user, perpetrator=who, victim=whom, **form.cleaned_data
                    )
                    flash.success(request, f"{notice.reference} recorded.")
                    return redirect("protection:dvpn-notice", pk=notice.pk)
                transaction.set_rollback(True)  # one still to choose: make neither yet
        except ValidationError as error:
            apply_errors(form, error)
    bad = form.errors or perpetrator.form.errors or victim.form.errors
    context = {"form": form, "perpetrator": perpetrator, "victim": victim}
    return render(request, "protection/dvpn_new.html", context, status=400 if bad else 200)


FORMS = {"hearing": HearingForm, "breach": BreachForm, "arrest": ArrestForm}


def _render_notice(request, notice, given=None, status=200) -> HttpResponse:
    duties = list(duties_for(notice)) + [d for b in notice.breaches.all() for d in duties_for(b)]
    for duty in duties:
        policy = POLICIES.get(duty.policy)
        duty.title = policy.title if policy else duty.policy
    user = request.user
    forms_shown = {
        "hearing": can(user, "dvpn.serve"),
        "breach": can(user, "dvpn.breach"),
        "arrest": can(user, "dvpn.breach"),
    }
    shown = {
        name: (given or {}).get(name) or (FORMS[name]() if allowed else None)
        for name, allowed in forms_shown.items()
    }
    return render(
        request,
        "protection/dvpn_notice.html",
        {
            "notice": notice,
            "order": getattr(notice, "order", None),
            "breaches": list(notice.breaches.all()),
            "duties": sorted(duties, key=lambda d: d.due_at),
            "forms": shown,
        },
        status=status,
    )


@personal_data("dvpn")
def notice_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_notice(request, orders.view_notice(actor=request.user, pk=pk))


def _post(request: HttpRequest, pk: int, name: str, call, done: str) -> HttpResponse:
    notice = orders.view_notice(actor=request.user, pk=pk)
    form = FORMS[name](request.POST)
    if form.is_valid():
        try:
            call(notice, form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            flash.success(request, done)
            return redirect("protection:dvpn-notice", pk=pk)
    notice.refresh_from_db()
    return _render_notice(request, notice, {name: form}, status=400)


@personal_data("dvpn")
@require_POST
def hearing(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        "hearing",
        lambda notice, data: orders.record_hearing(actor=request.user, notice=notice, **data),
        "Hearing recorded.",
    )


@personal_data("dvpn")
@require_POST
def breach(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        "breach",
        lambda notice, data: orders.record_breach(actor=request.user, notice=notice, **data),
        "Breach recorded: arrest enquiries tasked.",
    )


def _arrest(request, notice, data):
    found = notice.breaches.filter(pk=data["breach"]).first()
    if found is None:
        raise ValidationError({"breach": "No such breach of this notice."})
    return orders.record_arrest(actor=request.user, breach=found, note=data["note"])


@personal_data("dvpn")
@require_POST
def arrest(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        "arrest",
        lambda notice, data: _arrest(request, notice, data),
        "Arrest recorded.",
    )


@personal_data("dvpn")
def risk_meeting(request: HttpRequest) -> HttpResponse:
    return render(request, "protection/risk_meeting.html", orders.risk_meeting(actor=request.user))


urlpatterns = [
    path("dvpn/", notices, name="dvpn"),
    path("dvpn/new/", serve, name="dvpn-new"),
    path("dvpn/risk-meeting/", risk_meeting, name="risk-meeting"),
    path("dvpn/<int:pk>/", notice_page, name="dvpn-notice"),
    path("dvpn/<int:pk>/hearing/", hearing, name="dvpn-hearing"),
    path("dvpn/<int:pk>/breach/", breach, name="dvpn-breach"),
    path("dvpn/<int:pk>/arrest/", arrest, name="dvpn-arrest"),
]
