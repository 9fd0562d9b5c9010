"""Template context shared by every page: the force's name and what the user may reach."""

from django.conf import settings

from bluelamp.accounts.permissions import can
from bluelamp.ui.navigation import links_for


def navigation(request):
    user = getattr(request, "user", None)
    # API callers signed in by token have no OTP state, and no pages to navigate.
    is_verified = getattr(user, "is_verified", None)
    signed_in = bool(user and user.is_authenticated and is_verified and is_verified())
    return {
        "force_name": settings.BLUELAMP_FORCE_NAME,
        "signed_in": signed_in,
        # Features offer their pages (ui.navigation.register_nav_link); the role decides.
        "nav_links": links_for(user) if signed_in else [],
        "can_search": signed_in and can(user, "search"),
    }
