"""The JSON API: one NinjaAPI that every feature adds its router to. OpenAPI at
/api/openapi.json. Errors are JSON naming the field: 401, 403, 404, 422 - never a 500."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from bluelamp.accounts.services import user_for_token
from bluelamp.audit.services import PurposeRequired


class SessionAuth(APIKeyCookie):
    """A signed-in browser session that has passed the second factor (CSRF checked on writes)."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_verified():
            return user
        return None


class TokenAuth(HttpBearer):
    """A bearer token issued with ``bluelamp token``."""

    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


def signed_in_only(view):
    """/api/docs and /api/openapi.json for signed-in callers only (issue 14): the document names
    nothing personal, but it maps every operation on the records, which is no one else's
    business. A browser is sent to sign in; anything else gets the API's 401."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs):
        if SessionAuth().authenticate(request, None) is None:
            kind, _, token = request.headers.get("Authorization", "").partition(" ")
            if kind.lower() != "bearer" or TokenAuth().authenticate(request, token) is None:
                if request.path.endswith("/docs"):
                    return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
                return JsonResponse({"detail": "Sign in or send a bearer token."}, status=401)
        return view(request, *args, **kwargs)

    return guarded


api = NinjaAPI(
    title="bluelamp API",
    version="1",
    description="Records for a police force. Every read and write of personal data is audited.",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_decorator=signed_in_only,
)


def _detail(where: str, field: str, message: str) -> dict:
    return {"loc": [where, field], "msg": message, "type": "value_error"}


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    where = "query" if request.method == "GET" else "body"
    if hasattr(exc, "error_dict"):
        details = [_detail(where, f, m) for f, msgs in exc.message_dict.items() for m in msgs]
    else:
        details = [_detail(where, "__all__", m) for m in exc.messages]
    return api.create_response(request, {"detail": details}, status=422)


@api.exception_handler(NinjaValidationError)
def schema_error(request, exc: NinjaValidationError):
    return api.create_response(request, {"detail": exc.errors}, status=422)


@api.exception_handler(PurposeRequired)
def purpose_required(request, exc: PurposeRequired):
    message = f"{exc} Send it in the X-Purpose header."
    return api.create_response(request, {"detail": message}, status=403)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc: PermissionDenied):
    return api.create_response(request, {"detail": str(exc) or "Not allowed."}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(AuthenticationError)
def unauthorised(request, exc):
    return api.create_response(request, {"detail": "Sign in or send a bearer token."}, status=401)


def _register_routers() -> None:
    from bluelamp.audit.api import router as audit_router
    from bluelamp.contact.api import router as contact_router
    from bluelamp.core.api import router as core_router
    from bluelamp.crime.api import router as crime_router
    from bluelamp.crime.crime_api import router as crimes_router
    from bluelamp.crime.investigation.api import router as investigation_router
    from bluelamp.duties.api import router as duties_router
    from bluelamp.missing.api import router as missing_router
    from bluelamp.people.api import router as people_router
    from bluelamp.protection.api import router as protection_router
    from bluelamp.protection.dvds_api import router as dvds_router
    from bluelamp.protection.order_api import router as dvpn_router
    from bluelamp.safeguarding.api import router as safeguarding_router
    from bluelamp.victims.api import router as victims_router

    api.add_router("/", people_router)  # before core's /people/{person_id}
    api.add_router("/", core_router)
    api.add_router("/", crime_router)
    api.add_router("/", investigation_router)
    api.add_router("/", crimes_router)
    api.add_router("/", duties_router)
    api.add_router("/", contact_router)
    api.add_router("/", victims_router)
    api.add_router("/", safeguarding_router)
    api.add_router("/", protection_router)
    api.add_router("/", dvpn_router)
    api.add_router("/", dvds_router)
    api.add_router("/", missing_router)
    api.add_router("/audit", audit_router)


_register_routers()
