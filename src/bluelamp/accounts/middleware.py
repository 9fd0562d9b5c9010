"""Ends a signed-in session after a period of inactivity (default 30 minutes)."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout

LAST_SEEN = "bluelamp_last_seen"


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(LAST_SEEN, now)
            if now - last_seen > settings.SESSION_IDLE_TIMEOUT.total_seconds():
                logout(request)
                messages.info(request, "You were signed out after a period of inactivity.")
            else:
                request.session[LAST_SEEN] = now
        return self.get_response(request)
