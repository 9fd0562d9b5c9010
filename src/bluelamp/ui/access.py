"""Every page declares what it touches, so nothing reaches personal data unnoticed.

``@public`` pages need no sign-in (sign-in itself). Every other page needs a signed-in user who
has passed the second factor (``SignInRequiredMiddleware``), and declares either
``@personal_data("person")`` - it reads or writes personal data and so must write an audit event,
which the audit-coverage test checks - or ``@no_personal_data("why")``. A page with no
declaration is refused at run time and fails the test suite.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse

PUBLIC = "public"
PERSONAL = "personal"
NOT_PERSONAL = "not_personal"


def public(view: Callable) -> Callable:
    view.bluelamp_access = PUBLIC
    return view


def personal_data(record_type: str) -> Callable[[Callable], Callable]:
    def mark(view: Callable) -> Callable:
        view.bluelamp_access = PERSONAL
        view.bluelamp_record_type = record_type
        return view

    return mark


def no_personal_data(reason: str) -> Callable[[Callable], Callable]:
    def mark(view: Callable) -> Callable:
        view.bluelamp_access = NOT_PERSONAL
        view.bluelamp_reason = reason
        return view

    return mark


def access_of(view: Callable) -> str | None:
    for candidate in (view, getattr(view, "view_class", None), getattr(view, "__wrapped__", None)):
        if candidate is not None and hasattr(candidate, "bluelamp_access"):
            return candidate.bluelamp_access
    return None


class SignInRequiredMiddleware:
    """Deny by default: only pages marked @public are reachable without a verified sign-in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if request.path.startswith(("/api/", f"/{settings.STATIC_URL}")):
            return None  # the API authenticates each operation itself
        access = access_of(view_func)
        if access == PUBLIC:
            return None
        if access is None:
            raise RuntimeError(f"{view_func.__module__}.{view_func.__name__} declares no access")
        user = request.user
        if not (user.is_authenticated and user.is_verified()):
            return redirect(f"{reverse('accounts:sign-in')}?next={request.get_full_path()}")
        return None
