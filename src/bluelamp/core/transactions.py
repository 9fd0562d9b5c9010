"""``service``: ``transaction.atomic`` for a service function, with a savepoint only where its
caller could catch its error and carry on.

A service called by a view, a job or a test opens a transaction, or a savepoint inside one, as
``transaction.atomic`` does. A service called by another service needs no savepoint of its own:
services never catch each other's errors, so an error fails the calling service too, which
rolls back to *its* savepoint (or the whole transaction). Recording a crime runs six services
inside one another; their savepoints were 14 of its 41 statements (bench/crime_load.py)."""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction

_depth = contextvars.ContextVar("bluelamp_service_depth", default=0)


@contextmanager
def service_transaction() -> Iterator[None]:
    """The transaction of a service, as a block: for an API handler or view that calls several
    services as one unit of work and, like a service, never carries on after their errors."""
    depth = _depth.get()
    token = _depth.set(depth + 1)
    try:
        with transaction.atomic(savepoint=depth == 0):
            yield
    finally:
        _depth.reset(token)


def service(func):
    @functools.wraps(func)
    def run(*args, **kwargs):
        with service_transaction():
            return func(*args, **kwargs)

    return run
