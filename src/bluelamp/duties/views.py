"""Duty pages: mine, my team's, a queue's, overdue, and compliance. Thin: query, audit, render."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.ui.access import personal_data

from . import panels as _panels  # noqa: F401 - registers the "Duties on this record" panel
from . import queries
from .registry import POLICIES

LIMIT = 200
GROUPS = ("policy", "unit", "officer", "month")


def _listing(request: HttpRequest, title: str, duties, empty: str) -> HttpResponse:
    rows = list(duties.select_related("subject_type", "owner", "owner_unit")[:LIMIT])
    for duty in rows:
        policy = POLICIES.get(duty.policy)
        duty.title = policy.title if policy else duty.policy
    audit.record(
        actor=request.user,
        action=Action.VIEW,
        record_type="duty",
        label=title,
        detail={"duties": len(rows)},
    )
    return render(
        request,
        "duties/list.html",
        {"title": title, "rows": rows, "empty": empty},
    )


@personal_data("duty")
def mine(request: HttpRequest) -> HttpResponse:
    return _listing(request, "My duties", queries.mine(request.user), "Nothing is waiting for you.")


@personal_data("duty")
def team(request: HttpRequest) -> HttpResponse:
    return _listing(
        request, "Open duties in my area", queries.team(request.user), "Nothing is open."
    )


@personal_data("duty")
def queue(request: HttpRequest, name: str) -> HttpResponse:
    return _listing(
        request, f"Queue: {name}", queries.queue(request.user, name), "This queue is empty."
    )


@personal_data("duty")
def overdue(request: HttpRequest) -> HttpResponse:
    return _listing(request, "Overdue duties", queries.overdue(request.user), "Nothing is overdue.")


@personal_data("duty")
def compliance(request: HttpRequest) -> HttpResponse:
    by = request.GET.get("by", "policy")
    try:
        if by not in GROUPS:
            raise ValidationError({"by": "Group by policy, unit, officer or month."})
        rows = queries.compliance(request.user, by=by)
    except ValidationError as error:
        return render(
            request,
            "duties/compliance.html",
            {"error": error.messages[0], "by": by, "groups": GROUPS},
            status=400,
        )
    for row in rows:
        policy = POLICIES.get(row["key"]) if by == "policy" else None
        row["label"] = policy.title if policy else row["key"]
    audit.record(
        actor=request.user, action=Action.VIEW, record_type="duty", label=f"compliance by {by}"
    )
    return render(request, "duties/compliance.html", {"rows": rows, "by": by, "groups": GROUPS})


urlpatterns = [
    path("duties/", mine, name="mine"),
    path("duties/team/", team, name="team"),
    path("duties/queue/<slug:name>/", queue, name="queue"),
    path("duties/overdue/", overdue, name="overdue"),
    path("duties/compliance/", compliance, name="compliance"),
]
