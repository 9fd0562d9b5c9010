"""Sign-in in two steps (password, then a TOTP code), sign-out, and the lockout page."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib import auth
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.ui.access import public

from .models import User
from .services import totp_device

PENDING = "bluelamp_pending_user"


class PasswordForm(forms.Form):
    username = forms.CharField(
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class CodeForm(forms.Form):
    code = forms.RegexField(
        regex=r"^\s*\d{6}\s*$",
        label="Six-digit code",
        error_messages={"invalid": "Enter the six digits from your app."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def locked_out(request: HttpRequest, credentials=None, *args, **kwargs) -> HttpResponse:
    request.session.pop(PENDING, None)
    return render(request, "accounts/locked.html", status=403)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


@public
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = auth.authenticate(
            request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        if user is None:
            audit.record(
                actor=None,
                action=Action.SIGN_IN_FAILED,
                record_type="user",
                label=form.cleaned_data["username"][:200],
                detail={"step": "password"},
            )
            form.add_error(None, "The username or password is not right.")
        else:
            request.session.cycle_key()
            request.session[PENDING] = user.pk
            return redirect(f"/sign-in/code/?next={_next_url(request)}")
    return render(
        request,
        "accounts/sign_in.html",
        {"form": form, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


@public
@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    user = User.objects.filter(pk=request.session.get(PENDING), is_active=True).first()
    if user is None:
        return redirect("accounts:sign-in")
    credentials = {"username": user.username}
    if AxesProxyHandler.is_locked(request, credentials):
        return locked_out(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = totp_device(user)
        if device is not None and device.verify_token(form.cleaned_data["code"].strip()):
            del request.session[PENDING]
            auth.login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            audit.record(
                actor=user,
                action=Action.SIGN_IN,
                record_type="user",
                record_id=user.pk,
                label=user.username,
            )
            return redirect(_next_url(request))
        # A wrong code counts towards the same lockout as a wrong password.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        audit.record(
            actor=None,
            action=Action.SIGN_IN_FAILED,
            record_type="user",
            record_id=user.pk,
            label=user.username,
            detail={"step": "code"},
        )
        if AxesProxyHandler.is_locked(request, credentials):
            return locked_out(request)
        form.add_error("code", "That code is not right, or has expired. Try the current one.")
    return render(
        request,
        "accounts/sign_in_code.html",
        {"form": form, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


@public
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit.record(
            actor=request.user,
            action=Action.SIGN_OUT,
            record_type="user",
            record_id=request.user.pk,
            label=request.user.username,
        )
    auth.logout(request)
    return redirect("accounts:sign-in")


app_name = "accounts"
urlpatterns = [
    path("sign-in/", sign_in, name="sign-in"),
    path("sign-in/code/", sign_in_code, name="sign-in-code"),
    path("sign-out/", sign_out, name="sign-out"),
]
