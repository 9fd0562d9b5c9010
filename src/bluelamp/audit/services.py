"""Writing the audit log. Every service that reads or writes personal data calls
``record`` in the same transaction as its work, so a job or a script cannot escape the log."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Model
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from bluelamp.db import insert_rows

from .chain import CHAIN_LOCK, GENESIS, chain_mac, keyed_digest
from .context import current
from .models import Action, AuditEvent
from .verify import ChainReport, verify_chain  # noqa: F401 - checking the log: audit.verify

_CONSULTATIONS = {Action.VIEW, Action.SEARCH, Action.EXPORT, Action.DISCLOSE}


class PurposeRequired(PermissionDenied):
    """This user's role must state why before consulting personal data (DPA 2018 s62(3)(a))."""


def record_type_of(obj: Model) -> str:
    return getattr(obj, "permission_name", obj._meta.model_name)


def record(
    *,
    actor,
    action: str,
    obj: Model | None = None,
    record_type: str = "",
    record_id: str | int = "",
    label: str = "",
    detail: dict | None = None,
) -> AuditEvent:
    """Appends one event to the chain. Raises PurposeRequired before any consultation by a role
    that must give a purpose and has not."""
    event = _event(
        actor=actor,
        action=action,
        obj=obj,
        record_type=record_type,
        record_id=record_id,
        label=label,
        detail=detail,
    )
    _append_or_defer([event])
    return event


def record_all(*, actor, action: str, entries: list[tuple]) -> list:
    """Appends one event per (record, detail) or (record, detail, label), chained in order, in
    one insert: the same rows ``record`` would write one by one (bench/crime_load.py)."""
    events = [
        _event(actor=actor, action=action, obj=entry[0], detail=entry[1], label=entry[2])
        if len(entry) > 2
        else _event(actor=actor, action=action, obj=entry[0], detail=entry[1])
        for entry in entries
    ]
    _append_or_defer(events)
    return events


@contextmanager
def deferred() -> Iterator[None]:
    """Inside a transaction: the audit rows recorded within (and rows other features hand to
    ``defer_rows``, such as record history) are inserted together when the outermost
    ``deferred`` block ends, still in the same transaction, so they commit or roll back with
    the work they describe: one insert per table instead of one per step. Usable as a
    decorator under ``transaction.atomic``.

    Why: appending to the chain serialises writers (PostgreSQL's advisory lock, held until
    commit), so a request that audits its first step early holds every other writer back for
    the rest of its work. Deferred, the lock is taken just before commit (bench/crime_load.py).
    A row recorded inside a savepoint that is rolled back is dropped with it, as an immediate
    row would have been."""
    if not connection.in_atomic_block:
        raise TransactionManagementError("audit.deferred() must be used inside a transaction.")
    if getattr(connection, "_bluelamp_deferred", None) is not None:
        yield  # an outer deferred block inserts these rows with its own
        return
    pending: list[tuple[object, type[Model], list[Model]]] = []
    connection._bluelamp_deferred = pending
    try:
        yield
        queued = {id(entry[1]) for entry in connection.run_on_commit}
        tables: dict[type[Model], list[Model]] = {}
        for marker, model, rows in pending:
            if id(marker) in queued:
                tables.setdefault(model, []).extend(rows)
    finally:
        connection._bluelamp_deferred = None
    for model, rows in tables.items():
        if model is AuditEvent:
            _append(rows)
        else:
            insert_rows(rows)


def defer_rows(rows: list[Model]) -> bool:
    """Inside ``deferred``: queues new rows of an append-only table to be inserted with the
    audit rows (ids not read back: ``bluelamp.db.insert_rows``), and returns True. Outside,
    returns False: the caller inserts them now."""
    pending = getattr(connection, "_bluelamp_deferred", None)
    if pending is None or not connection.in_atomic_block:
        return False
    if rows:
        # Queued with on_commit in the current savepoint: Django drops it if that savepoint
        # rolls back, which tells deferred() to drop these rows too.
        def marker():
            return None

        transaction.on_commit(marker)
        pending.append((marker, type(rows[0]), rows))
    return True


def _append_or_defer(events: list[AuditEvent]) -> None:
    if not defer_rows(events):
        _append(events)


def _event(
    *,
    actor,
    action: str,
    obj: Model | None = None,
    record_type: str = "",
    record_id: str | int = "",
    label: str = "",
    detail: dict | None = None,
) -> AuditEvent:
    ctx = current()
    role = getattr(actor, "role", "") or ""
    if (
        action in _CONSULTATIONS
        and role in settings.BLUELAMP_PURPOSE_REQUIRED_ROLES
        and not ctx.purpose.strip()
    ):
        raise PurposeRequired("State the purpose of this enquiry before viewing personal data.")
    if obj is not None:
        record_type = record_type or record_type_of(obj)
        record_id = obj.pk
        label = label or str(obj)
    return AuditEvent(
        at=timezone.now(),
        actor_id=getattr(actor, "pk", None),
        actor_name=(getattr(actor, "display_name", "") or str(actor or "system"))[:200],
        actor_role=role,
        action=str(action),
        record_type=record_type,
        record_id=str(record_id),
        record_label=label[:200],
        purpose=ctx.purpose[:500],
        client_address=ctx.client_address,
        detail={"channel": ctx.channel, **(detail or {})},
    )


def _append(events: list[AuditEvent]) -> None:
    if not events:
        return
    with transaction.atomic(savepoint=False):  # no savepoint: a failure fails the caller too
        head = _head_in_this_transaction()
        if head is None:
            head = _lock_and_read_head()
        mac = chain_mac()
        for event in events:  # ids ascend in list order, so the chain follows them
            event.prev_hash = head or GENESIS
            event.hash = head = keyed_digest(event.prev_hash, event, mac)
        insert_rows(events)  # ids are not read back: the chain is followed by id order
        _remember_head(head)


def _lock_and_read_head() -> str | None:
    """Takes the chain (PostgreSQL's advisory lock; on SQLite the transaction already holds the
    write lock), then reads its head. Two statements: in one, PostgreSQL's snapshot would be
    taken before the lock was granted and could miss a row committed while we waited. Plain SQL,
    as this runs on every audited write (a tenth of the ORM's cost: bench/crime_load.py)."""
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
        cursor.execute(f'SELECT "hash" FROM {table} ORDER BY "id" DESC LIMIT 1')  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else None


# The chain head this transaction last wrote, so a request that appends several rows reads the
# head once (bench/crime_load.py: six appends per crime recorded, each re-reading it). Safe
# because the head cannot move under us until we commit: on PostgreSQL we hold the advisory lock
# from the first append, on SQLite the write lock (BEGIN IMMEDIATE). The remembered head is
# tied to a marker queued with transaction.on_commit: Django drops the marker when the
# savepoint or transaction holding our row rolls back, and runs it (forgetting the head) at
# commit, so a head whose row is gone is never reused.
class _Head:
    __slots__ = ("hash", "marker")

    def __init__(self):
        self.hash = ""
        self.marker = None


def _head_in_this_transaction() -> str | None:
    head = getattr(connection, "_bluelamp_audit_head", None)
    if head is None or head.marker is None or not connection.in_atomic_block:
        return None
    # From the end: the marker is normally the last callback queued, so this stays cheap for a
    # job that appends thousands of rows in one transaction.
    if not any(entry[1] is head.marker for entry in reversed(connection.run_on_commit)):
        return None  # our last row was rolled back with its savepoint
    return head.hash


def _remember_head(digest: str) -> None:
    if not connection.in_atomic_block:
        return
    head = getattr(connection, "_bluelamp_audit_head", None)
    if head is None:
        head = connection._bluelamp_audit_head = _Head()

    def forget():
        if head.marker is forget:
            head.marker = None

    head.hash, head.marker = digest, forget
    transaction.on_commit(forget)


def record_many(*, actor, action: str, objects: Iterable[Model], detail: dict | None = None):
    for obj in objects:
        record(actor=actor, action=action, obj=obj, detail=detail)
