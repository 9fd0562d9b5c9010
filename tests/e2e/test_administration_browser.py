"""Issue 16's "done when", in Chromium: the administrator adds an officer with a role and a unit,
the officer signs in with the second factor the enrolment page showed, the administrator
disables them and they cannot sign in; the auditor finds every step in the audit log. The
synthetic force's officers are left out of the account list unless asked for."""

import base64
import re

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

USERNAME = "pc.walker"


def _code(secret: str) -> str:
    secret = secret.replace(" ", "")
    return f"{totp(base64.b32decode(secret + '=' * (-len(secret) % 8))):06d}"


def _sign_in(context, username: str, password: str, code: str | None):
    page = context.new_page()
    page.goto("/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()
    if code is not None:
        page.get_by_label("Six-digit code").fill(code)
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return page


def test_an_administrator_adds_an_officer_who_signs_in_and_once_disabled_cannot(
    sign_in_as, browser, served_app
):
    admin = sign_in_as("admin")
    admin.get_by_role("navigation", name="Main").get_by_role("link", name="Administration").click()
    admin.get_by_role("link", name="Staff accounts").click()
    assert "synth-" not in admin.get_by_test_id("users").inner_text()
    admin.get_by_label("Include the synthetic force's officers").check()
    admin.get_by_role("button", name="Find").click()
    assert "synth-" in admin.get_by_test_id("users").inner_text()

    admin.get_by_role("link", name="Add an account").first.click()
    admin.get_by_label("Username").fill(USERNAME)
    admin.get_by_label("First name").fill("Pat")
    admin.get_by_label("Last name").fill("Walker")
    admin.get_by_label("Collar or staff number").fill("6120")
    admin.get_by_label("Role").select_option(label="Investigator")
    admin.get_by_label("Unit").select_option(label="Preston CID (team)")
    admin.get_by_role("button", name="Add the account").click()
    expect(admin.get_by_role("img", name="QR code for the authenticator app")).to_be_visible()
    password = admin.get_by_test_id("enrolment-password").inner_text()
    secret = admin.get_by_test_id("enrolment-secret").inner_text()

    officer_context = browser.new_context(base_url=served_app)
    officer = _sign_in(officer_context, USERNAME, password, _code(secret))
    assert officer.get_by_test_id("home-title").inner_text() == (
        "Investigator: what is waiting for you"
    )
    assert "Pat Walker" in officer.get_by_test_id("who").inner_text()

    admin.get_by_role("link", name=f"Go to {USERNAME}'s account").click()
    account_url = admin.url
    user_id = re.search(r"/users/(\d+)/", account_url).group(1)
    assert "Preston CID" in admin.get_by_test_id("account").inner_text()
    admin.get_by_label("Why is the account disabled?").fill("Left the force")
    admin.get_by_role("button", name="Disable").click()
    assert admin.get_by_test_id("account-state").inner_text().startswith("Disabled")

    officer.reload()
    assert "/sign-in/" in officer.url  # the open session ended
    officer_context.close()
    again = _sign_in(browser.new_context(base_url=served_app), USERNAME, password, None)
    assert "The username or password is not right." in again.content()
    again.context.close()
    admin.context.close()

    auditor = sign_in_as("auditor")
    auditor.get_by_label("Purpose").fill("Checking a leaver's account")
    auditor.get_by_role("button", name="Continue").click()
    auditor.goto(f"/audit/?record_type=user&record_id={user_id}")
    rows = auditor.get_by_test_id("audit-rows").inner_text()
    for step in ("Created", "Signed in", "Changed"):
        assert step in rows, step
    assert "Ade Mills" in rows  # the administrator, by name
    auditor.goto("/audit/?record_type=user&action=sign_in_failed")
    assert USERNAME in auditor.get_by_test_id("audit-rows").inner_text()
    auditor.context.close()


def test_the_administration_pages_fit_a_phone(sign_in_as):
    page = sign_in_as("admin", width=375, height=740)
    for path in (
        "/administration/",
        "/administration/users/",
        "/administration/users/new/",
        "/administration/units/",
        "/administration/access/",
    ):
        assert page.goto(path).status == 200, path
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 375, f"{path} scrolls sideways at 375 px ({overflow} px)"
    page.goto("/administration/users/")
    page.get_by_test_id("users").get_by_role("link").first.click()
    expect(page.get_by_test_id("account-title")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 375, f"an account's page scrolls sideways ({overflow} px)"
    page.context.close()
