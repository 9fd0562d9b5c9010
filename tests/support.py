"""Helpers for tests that run bluelamp's own commands as separate processes, each on a database
of its own (a temporary SQLite file, or a fresh database on the PostgreSQL the suite uses)."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import threading
import uuid
from pathlib import Path

BLUELAMP = [sys.executable, "-m", "bluelamp.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OwnDatabase:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.env = {**os.environ, "BLUELAMP_VAR_DIR": str(tmp), "PYTHONUNBUFFERED": "1"}
        self._drop = None
        if os.environ.get("DATABASE_URL"):
            import psycopg

            url = os.environ["DATABASE_URL"]
            name = f"bluelamp_{uuid.uuid4().hex[:12]}"
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')

            def drop():
                with psycopg.connect(url, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

            self._drop = drop
            self.env["DATABASE_URL"] = url.rsplit("/", 1)[0] + f"/{name}"
        else:
            self.env.pop("DATABASE_URL", None)
            self.env["BLUELAMP_SQLITE_PATH"] = str(tmp / "own.sqlite3")
        self.run("migrate", "--verbosity", "0")

    def run(self, *args: str, timeout: float = 300, **env) -> str:
        done = subprocess.run(
            [*BLUELAMP, *args],
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
        return done.stdout

    def python(self, code: str, **env):
        """Runs code inside a configured bluelamp process; what it prints as JSON comes back."""
        return json.loads(self.run("shell", "-c", code, **env).strip().splitlines()[-1])

    def start(self, *args: str, **env) -> subprocess.Popen:
        log = open(self.tmp / f"{args[0]}-{uuid.uuid4().hex[:6]}.log", "w")  # noqa: SIM115
        return subprocess.Popen(
            [*BLUELAMP, *args], env={**self.env, **env}, stdout=log, stderr=subprocess.STDOUT
        )

    def close(self):
        if self._drop:
            self._drop()


class SmtpServer:
    """A real SMTP server (aiosmtpd) on a free local port, keeping every message it accepts."""

    def __init__(self, delay: float = 0.0):
        from aiosmtpd.controller import Controller

        self.received: list = []
        self.lock = threading.Lock()
        server = self

        class Keep:
            async def handle_DATA(self, smtp, session, envelope):  # noqa: N802 - aiosmtpd API
                if delay:
                    await asyncio.sleep(delay)
                from email import message_from_bytes

                message = message_from_bytes(envelope.content)
                with server.lock:
                    server.received.append(message)
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Keep(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    @property
    def message_ids(self) -> list[str]:
        with self.lock:
            return [m["Message-ID"] for m in self.received]

    def stop(self):
        self.controller.stop()
