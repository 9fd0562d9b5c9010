"""Signing in as every role, restricted records, and the phone-width layout, in Chromium."""

import re

import pytest

from bluelamp.accounts.roles import Role
from bluelamp.synth.demo import DEMO_USERS

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(("username", "role"), [(u, r) for u, r, *_ in DEMO_USERS])
def test_each_role_signs_in_with_totp_and_sees_its_home(sign_in_as, username, role):
    page = sign_in_as(username)
    if role in (Role.AUDITOR, Role.ANALYST):
        page.get_by_label("Purpose").fill("Monthly compliance audit")
        page.get_by_role("button", name="Continue").click()
    title = page.get_by_test_id("home-title")
    assert title.inner_text() == f"{Role(role).label}: what is waiting for you"
    assert role.label in page.get_by_test_id("who").inner_text()
    page.context.close()


def test_restricted_record_exists_only_for_those_with_access(sign_in_as, served_app):
    investigator = sign_in_as("investigator")
    restricted = investigator.locator("tr", has_text="restricted").first
    link = restricted.get_by_role("link")
    reference = link.inner_text()
    link.click()
    assert investigator.get_by_test_id("record-title").inner_text() == reference
    assert "Victim is a member of staff" in investigator.content()
    url = investigator.url
    investigator.context.close()

    outsider = sign_in_as("response")
    response = outsider.goto(url)
    assert response.status == 404
    assert "There is no record here" in outsider.content()
    outsider.goto(f"{served_app}/search/?q={reference}")
    assert "No records found" in outsider.get_by_test_id("result-count").inner_text()
    assert reference not in outsider.locator("main ul").all_inner_texts()
    outsider.goto("/")
    assert reference not in outsider.locator("main").inner_text()
    outsider.context.close()


def test_pages_fit_a_phone_screen(sign_in_as):
    page = sign_in_as("sergeant", width=375, height=740)
    for path in ("/", "/search/?q=PR1", "/people/new/", "/people/enter/", "/people/find/"):
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 375, f"{path} scrolls sideways at 375 px ({overflow} px)"
    page.goto("/people/new/")
    page.get_by_role("button", name="Save person").click()
    summary = page.get_by_role("alert")
    assert re.search(r"family name", summary.inner_text(), re.IGNORECASE)
    page.context.close()


def test_no_request_leaves_the_machine(sign_in_as, served_app):
    page = sign_in_as("handler")
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/")
    page.goto("/search/?q=Smith")
    assert requested
    assert all(url.startswith(served_app) for url in requested), requested
    page.context.close()
