"""Issue 14 in Chromium: under the Content-Security-Policy (no inline script or style) the staff
pages, the API docs (Swagger UI, from our own static files) and the victim portal still work and
look as they should, and the browser reports no violation."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def _violations(page) -> list[str]:
    seen: list[str] = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return seen


def test_staff_pages_and_api_docs_run_under_the_policy(sign_in_as):
    page = sign_in_as("qa")
    seen = _violations(page)
    response = page.goto("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "no-store" in response.headers["cache-control"]
    page.goto("/api/docs")
    # Swagger UI is drawn by its script: it ran, and read the document with the session.
    page.locator(".swagger-ui .opblock").first.wait_for(timeout=20_000)
    assert page.locator(".swagger-ui .opblock").count() > 20
    assert not seen, seen
    page.context.close()


def test_the_victim_portal_keeps_its_styles_from_a_static_file(browser, served_app):
    context = browser.new_context(base_url=served_app)
    page = context.new_page()
    seen = _violations(page)
    response = page.goto("/track/")
    assert response.status == 200
    assert "style-src 'self'" in response.headers["content-security-policy"]
    header = page.locator("header").first
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(29, 63, 115)"
    assert not seen, seen
    context.close()
