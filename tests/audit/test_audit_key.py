"""The audit key comes from the environment or a file, never the database, and production
refuses to start without one, as it refuses the development secret key (settings.py). Each case
imports the settings in a fresh process, as a server would at start."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[2] / "src")
KEY = "k3y-for-tests-0123456789abcdef0123456789"
PRODUCTION = {"BLUELAMP_ENVIRONMENT": "production", "BLUELAMP_SECRET_KEY": "s" * 50}


def _settings(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BLUELAMP_AUDIT_KEY")}
    return subprocess.run(
        [sys.executable, "-c", "from bluelamp import settings; print(settings.BLUELAMP_AUDIT_KEY)"],
        env={**clean, "PYTHONPATH": SRC, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_refuses_the_development_audit_key():
    done = _settings(**PRODUCTION)
    assert done.returncode != 0
    assert "the development audit key is refused" in done.stderr


def test_production_takes_the_key_from_the_environment():
    done = _settings(**PRODUCTION, BLUELAMP_AUDIT_KEY=KEY)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == KEY


def test_or_from_a_file(tmp_path):
    key_file = tmp_path / "audit.key"
    key_file.write_text(KEY + "\n")
    done = _settings(**PRODUCTION, BLUELAMP_AUDIT_KEY_FILE=str(key_file))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == KEY


@pytest.mark.parametrize(
    ("env", "said"),
    [
        ({"BLUELAMP_AUDIT_KEY_FILE": "/nonexistent/audit.key"}, "cannot be read"),
        ({"BLUELAMP_AUDIT_KEY": KEY, "BLUELAMP_AUDIT_KEY_FILE": "/x"}, "not both"),
        ({"BLUELAMP_AUDIT_KEY": "short"}, "at least 32 characters"),
    ],
)
def test_a_key_that_cannot_be_used_stops_the_start(env, said):
    done = _settings(**env)
    assert done.returncode != 0
    assert said in done.stderr
