"""Template context shared by every page: the force's name and what the user may reach."""

from django.conf import settings

from bluelamp.accounts.permissions import can


def navigation(request):
    user = getattr(request, "user", None)
    # API callers signed in by token have no OTP state, and no pages to navigate.
    is_verified = getattr(user, "is_verified", None)
    signed_in = bool(user and user.is_authenticated and is_verified and is_verified())
    return {
        "force_name": settings.BLUELAMP_FORCE_NAME,
        "signed_in": signed_in,
        "nav": {
            "search": signed_in and can(user, "search"),
            "duplicates": signed_in and can(user, "people.review"),
            "duties": signed_in and can(user, "duty.view_own"),
            "record": signed_in and can(user, "event.create"),
            "audit": signed_in and can(user, "audit.view"),
            "take_call": signed_in and can(user, "call.record"),
            "control_room": signed_in and can(user, "control_room.view"),
            "crime": signed_in and can(user, "crime.record"),
            "qa": signed_in and can(user, "crime.qa_check"),
        },
    }
