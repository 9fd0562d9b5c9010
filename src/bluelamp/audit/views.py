"""For auditors: who looked at this record, and what did this user look at. Reading the audit
log is itself audited."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import require
from bluelamp.ui.access import personal_data

from . import services
from .models import Action, AuditEvent
from .scope import readable


class AuditQuery(forms.Form):
    record_type = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Any"),
            ("person", "Person"),
            ("event", "Event"),
            ("location", "Location"),
            ("object", "Object"),
            ("organisation", "Organisation"),
            ("user", "User"),
            ("search", "Search"),
        ],
    )
    record_id = forms.CharField(required=False, max_length=64)
    user = forms.ModelChoiceField(
        queryset=User.objects.order_by("username"),
        required=False,
        to_field_name="username",
        label="What did this user do (username)",
    )
    action = forms.ChoiceField(required=False, choices=[("", "Any"), *Action.choices])


@personal_data("audit")
def audit_log(request: HttpRequest) -> HttpResponse:
    require(request.user, "audit.view")
    form = AuditQuery(request.GET or None)
    events = readable(request.user, AuditEvent.objects.order_by("-id"))
    asked = {}
    if form.is_valid():
        data = form.cleaned_data
        if data["record_type"]:
            events = events.filter(record_type=data["record_type"])
        if data["record_id"]:
            events = events.filter(record_id=data["record_id"].strip())
        if data["user"]:
            events = events.filter(actor_id=data["user"].pk)
        if data["action"]:
            events = events.filter(action=data["action"])
        asked = {k: str(getattr(v, "username", v)) for k, v in data.items() if v}
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    services.record(
        actor=request.user,
        action=Action.VIEW,
        record_type="audit-log",
        label="audit log query",
        detail={"query": asked, "page": page.number},
    )
    return render(
        request, "audit/log.html", {"form": form, "page": page}, status=400 if form.errors else 200
    )


app_name = "audit"
urlpatterns = [path("audit/", audit_log, name="log")]
