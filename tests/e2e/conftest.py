"""Browser tests: the real app served by `bluelamp serve` on its own database, built by
`bluelamp demo`, driven by Debian's Chromium through Playwright (no browser download).

Each xdist worker gets its own server and database (a temporary SQLite file, or - when the suite
runs on PostgreSQL - a fresh database on the same server, dropped afterwards)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from django_otp.oath import totp

from bluelamp.synth.demo import DEMO_PASSWORD, totp_key_for

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


# What `bluelamp demo` printed when it built this session's force (sign-ins, the portal code).
DEMO_PRINTOUT: dict[str, str] = {}
# The served app's environment (its database), for a test that sets up records with a command.
SERVED_ENV: dict[str, str] = {}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_database(url: str):
    import psycopg

    name = f"bluelamp_e2e_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url.rsplit("/", 1)[0] + f"/{name}", drop


@pytest.fixture(scope="session")
def served_app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    env = {**os.environ, "BLUELAMP_VAR_DIR": str(tmp), "PYTHONUNBUFFERED": "1"}
    drop = None
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"], drop = _postgres_database(os.environ["DATABASE_URL"])
    else:
        env.pop("DATABASE_URL", None)
        env["BLUELAMP_SQLITE_PATH"] = str(tmp / "e2e.sqlite3")
    bluelamp = [sys.executable, "-m", "bluelamp.cli"]
    built = subprocess.run(
        [*bluelamp, "demo", "--population", "5000"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-4000:]
    DEMO_PRINTOUT["stdout"] = built.stdout
    SERVED_ENV.update(env)
    port = _free_port()
    log = open(tmp / "server.log", "w")  # noqa: SIM115 - closed in teardown
    server = subprocess.Popen(
        [*bluelamp, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                log.close()
                raise RuntimeError((tmp / "server.log").read_text()[-3000:]) from None
            time.sleep(0.2)
    yield base
    server.terminate()
    server.wait(timeout=20)
    log.close()
    if drop:
        drop()


@pytest.fixture(scope="session")
def demo_printout(served_app) -> str:
    return DEMO_PRINTOUT["stdout"]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is installed by scripts/system-packages.sh"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


def current_code(username: str) -> str:
    return f"{totp(bytes.fromhex(totp_key_for(username))):06d}"


def wait_for_fresh_code(last_step: int | None) -> None:
    """TOTP codes cannot be replayed: a second sign-in in the same 30-second step must wait."""
    while last_step is not None and int(time.time()) // 30 <= last_step:
        time.sleep(0.5)


@pytest.fixture(scope="session")
def sign_in_as(browser, served_app):
    """Opens a new browser context signed in as a demo user through the real two-step pages."""
    used: dict[str, int] = {}

    def sign_in(username: str, *, width: int = 1280, height: int = 900, scripts: bool = True):
        wait_for_fresh_code(used.get(username))
        context = browser.new_context(
            viewport={"width": width, "height": height},
            base_url=served_app,
            java_script_enabled=scripts,
        )
        page = context.new_page()
        page.goto("/")
        assert page.url.startswith(f"{served_app}/sign-in/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("Six-digit code").fill(current_code(username))
        used[username] = int(time.time()) // 30
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        return page

    return sign_in
