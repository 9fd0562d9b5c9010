"""Security headers on every answer the application itself gives (issue 14).

Static files are answered by WhiteNoise before this runs, with its own caching headers: they
carry nothing personal. Everything else - pages, API answers, redirects, errors - gets:

- ``Content-Security-Policy`` (``settings.CONTENT_SECURITY_POLICY``): scripts, styles, images and
  fonts from this server only; no inline script or style, no plugins, not framed, forms post
  only here. A script injected into a record (a name, a note) cannot run.
- ``Cache-Control: no-store`` (and Django's other never-cache headers): a page or API answer
  may carry personal data, which must not stay in a shared or browser cache after sign-out.
  Sign-in and the victim portal's pages included: simpler than deciding page by page, and
  nothing here is worth caching.

HSTS, ``nosniff`` and the referrer policy come from Django's SecurityMiddleware (settings.py).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.cache import add_never_cache_headers


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.policy)
        if "no-store" not in response.get("Cache-Control", ""):  # a view may have said it already
            add_never_cache_headers(response)
        return response
