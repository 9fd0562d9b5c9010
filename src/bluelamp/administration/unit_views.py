"""The force's units: the tree (force, districts, teams), adding a unit, renaming one and
moving one within the tree. Units are not personal data; every change is still audited and
kept in the unit's history by the services (accounts/services.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from bluelamp.accounts import services as accounts
from bluelamp.accounts.models import Unit
from bluelamp.accounts.permissions import can
from bluelamp.core.forms import apply_errors
from bluelamp.core.history import history_of
from bluelamp.ui.access import no_personal_data

from . import forms as f
from . import queries

T = "administration/"
REFUSAL = "Only administrators change the force's units."


def _allowed(request: HttpRequest) -> None:
    if not can(request.user, "unit.manage"):
        raise PermissionDenied(REFUSAL)


@no_personal_data("the force's structure: units and how many accounts each has")
@require_http_methods(["GET", "POST"])
def units(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    form = f.NewUnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = accounts.create_unit(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{unit.name} is added.")
            return redirect("administration:units")
    context = {"form": form, "tree": queries.unit_tree(actor=request.user)}
    return render(request, T + "units.html", context, status=400 if form.errors else 200)


def _unit_page(request, unit, status=200, **forms) -> HttpResponse:
    context = {
        "unit": unit,
        "rename_form": forms.get("rename_form") or f.RenameUnitForm(initial={"name": unit.name}),
        "move_form": forms.get("move_form") or f.MoveUnitForm(initial={"parent": unit.parent_id}),
        "history": list(history_of(unit, actor=request.user)[:50]),
        "has_children": unit.children.exists(),
    }
    return render(request, T + "unit.html", context, status=status)


@no_personal_data("one unit: its name, place in the tree and history")
@require_http_methods(["GET", "POST"])
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _allowed(request)
    unit = get_object_or_404(Unit.objects.select_related("parent"), pk=pk)
    if request.method == "GET":
        return _unit_page(request, unit)
    form = f.RenameUnitForm(request.POST)
    if form.is_valid():
        try:
            accounts.rename_unit(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "The unit is renamed.")
            return redirect("administration:unit", pk=pk)
    return _unit_page(request, unit, status=400, rename_form=form)


@no_personal_data("moves a unit within the force's tree")
@require_POST
def unit_move(request: HttpRequest, pk: int) -> HttpResponse:
    _allowed(request)
    unit = get_object_or_404(Unit.objects.select_related("parent"), pk=pk)
    form = f.MoveUnitForm(request.POST)
    if form.is_valid():
        try:
            accounts.move_unit(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{unit.name} is now in {form.cleaned_data['parent']}.")
            return redirect("administration:unit", pk=pk)
    return _unit_page(request, unit, status=400, move_form=form)


urlpatterns = [
    path("administration/units/", units, name="units"),
    path("administration/units/<int:pk>/", unit_detail, name="unit"),
    path("administration/units/<int:pk>/move/", unit_move, name="unit-move"),
]
