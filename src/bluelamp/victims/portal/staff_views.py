"""The staff side of the victim portal, on the crime's own page (a panel): each victim's portal
access, "issue a new code" (shown once), unlocking a locked reference, the victim's messages
with a reply form, and adding an investigation update (optionally shared with the victim)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from bluelamp.accounts.permissions import can, get_visible, visible_q
from bluelamp.core.choices import EventKind
from bluelamp.core.forms import apply_errors
from bluelamp.core.models import Event, Person
from bluelamp.crime import supervision
from bluelamp.duties.deadlines import LONDON
from bluelamp.ui.access import personal_data
from bluelamp.ui.extensions import RecordPanel, register_event_panel
from bluelamp.victims.models import VictimRecord
from bluelamp.victims.services import get_victim

from . import access, services, signing_in
from .models import AccessCode, VictimMessage


class IssueCodeForm(forms.Form):
    how = forms.ChoiceField(
        label="How the victim gets the code",
        choices=[
            ("send", "Send it by the victim's chosen channel"),
            ("in_person", "Show it to me once, to give in person"),
        ],
        widget=forms.RadioSelect,
        initial="in_person",
    )


class UpdateForm(forms.Form):
    text = forms.CharField(
        label="Investigation update", max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    victim_visible = forms.BooleanField(
        label="Share this update with the victim",
        required=False,
        help_text="The victim is told there is an update and reads it in Track my crime.",
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="Reply to the victim", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


def _visible_crime(request, pk: int) -> Event:
    return get_visible(Event.objects.all(), request.user, pk)


@personal_data("victim_record")
@require_POST
def issue_code(request: HttpRequest, pk: int) -> HttpResponse:
    # The victim record through the victims' one scope: a restricted crime or victim is a 404.
    record = get_victim(request.user, pk)
    form = IssueCodeForm(request.POST)
    issued = None
    if form.is_valid():
        try:
            issued = access.issue_code(
                actor=request.user,
                victim_record=record,
                in_person=form.cleaned_data["how"] == "in_person",
            )
        except ValidationError as error:
            apply_errors(form, error)
    context = {"record": record, "form": form, "issued": issued}
    # Rendered, not redirected: an in-person code is shown this once and stored nowhere.
    status = 400 if form.errors else 200
    response = render(request, "portal/staff_code.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@personal_data("event")
@require_POST
def unlock(request: HttpRequest, pk: int) -> HttpResponse:
    crime = _visible_crime(request, pk)
    try:
        signing_in.unlock(actor=request.user, crime=crime)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Track my crime is unlocked for this crime reference.")
    return redirect("core:event", pk=crime.pk)


@personal_data("event")
@require_POST
def add_update(request: HttpRequest, pk: int) -> HttpResponse:
    crime = _visible_crime(request, pk)
    form = UpdateForm(request.POST)
    if form.is_valid():
        try:
            supervision.record_investigation_update(
                actor=request.user, crime=crime, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            shared = form.cleaned_data["victim_visible"]
            messages.success(
                request, "Update saved" + (" and shared with the victim." if shared else ".")
            )
            return redirect("core:event", pk=crime.pk)
    # Kept as typed, with the field named, on a page of its own.
    return render(request, "portal/staff_update.html", {"crime": crime, "form": form}, status=400)


@personal_data("victim_message")
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(VictimMessage.objects.select_related("victim_record"), pk=pk)
    get_victim(request.user, message.victim_record_id)
    crime = _visible_crime(request, message.victim_record.crime_id)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.reply_to_message(
                actor=request.user, message=message, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Reply sent to the victim.")
            return redirect("core:event", pk=crime.pk)
    context = {"crime": crime, "message": message, "form": form}
    return render(request, "portal/staff_reply.html", context, status=400)


@register_event_panel
def portal_panel(request, event: Event) -> RecordPanel | None:
    user = request.user
    if event.kind != EventKind.CRIME or not can(user, "victim.portal_view"):
        return None
    records = list(
        VictimRecord.objects.filter(crime=event)
        .filter(visible_q(user, Person, "person"))
        .select_related("person")
    )
    latest = {}
    for code in AccessCode.objects.filter(victim_record__in=records).order_by("issued_at", "id"):
        latest[code.victim_record_id] = code
    locked_until = signing_in.locked_until(event)
    return RecordPanel(
        "portal/staff_panel.html",
        {
            "event": event,
            "victims": [(r, latest.get(r.pk), access.written_channel(r)) for r in records],
            "locked_until": locked_until.astimezone(LONDON) if locked_until else None,
            "code_form": IssueCodeForm() if can(user, "victim.portal_code") else None,
            "can_unlock": can(user, "victim.portal_unlock"),
            "update_form": UpdateForm() if can(user, "crime.update") else None,
            "victim_messages": VictimMessage.objects.filter(victim_record__crime=event).filter(
                visible_q(user, Person, "victim_record__person")
            ),
            "reply_form": ReplyForm() if can(user, "victim.portal_reply") else None,
        },
    )


staff_urlpatterns = [
    path("track/staff/victims/<int:pk>/code/", issue_code, name="issue-code"),
    path("track/staff/crimes/<int:pk>/unlock/", unlock, name="unlock"),
    path("track/staff/crimes/<int:pk>/update/", add_update, name="add-update"),
    path("track/staff/messages/<int:pk>/reply/", reply, name="reply"),
]
