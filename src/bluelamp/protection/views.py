"""Pages for protection/: Operation Encompass notices (the queue and one notice, with its
delivery and the phone fallback). Thin: parse, call a service, render."""

from __future__ import annotations

from django import forms
from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from bluelamp.accounts.permissions import can
from bluelamp.core.forms import apply_errors
from bluelamp.duties.registry import POLICIES
from bluelamp.duties.services import duties_for
from bluelamp.ui.access import personal_data

from . import encompass
from .dvds_views import urlpatterns as dvds_urls
from .models import NoticeStatus
from .order_views import urlpatterns as order_urls


class ConfirmForm(forms.Form):
    spoke_to = forms.CharField(max_length=200, label="Who you spoke to (name and role)")
    note = forms.CharField(
        max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


@personal_data("encompass")
def notices(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in NoticeStatus.values:
        status = ""
    rows = list(encompass.list_notices(actor=request.user, status=status)[:200])
    return render(
        request,
        "protection/encompass_list.html",
        {"rows": rows, "status": status, "statuses": NoticeStatus.choices},
    )


def _render_notice(request, notice, form=None, status=200) -> HttpResponse:
    duties = list(duties_for(notice).order_by("due_at"))
    for duty in duties:
        policy = POLICIES.get(duty.policy)
        duty.title = policy.title if policy else duty.policy
    message = notice.message
    return render(
        request,
        "protection/encompass_notice.html",
        {
            "notice": notice,
            "duties": duties,
            "attempts": list(message.delivery_attempts.all()) if message else [],
            "form": form or (ConfirmForm() if can(request.user, "encompass.confirm") else None),
        },
        status=status,
    )


@personal_data("encompass")
def notice_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_notice(request, encompass.view_notice(actor=request.user, pk=pk))


@personal_data("encompass")
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    notice = encompass.view_notice(actor=request.user, pk=pk)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            encompass.record_phone_confirmation(
                actor=request.user, notice=notice, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            flash.success(request, "Phone call recorded.")
            return redirect("protection:encompass-notice", pk=pk)
    return _render_notice(request, notice, form=form, status=400)


urlpatterns = [
    *order_urls,
    *dvds_urls,
    path("encompass/", notices, name="encompass"),
    path("encompass/<int:pk>/", notice_page, name="encompass-notice"),
    path("encompass/<int:pk>/confirm/", confirm, name="encompass-confirm"),
]
