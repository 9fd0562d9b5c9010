"""Every role's home page and the victim portal's pages pass axe-core with no violations, and on a
phone the navigation folds into a menu that takes a small part of the first screen (no script:
a <details> menu, open on wider screens)."""

import pytest
from playwright.sync_api import expect

from bluelamp.accounts.roles import Role
from bluelamp.synth.demo import DEMO_USERS

from .axe import violations

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 740}


@pytest.mark.parametrize(("username", "role"), [(u, r) for u, r, *_ in DEMO_USERS])
def test_every_roles_home_page_has_no_axe_violations(sign_in_as, username, role):
    page = sign_in_as(username)
    if role in (Role.AUDITOR, Role.ANALYST):
        assert violations(page) == []  # the purpose page first
        page.get_by_label("Purpose").fill("Monthly compliance audit")
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_test_id("home-title")).to_be_visible()  # waits for the page after a click
    assert violations(page) == []
    page.context.close()


def test_the_portal_pages_have_no_axe_violations(browser, served_app):
    page = browser.new_context(base_url=served_app, viewport=PHONE).new_page()
    page.goto("/track/")
    assert violations(page) == []
    # An unknown reference: the demo victim's own reference is left alone for her sign-in test.
    page.get_by_label("Crime reference").fill("LC-20200101-00001")
    page.get_by_label("Access code").fill("ABCD-EFGH-JKMN")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert violations(page) == []
    page.goto("/track/new-code/")
    assert violations(page) == []
    page.context.close()


def test_on_a_phone_the_navigation_is_a_menu_taking_little_of_the_screen(sign_in_as):
    page = sign_in_as("sergeant", **PHONE)
    header = page.locator("header.top").bounding_box()
    assert header["height"] < 0.15 * PHONE["height"], header
    duties = page.get_by_role("link", name="Duties", exact=True)
    assert not duties.is_visible()  # folded away
    page.locator("details.menu > summary").click()
    assert duties.is_visible()
    duties.click()
    page.wait_for_url("**/duties/")
    assert page.locator("h1").inner_text() == "My duties"
    assert violations(page) == []
    page.context.close()


def test_on_a_wide_screen_the_navigation_is_open_without_a_click(sign_in_as):
    page = sign_in_as("sergeant")
    assert page.get_by_role("link", name="Duties", exact=True).is_visible()
    assert not page.locator("details.menu > summary").is_visible()
    page.context.close()
