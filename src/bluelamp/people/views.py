"""Pages: find a person (ranked, with reasons), and the duplicate review queue with merge, "not
the same" and unmerge. Thin: parse, call a service, render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from bluelamp.core.forms import PersonForm, apply_errors
from bluelamp.ui.access import personal_data

from . import dedupe, review, services
from .entry import likely_people, resolve_person
from .models import CandidateStatus, DuplicateCandidate, Merge


class FindForm(forms.Form):
    given_names = forms.CharField(max_length=120, required=False)
    family_name = forms.CharField(max_length=120, required=False)
    dob = forms.CharField(
        label="Date of birth",
        max_length=20,
        required=False,
        help_text="24/06/1971, or just 1971 or 1971-06 if that is all you know.",
    )
    postcode = forms.CharField(max_length=10, required=False)
    phone = forms.CharField(max_length=30, required=False)
    email = forms.CharField(max_length=120, required=False)
    identifier = forms.CharField(
        label="PNC ID, licence, passport or NI number", max_length=40, required=False
    )
    gender = forms.ChoiceField(
        label="Sex",
        choices=[("", "Not known"), *((sex.value, sex.label) for sex in services.SEXES)],
        required=False,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


@personal_data("person")
def find(request: HttpRequest) -> HttpResponse:
    form = FindForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        try:
            page = max(int(request.GET.get("page", "1")), 1)
        except ValueError:
            page = 1
        try:
            result = services.find_people(
                actor=request.user, query=services.PersonQuery(**form.cleaned_data), page=page
            )
        except ValidationError as error:
            apply_errors(form, error)
    status = 400 if form.errors else 200
    return render(request, "people/find.html", {"form": form, "result": result}, status=status)


@personal_data("candidate")
def duplicates(request: HttpRequest) -> HttpResponse:
    queue = review.review_groups(actor=request.user)
    return render(request, "people/duplicates.html", {"queue": queue, "form": ReasonForm()})


def _open_candidate(pk: int) -> DuplicateCandidate:
    return get_object_or_404(DuplicateCandidate, pk=pk, status=CandidateStatus.OPEN)


@personal_data("candidate")
@require_POST
def not_same(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _open_candidate(pk)
    dedupe.mark_not_same(actor=request.user, candidate=candidate)
    messages.success(request, "Marked as not the same person.")
    return redirect("people:duplicates")


@personal_data("candidate")
@require_POST
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _open_candidate(pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            record = dedupe.merge(
                actor=request.user,
                survivor=candidate.person,
                merged=candidate.other,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Merged. This can be undone (merge {record.pk}).")
            return redirect("core:person", record.survivor_id)
    queue = review.review_groups(actor=request.user)
    return render(
        request,
        "people/duplicates.html",
        {"queue": queue, "form": form, "failed": candidate.pk},
        status=400,
    )


@personal_data("merged_person")
@require_POST
def unmerge(request: HttpRequest, pk: int) -> HttpResponse:
    """Undoes the merge of person ``pk`` into another record (the form is on its page)."""
    record = get_object_or_404(Merge, merged_id=pk, unmerged_at__isnull=True)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            dedupe.unmerge(
                actor=request.user, merge_record=record, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Unmerged: both records are as they were.")
    else:
        messages.error(request, "Give a reason for undoing the merge.")
    return redirect("core:person", record.merged_id)


@personal_data("person")
@require_http_methods(["GET", "POST"])
def enter(request: HttpRequest) -> HttpResponse:
    """Match-on-entry: before a new person is created, the likely existing records are offered;
    the officer picks one or confirms a new record, and the choice is kept (EntryChoice)."""
    form = PersonForm(request.POST or None)
    context = request.POST.get("context") or request.GET.get("context") or "person"
    offered = None
    if request.method == "POST" and form.is_valid():
        if "confirm" not in request.POST:
            offered = likely_people(actor=request.user, details=form.cleaned_data)
        else:
            try:
                outcome = resolve_person(
                    actor=request.user,
                    context=context,
                    details=form.cleaned_data,
                    chosen=request.POST.get("chosen", ""),
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                person = outcome.person
                if person is None:
                    offered = outcome.offered  # likely records, and nothing chosen yet
                elif outcome.created:
                    messages.success(request, f"Recorded {person.display_name} as a new person.")
                    return redirect("core:person", pk=person.pk)
                else:
                    messages.success(
                        request, f"Using the existing record for {person.display_name}."
                    )
                    return redirect("core:person", pk=person.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "people/enter.html",
        {"form": form, "offered": offered, "context": context},
        status=status,
    )


urlpatterns = [
    path("people/enter/", enter, name="enter"),
    path("people/find/", find, name="find"),
    path("people/duplicates/", duplicates, name="duplicates"),
    path("people/duplicates/<int:pk>/not-same/", not_same, name="not-same"),
    path("people/duplicates/<int:pk>/merge/", merge, name="merge"),
    path("people/<int:pk>/unmerge/", unmerge, name="unmerge"),
]
