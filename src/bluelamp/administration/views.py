"""The administration pages: staff accounts (find, add with a second factor, change, disable
and enable, lift a lockout, a new sign-in), their API tokens, and access to restricted records.
The force's units are in unit_views.py. Thin views: parse, check the role (a refusal worded for
people), call a service or query, render. Only administrators (user.manage) reach them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bluelamp.accounts import services as accounts
from bluelamp.accounts import staff
from bluelamp.accounts.models import AccessGrant, ApiToken
from bluelamp.accounts.permissions import can
from bluelamp.core import restriction
from bluelamp.core.forms import apply_errors
from bluelamp.ui.access import no_personal_data, personal_data
from bluelamp.ui.extensions import user_panels

from . import enrolment, queries
from . import forms as f
from .unit_views import urlpatterns as unit_urls

T = "administration/"

REFUSALS = {
    "user.manage": "Only administrators look after staff accounts.",
    "unit.manage": "Only administrators change the force's units.",
    "access.revoke": "Only administrators withdraw access to restricted records.",
}


def allowed(request: HttpRequest, action: str) -> None:
    """Refuses, in words a person understands, before any service is asked."""
    if not can(request.user, action):
        raise PermissionDenied(REFUSALS[action])


@no_personal_data("counts of accounts, units, tokens and grants; no one is named")
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    allowed(request, "user.manage")
    counts = queries.account_counts(actor=request.user)
    return render(request, T + "home.html", {"counts": counts})


@personal_data("user")
@require_GET
def users(request: HttpRequest) -> HttpResponse:
    allowed(request, "user.manage")
    form = f.UserSearchForm(request.GET or None)
    found = queries.UserFilter()
    if form.is_valid():
        found = queries.UserFilter(**form.cleaned_data)
    rows, total, locked = queries.find_users(actor=request.user, found=found)
    context = {"form": form, "rows": rows, "total": total, "locked": locked, "page": queries.PAGE}
    return render(request, T + "users.html", context, status=400 if form.errors else 200)


def _enrolment(request: HttpRequest, enrolled: staff.Enrolment, title: str) -> HttpResponse:
    return render(
        request,
        T + "enrolment.html",
        {
            "title": title,
            "enrolled": enrolled,
            "secret": enrolment.secret_text(enrolled.device),
            "qr": enrolment.qr_code(enrolled.device),
        },
    )


@personal_data("user")
@require_http_methods(["GET", "POST"])
def user_add(request: HttpRequest) -> HttpResponse:
    allowed(request, "user.manage")
    form = f.NewAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolled = staff.add_user(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _enrolment(request, enrolled, "Account added")
    return render(request, T + "user_form.html", {"form": form}, status=400 if form.errors else 200)


def _detail(request: HttpRequest, pk: int, status: int = 200, **forms) -> HttpResponse:
    found = queries.account(actor=request.user, pk=pk)
    context = {
        "account": found,
        "person": found.user,
        "disable_form": forms.get("disable_form") or f.DisableForm(),
        "token_form": forms.get("token_form") or f.TokenForm(),
        "panels": user_panels(request.user, found.user),
        "now": timezone.now(),
    }
    return render(request, T + "user.html", context, status=status)


@personal_data("user")
@require_GET
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    allowed(request, "user.manage")
    return _detail(request, pk)


@personal_data("user")
@require_http_methods(["GET", "POST"])
def user_change(request: HttpRequest, pk: int) -> HttpResponse:
    allowed(request, "user.manage")
    user = queries.account(actor=request.user, pk=pk).user
    initial = {name: getattr(user, name) for name in f.AccountForm.base_fields}
    form = f.AccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            staff.change_user(actor=request.user, user=user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{user.username}'s account is changed.")
            return redirect("administration:user", pk=pk)
    context = {"form": form, "person": user}
    return render(request, T + "user_form.html", context, status=400 if form.errors else 200)


@personal_data("user")
@require_POST
def user_disable(request: HttpRequest, pk: int) -> HttpResponse:
    allowed(request, "user.manage")
    user = queries.account(actor=request.user, pk=pk).user
    form = f.DisableForm(request.POST)
    if form.is_valid():
        try:
            staff.disable_user(actor=request.user, user=user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{user.username} can no longer sign in or use the API.")
            return redirect("administration:user", pk=pk)
    return _detail(request, pk, status=400, disable_form=form)


def _one_step(request: HttpRequest, pk: int, step, done: str) -> HttpResponse:
    """A write with nothing to fill in (enable, unlock): done, or the reason it cannot be."""
    user = queries.account(actor=request.user, pk=pk).user
    try:
        step(actor=request.user, user=user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, done.format(user=user.username))
    return redirect("administration:user", pk=pk)


@personal_data("user")
@require_POST
def user_enable(request: HttpRequest, pk: int) -> HttpResponse:
    allowed(request, "user.manage")
    return _one_step(request, pk, staff.enable_user, "{user} may sign in again.")


@personal_data("user")
@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    allowed(request, "user.manage")
    return _one_step(request, pk, staff.unlock_user, "{user} may sign in now.")


@personal_data("user")
@require_POST
def user_new_sign_in(request: HttpRequest, pk: int) -> HttpResponse:
    allowed(request, "user.manage")
    user = queries.account(actor=request.user, pk=pk).user
    try:
        enrolled = staff.reset_sign_in(actor=request.user, user=user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("administration:user", pk=pk)
    return _enrolment(request, enrolled, "New sign-in issued")


@personal_data("user")
@require_POST
def token_issue(request: HttpRequest, pk: int) -> HttpResponse:
    allowed(request, "user.manage")
    user = queries.account(actor=request.user, pk=pk).user
    form = f.TokenForm(request.POST)
    if form.is_valid():
        try:
            token = accounts.issue_api_token(actor=request.user, user=user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            context = {"person": user, "token": token, "form": form}
            return render(request, T + "token.html", context)
    return _detail(request, pk, status=400, token_form=form)


@personal_data("api_token")
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    allowed(request, "user.manage")
    token = get_object_or_404(ApiToken, pk=pk)
    try:
        accounts.revoke_api_token(actor=request.user, token=token)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, f"The token “{token.name}” no longer works.")
    return redirect("administration:user", pk=token.user_id)


@personal_data("user")
@require_GET
def access(request: HttpRequest) -> HttpResponse:
    allowed(request, "access.revoke")
    holder = f.user_choice(request.GET.get("user"))
    rows = queries.grants(actor=request.user, holder=holder)
    return render(request, T + "access.html", {"rows": rows, "holder": holder})


@personal_data("access_grant")
@require_POST
def grant_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    allowed(request, "access.revoke")
    grant = AccessGrant.objects.filter(pk=pk).select_related("user", "content_type").first()
    if grant is None:
        messages.error(request, "That access has already been withdrawn.")
        return redirect("administration:access")
    label = restriction.grant_label(grant)
    try:
        restriction.revoke_access(actor=request.user, grant=grant)
    except ValidationError as error:  # withdrawn meanwhile by someone else
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{grant.user.username} no longer has access to {label.lower()}.")
    back = request.POST.get("back") == "user"
    return (
        redirect("administration:user", pk=grant.user_id)
        if back
        else redirect("administration:access")
    )


urlpatterns = [
    path("administration/", home, name="home"),
    path("administration/users/", users, name="users"),
    path("administration/users/new/", user_add, name="user-add"),
    path("administration/users/<int:pk>/", user_detail, name="user"),
    path("administration/users/<int:pk>/change/", user_change, name="user-change"),
    path("administration/users/<int:pk>/disable/", user_disable, name="user-disable"),
    path("administration/users/<int:pk>/enable/", user_enable, name="user-enable"),
    path("administration/users/<int:pk>/unlock/", user_unlock, name="user-unlock"),
    path("administration/users/<int:pk>/sign-in/", user_new_sign_in, name="user-new-sign-in"),
    path("administration/users/<int:pk>/tokens/", token_issue, name="token-issue"),
    path("administration/tokens/<int:pk>/revoke/", token_revoke, name="token-revoke"),
    path("administration/access/", access, name="access"),
    path("administration/access/<int:pk>/revoke/", grant_revoke, name="grant-revoke"),
    *unit_urls,
]
