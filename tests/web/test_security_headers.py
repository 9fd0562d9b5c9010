"""Issue 14: a Content-Security-Policy with no inline script, no-store on everything that may
carry personal data, HSTS outside development, the API's docs for signed-in callers only, and
the development secret key refused unless development mode is asked for by name."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import bluelamp
from bluelamp.accounts.roles import Role
from bluelamp.accounts.services import issue_api_token

from ..conftest import sign_in

SRC = Path(bluelamp.__file__).resolve().parents[1]


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part
    }


@pytest.mark.parametrize("path", ["/", "/search/?q=Smith", "/people/new/", "/api/docs"])
def test_signed_in_pages_allow_only_this_servers_scripts_and_are_never_stored(
    client, make_user, path
):
    sign_in(client, make_user(Role.SUPERVISOR))
    response = client.get(path)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_api_answers_and_refusals_are_never_stored(client, make_user):
    token = issue_api_token(user=make_user(Role.SUPERVISOR), name="t")
    answer = client.get("/api/duties", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 200
    assert "no-store" in answer["Cache-Control"]
    refused = client.get("/api/duties")
    assert refused.status_code == 401
    assert "no-store" in refused["Cache-Control"]


def test_signed_out_pages_carry_the_policy_too(client):
    for path in ("/sign-in/", "/track/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert directives(response)["script-src"] == ["'self'"], path
        assert "no-store" in response["Cache-Control"], path


def test_static_files_are_left_to_whitenoise(client):
    response = client.get("/static/bluelamp/site.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_hsts_is_sent_over_https_when_configured(client, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    response = client.get("/sign-in/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get("/sign-in/")  # plain HTTP: never


# Inline script and style would be refused by the policy; event handler attributes
# (onclick=...) and javascript: URLs are inline script too.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"
    r"|<style\b|\sstyle=|\son[a-z]+\s*=|javascript:",
    re.I,
)


def test_no_template_has_inline_script_or_style():
    templates = list((SRC / "bluelamp").rglob("templates/**/*.html"))
    assert len(templates) > 50
    found = [
        f"{path.relative_to(SRC)}: {match.group(0)}"
        for path in templates
        for match in INLINE.finditer(path.read_text())
    ]
    assert not found, "move these to a static .js or .css file: " + "; ".join(found)


def test_the_api_docs_and_document_are_for_signed_in_callers_only(client, make_user):
    assert client.get("/api/openapi.json").status_code == 401
    docs = client.get("/api/docs")
    assert docs.status_code == 302
    assert docs["Location"].startswith("/sign-in/?next=/api/docs")
    forged = client.get("/api/openapi.json", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert forged.status_code == 401
    user = make_user(Role.INVESTIGATOR)
    token = issue_api_token(user=user, name="t")
    by_token = client.get("/api/openapi.json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert by_token.status_code == 200
    assert by_token.json()["info"]["title"] == "bluelamp API"
    sign_in(client, user)
    assert client.get("/api/openapi.json").status_code == 200


def _python(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """A fresh interpreter on this checkout's code, with none of the BLUELAMP_ variables the
    test suite runs with, and exactly these instead."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BLUELAMP_")}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    clean.update(env or {}, PYTHONPATH=str(SRC))
    return subprocess.run(
        [sys.executable, *args], env=clean, capture_output=True, text=True, check=False
    )


LOAD = "from bluelamp import settings as s; print(s.ENVIRONMENT, s.SECURE_HSTS_SECONDS)"
KEYS = {"BLUELAMP_SECRET_KEY": "x" * 50, "BLUELAMP_AUDIT_KEY": "y" * 40}


def test_the_development_secret_key_is_refused_unless_development_is_asked_for():
    unset = _python("-c", LOAD)
    assert unset.returncode != 0
    assert "ImproperlyConfigured" in unset.stderr
    assert "BLUELAMP_SECRET_KEY is not set" in unset.stderr
    blank = _python("-c", LOAD, env={"BLUELAMP_SECRET_KEY": "  "})
    assert "BLUELAMP_SECRET_KEY is not set" in blank.stderr
    misspelt = _python("-c", LOAD, env={"BLUELAMP_ENVIRONMENT": "dev"})
    assert "set it to production or development" in misspelt.stderr
    development = _python("-c", LOAD, env={"BLUELAMP_ENVIRONMENT": "development"})
    assert development.stdout.split() == ["development", "0"], development.stderr
    production = _python("-c", LOAD, env=KEYS)
    assert production.stdout.split() == ["production", "31536000"], production.stderr
    debugging = _python("-c", LOAD, env={**KEYS, "BLUELAMP_DEBUG": "1"})
    assert debugging.stdout.split() == ["production", "0"], debugging.stderr
    proxied = _python(
        "-c",
        "from bluelamp import settings as s; print(*s.SECURE_PROXY_SSL_HEADER)",
        env={**KEYS, "BLUELAMP_TLS_PROXY": "1"},
    )
    assert proxied.stdout.split() == ["HTTP_X_FORWARDED_PROTO", "https"], proxied.stderr


def test_the_demo_commands_ask_for_development_mode_themselves():
    for command in ("demo", "code"):
        helped = _python("-m", "bluelamp.cli", command, "--help")
        assert helped.returncode == 0, helped.stderr[-2000:]
    refused = _python("-m", "bluelamp.cli", "check")
    assert refused.returncode != 0
    assert "BLUELAMP_SECRET_KEY is not set" in refused.stderr
    in_production = _python(
        "-m", "bluelamp.cli", "code", "nobody", env={"BLUELAMP_ENVIRONMENT": "production"}
    )
    assert in_production.returncode != 0  # asked for production by name: no development key
    assert "BLUELAMP_SECRET_KEY is not set" in in_production.stderr
