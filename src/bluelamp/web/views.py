"""The shell: home page per role, global search, the purpose statement, health check."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from bluelamp.accounts.roles import Role
from bluelamp.audit import services as audit
from bluelamp.audit.middleware import PURPOSE_SESSION_KEY
from bluelamp.audit.models import Action
from bluelamp.audit.services import PurposeRequired
from bluelamp.core.search import search_records
from bluelamp.ui.access import no_personal_data, personal_data, public

from .home import API_USERS, panels_for


@personal_data("event")
def home(request: HttpRequest) -> HttpResponse:
    try:
        panels = panels_for(request.user)
    except PurposeRequired:
        panels = None
    else:
        rows = [row for panel in panels for row in panel.rows]
        shown = [row.pk for row in rows if hasattr(row, "reference")]
        # Panels of people on a crime (an offender manager's suspects) name both.
        shown += [row.crime_id for row in rows if hasattr(row, "crime_id")]
        people = [row.person_id for row in rows if hasattr(row, "person_id")]
        audit.record(
            actor=request.user,
            action=Action.VIEW,
            record_type="event-list",
            label="home page",
            detail={"events": shown, "people": people} if people else {"events": shown},
        )
    return render(
        request,
        "web/home.html",
        {"panels": panels, "api_docs": Role(request.user.role) in API_USERS},
    )


@personal_data("search")
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    results, error = None, ""
    if query.strip():
        try:
            results = search_records(actor=request.user, query=query)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    return render(
        request,
        "web/search.html",
        {"q": query, "results": results, "error": error},
        status=400 if error else 200,
    )


class PurposeForm(forms.Form):
    purpose = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="e.g. 'Audit of access to crime LC-20261101-00012'",
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


@no_personal_data("records the purpose stated for this session")
def purpose(request: HttpRequest) -> HttpResponse:
    form = PurposeForm(request.POST or None, initial={"next": request.GET.get("next", "/")})
    if request.method == "POST" and form.is_valid():
        request.session[PURPOSE_SESSION_KEY] = form.cleaned_data["purpose"].strip()
        target = form.cleaned_data["next"] or "/"
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = "/"
        return redirect(target)
    return render(request, "web/purpose.html", {"form": form}, status=400 if form.errors else 200)


@no_personal_data("clears the purpose stated for this session")
@require_POST
def purpose_clear(request: HttpRequest) -> HttpResponse:
    request.session.pop(PURPOSE_SESSION_KEY, None)
    return redirect("web:home")


@public
def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


app_name = "web"
urlpatterns = [
    path("", home, name="home"),
    path("search/", search, name="search"),
    path("purpose/", purpose, name="purpose"),
    path("purpose/clear/", purpose_clear, name="purpose-clear"),
    path("healthz", healthz, name="healthz"),
]
