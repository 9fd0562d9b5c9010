"""Puts the client address and the session's stated purpose into the audit context."""

from .context import acting

PURPOSE_SESSION_KEY = "bluelamp_purpose"


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
            return self.get_response(request)


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
