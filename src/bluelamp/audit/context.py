"""Who is acting, from where and why: set once per request (or job) and read by the audit log."""

from __future__ import annotations

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class AuditContext:
    client_address: str = ""
    purpose: str = ""
    channel: str = "system"  # web, api, cli, worker, system


_NOBODY = AuditContext()
_current: contextvars.ContextVar[AuditContext | None] = contextvars.ContextVar(
    "bluelamp_audit_context", default=None
)


def current() -> AuditContext:
    return _current.get() or _NOBODY


@contextmanager
def acting(**values):
    token = _current.set(AuditContext(**values))
    try:
        yield
    finally:
        _current.reset(token)
