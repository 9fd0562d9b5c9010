"""Puts the client address and the session's stated purpose into the audit context, and audits
refused requests for personal data: a page or API operation that answers 403 or 404 to a
signed-in user writes a 'refused' event, so asking for what one may not see is on the record
too (a restricted record is a 404: the refusal row is how an auditor finds who tried)."""

import inspect

from bluelamp.ui.access import NOT_PERSONAL, PERSONAL, access_of

from .context import acting
from .models import Action
from .services import record

PURPOSE_SESSION_KEY = "bluelamp_purpose"
_REFUSALS = {403, 404}


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = "api" if request.path.startswith("/api/") else "web"
        purpose = request.headers.get("X-Purpose", "") or request.session.get(
            PURPOSE_SESSION_KEY, ""
        )
        with acting(
            client_address=request.META.get("REMOTE_ADDR", ""),
            purpose=purpose[:500],
            channel=channel,
        ):
            response = self.get_response(request)
            if response.status_code in _REFUSALS:
                record_refusal(request, response.status_code)
            return response


def record_refusal(request, status: int) -> None:
    """A 'refused' event for a 403 or 404 from a page or API operation on personal data, asked
    by a signed-in user. Unknown URLs and pages that touch no personal data are left out."""
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    if user is None or not user.is_authenticated or match is None:
        return
    if request.path.startswith("/api/"):
        if _operation_access(match.func, request.method) == NOT_PERSONAL:
            return
        record_type, record_id = _api_record(match.kwargs)
    else:
        if access_of(match.func) != PERSONAL:
            return
        record_type = _declared(match.func, "bluelamp_record_type") or ""
        record_id = match.kwargs.get("pk", next(iter(match.kwargs.values()), ""))
    record(
        actor=user,
        action=Action.REFUSED,
        record_type=record_type[:60],
        record_id=str(record_id)[:64],
        label=f"{request.method} {request.path}"[:200],
        detail={"status": status, "method": request.method, "path": request.path[:300]},
    )


def _declared(view, attribute: str):
    for candidate in (view, getattr(view, "view_class", None), getattr(view, "__wrapped__", None)):
        if candidate is not None and hasattr(candidate, attribute):
            return getattr(candidate, attribute)
    return None


def _operation_access(view, method: str) -> str:
    """The operation's access declaration (``openapi_extra={"x-bluelamp-access": ...}``, as in
    the OpenAPI document the coverage test reads). Django Ninja routes a path to one view that
    closes over its PathView, whose operations say what each method runs. Anything not found
    counts as personal: a refusal too many is better than one missed."""
    try:
        path_view = inspect.getclosurevars(view).nonlocals.get("self")
    except TypeError:
        return PERSONAL
    for operation in getattr(path_view, "operations", ()):
        if method in operation.methods:
            return (operation.openapi_extra or {}).get("x-bluelamp-access", PERSONAL)
    return PERSONAL


def _api_record(kwargs: dict) -> tuple[str, str]:
    """The record a path names: ``/api/people/{person_id}`` is person 12."""
    for name, value in kwargs.items():
        if name.endswith("_id"):
            return name.removesuffix("_id"), str(value)
    return "", ""


class PurposeRequiredMiddleware:
    """Sends a web user who must state a purpose to the purpose page, then back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.shortcuts import redirect
        from django.utils.http import urlencode

        from .services import PurposeRequired

        if isinstance(exception, PurposeRequired) and not request.path.startswith("/api/"):
            return redirect(f"/purpose/?{urlencode({'next': request.get_full_path()})}")
        return None
