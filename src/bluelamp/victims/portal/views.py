"""The victim's pages under /track/: sign in, their crime, contact preferences, a message to the
officer, a new code. Separate from staff pages: no staff sign-in is needed (so each page is
``@public`` to the staff middleware) and the victim's own session key, with its own idle timeout,
is checked here. A crime reference other than the victim's own is a 404."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from bluelamp.core.choices import ContactChannel
from bluelamp.core.forms import apply_errors
from bluelamp.duties.deadlines import LONDON
from bluelamp.ui.access import public

from . import access, limits, services, signing_in
from .staff_views import staff_urlpatterns

SESSION_KEY = "victim_portal"  # never the staff user's keys: the two sign-ins are separate
PENDING_KEY = "victim_portal_pending"  # right access code, waiting for the texted code


class DateOfBirthFields(forms.Form):
    dob_required = True
    dob_day = forms.IntegerField(label="Day", min_value=1, max_value=31, required=False)
    dob_month = forms.IntegerField(label="Month", min_value=1, max_value=12, required=False)
    dob_year = forms.IntegerField(label="Year", min_value=1900, max_value=2100, required=False)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        parts = [data.get("dob_day"), data.get("dob_month"), data.get("dob_year")]
        data["date_of_birth"] = None
        if all(p is None for p in parts) and not self.dob_required:
            return data
        for name, part in zip(("dob_day", "dob_month", "dob_year"), parts, strict=True):
            if part is None:
                self.add_error(name, "Enter the day, month and year of your date of birth.")
                return data
        try:
            data["date_of_birth"] = dt.date(data["dob_year"], data["dob_month"], data["dob_day"])
        except ValueError:
            self.add_error("dob_day", "That date does not exist.")
        return data


class SignInForm(DateOfBirthFields):
    # Blank when no date of birth is recorded: the second check is then a texted code.
    dob_required = False
    reference = forms.CharField(label="Crime reference", max_length=24)
    code = forms.CharField(label="Access code", max_length=30)
    field_order = ["reference", "code", "dob_day", "dob_month", "dob_year"]


class PhoneCheckForm(forms.Form):
    phone_code = forms.CharField(label="Code from the text message", max_length=10)


class NewCodeForm(DateOfBirthFields):
    reference = forms.CharField(label="Crime reference", max_length=24)
    field_order = ["reference", "dob_day", "dob_month", "dob_year"]


class PreferencesForm(forms.Form):
    channel = forms.ChoiceField(
        label="How should we contact you?",
        choices=[(c.value, c.label) for c in services.VICTIM_CHANNELS],
        widget=forms.RadioSelect,
    )
    email = forms.CharField(label="Email address", max_length=254, required=False)
    phone = forms.CharField(label="Phone number", max_length=30, required=False)
    update_every_days = forms.IntegerField(
        label="How often would you like an update? (days)", required=False
    )
    times_to_avoid = forms.CharField(label="Times to avoid", max_length=200, required=False)
    do_not_contact = forms.BooleanField(label="Please do not contact me", required=False)


class MessageForm(forms.Form):
    text = forms.CharField(
        label="Your message to the officer",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _portal_victim(request: HttpRequest):
    """The victim signed in to this browser's portal session, or None (idle too long: signed
    out)."""
    data = request.session.get(SESSION_KEY)
    if not data:
        return None
    now = time.time()
    if now - data.get("last_seen", 0) > settings.BLUELAMP_PORTAL_IDLE_MINUTES * 60:
        del request.session[SESSION_KEY]
        messages.info(request, "You were signed out after a period of inactivity.")
        return None
    request.session[SESSION_KEY] = {**data, "last_seen": now}
    return services.victim_record_for(data["victim"])


def victim_page(view: Callable) -> Callable:
    """A portal page: needs the victim's own sign-in (not a staff one) and their own crime."""

    @wraps(view)
    def wrapped(request, reference: str, *args, **kwargs):
        victim = _portal_victim(request)
        if victim is None:
            return redirect("victim_portal:sign-in")
        if reference != victim.crime.reference:
            # Another crime does not exist for this victim: the same 404 as a made-up reference.
            return _render(request, "not_found.html", {"victim": victim}, status=404)
        return view(request, victim, *args, **kwargs)

    return public(wrapped)


def _render(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, f"portal/{template}", context, status=status)


@public
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    victim = _portal_victim(request)
    if victim is not None:
        return redirect("victim_portal:crime", reference=victim.crime.reference)
    form = SignInForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = signing_in.sign_in(
            reference=form.cleaned_data["reference"],
            code=form.cleaned_data["code"],
            date_of_birth=form.cleaned_data["date_of_birth"],
            client_address=limits.client_address(request),
        )
        if result.victim_record is not None:
            return _signed_in(request, result.victim_record)
        if result.phone_check is not None:
            request.session[PENDING_KEY] = {"code": result.phone_check.pk, "at": time.time()}
            return redirect("victim_portal:phone-check")
    return _answer(request, "sign_in.html", form, result)


def _answer(request: HttpRequest, template: str, form, result) -> HttpResponse:
    """The page again, with what was not right (never which part) or, after too many tries,
    when to try again (never whether for the reference or the connection)."""
    if result is not None and result.error and result.error != signing_in.TOO_MANY:
        form.add_error(None if template == "sign_in.html" else "phone_code", result.error)
    wait = result.try_again_at if result is not None else None
    context = {"form": form, "try_again_at": wait.astimezone(LONDON) if wait else None}
    status = 200 if request.method == "GET" else (429 if wait else 400)
    response = _render(request, template, context, status)
    if wait:
        seconds = max(1, int((wait - timezone.now()).total_seconds()))
        response["Retry-After"] = str(seconds)
    return response


def _signed_in(request: HttpRequest, victim) -> HttpResponse:
    request.session.cycle_key()  # a new session id at sign-in: no fixation
    request.session.pop(PENDING_KEY, None)
    request.session[SESSION_KEY] = {"victim": victim.pk, "last_seen": time.time()}
    return redirect("victim_portal:crime", reference=victim.crime.reference)


@public
@require_http_methods(["GET", "POST"])
def phone_check(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING_KEY)
    limit = settings.BLUELAMP_PORTAL_PHONE_CODE_MINUTES * 60
    if not pending or time.time() - pending["at"] > limit:
        request.session.pop(PENDING_KEY, None)
        return redirect("victim_portal:sign-in")
    form = PhoneCheckForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = signing_in.confirm_phone_check(
            access_code_id=pending["code"],
            phone_code=form.cleaned_data["phone_code"],
            client_address=limits.client_address(request),
        )
        if result.victim_record is not None:
            return _signed_in(request, result.victim_record)
    return _answer(request, "phone_check.html", form, result)


@public
@require_http_methods(["GET", "POST"])
def new_code(request: HttpRequest) -> HttpResponse:
    form = NewCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        signing_in.request_new_code(
            reference=form.cleaned_data["reference"],
            date_of_birth=form.cleaned_data["date_of_birth"],
            client_address=limits.client_address(request),
        )
        # The same answer whether or not a code went: nothing to learn by guessing.
        messages.info(
            request,
            "If those details match, a new code is on its way by the contact method you chose. "
            "If you do not receive it, call 101 and ask for the officer in charge.",
        )
        return redirect("victim_portal:sign-in")
    return _render(request, "new_code.html", {"form": form}, 400 if form.errors else 200)


@public
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    messages.info(request, "You have signed out of Track my crime.")
    return redirect("victim_portal:sign-in")


@victim_page
@require_http_methods(["GET", "POST"])
def crime(request: HttpRequest, victim) -> HttpResponse:
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.send_message(
                actor=access.actor_for(victim), victim=victim, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Your message has been sent to the officer.")
            return redirect("victim_portal:crime", reference=victim.crime.reference)
    context = {
        "victim": victim,
        "crime": services.crime_for_victim(victim=victim),
        "support": services.support_services(),
        "form": form,
        "now": timezone.now(),
    }
    return _render(request, "crime.html", context, 400 if form.errors else 200)


@victim_page
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest, victim) -> HttpResponse:
    current = services.preferences_of(victim=victim)
    form = PreferencesForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_preferences(
                actor=access.actor_for(victim), victim=victim, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Your contact preferences are saved.")
            return redirect("victim_portal:crime", reference=victim.crime.reference)
    context = {"victim": victim, "form": form, "phone_call": ContactChannel.PHONE}
    return _render(request, "preferences.html", context, 400 if form.errors else 200)


urlpatterns = [
    path("track/", sign_in, name="sign-in"),
    path("track/new-code/", new_code, name="new-code"),
    path("track/text-code/", phone_check, name="phone-check"),
    path("track/sign-out/", sign_out, name="sign-out"),
    path("track/crimes/<str:reference>/", crime, name="crime"),
    path("track/crimes/<str:reference>/preferences/", preferences, name="preferences"),
    *staff_urlpatterns,
]
