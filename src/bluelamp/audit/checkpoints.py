"""Signed checkpoints of the audit chain, kept outside the database.

The keyed chain shows a row changed, removed or replaced, but not rows cut from its end: what is
left still links up. So, every few minutes (``bluelamp worker``) or on demand (``bluelamp audit
checkpoint``), one line is appended to ``BLUELAMP_AUDIT_CHECKPOINT_FILE``: the chain's last event
id, its hash and how many events there were up to it, signed with a key derived from the audit
key. ``bluelamp audit verify`` checks every line against the database, so a cut, or a rewrite
of any row a checkpoint covered, is named. The same line goes to the ``bluelamp.audit.checkpoint``
logger, for a force that ships its logs to a server the database's owner cannot reach.

The file only protects what it can outlive: it must live where the database's owner cannot
rewrite it (another machine or account, an append-only file or store): docs/audit.md."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

from .chain import sign
from .models import AuditEvent

logger = logging.getLogger("bluelamp.audit.checkpoint")
_TAIL_BYTES = 64 * 1024  # enough for a few hundred lines: where the last checkpoint is found


@dataclass(frozen=True)
class Checkpoint:
    at: str  # ISO 8601, UTC
    last_id: int
    count: int  # events with an id up to last_id, last_id's own included
    head: str  # the hash of event last_id
    line: int = 0  # where it was read from, for messages

    def _body(self) -> bytes:
        fields = {"v": 1, "at": self.at, "last_id": self.last_id, "count": self.count}
        fields["head"] = self.head
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def signed_line(self) -> str:
        fields = json.loads(self._body())
        fields["sig"] = sign(self._body())
        return json.dumps(fields, sort_keys=True, separators=(",", ":")) + "\n"

    def describe(self) -> str:
        return f"the checkpoint of {self.at} (line {self.line})"


class ChainDoesNotMatch(Exception):
    """The log no longer agrees with its last checkpoint: no new checkpoint is signed over it."""


def checkpoint_file() -> Path:
    return Path(settings.BLUELAMP_AUDIT_CHECKPOINT_FILE)


def _parse(text: str, line: int) -> Checkpoint | None:
    """A checkpoint if the line is one signed with this key, else None."""
    try:
        fields = json.loads(text)
        checkpoint = Checkpoint(
            at=str(fields["at"]),
            last_id=int(fields["last_id"]),
            count=int(fields["count"]),
            head=str(fields["head"]),
            line=line,
        )
        signature = str(fields["sig"])
    except (ValueError, KeyError, TypeError):
        return None
    return checkpoint if sign(checkpoint._body()) == signature else None


def read_checkpoints(path: Path | None = None) -> tuple[list[Checkpoint], list[str]]:
    """Every checkpoint in the file, and a problem for each line that is not one signed with
    this key (written by someone without it, altered, or signed under another key)."""
    path = path or checkpoint_file()
    if not path.exists():
        return [], []
    found, problems = [], []
    with path.open(encoding="utf-8") as lines:
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            checkpoint = _parse(text, number)
            if checkpoint is None:
                problems.append(
                    f"line {number} of {path} is not a checkpoint signed with this audit key "
                    "(altered, written without the key, or the key has changed)"
                )
            else:
                found.append(checkpoint)
    return found, problems


def last_checkpoint(path: Path | None = None) -> Checkpoint | None:
    """The last signed checkpoint in the file's tail, without reading the whole file."""
    path = path or checkpoint_file()
    try:
        with path.open("rb") as file:
            size = file.seek(0, os.SEEK_END)
            file.seek(max(0, size - _TAIL_BYTES))
            tail = file.read().decode("utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return None
    if size > _TAIL_BYTES:
        tail = tail[1:]  # the first is probably a part line
    for text in reversed(tail):
        checkpoint = _parse(text, 0) if text.strip() else None
        if checkpoint is not None:
            return checkpoint
    return None


def _head() -> tuple[int, str] | None:
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "id", "hash" FROM {table} ORDER BY "id" DESC LIMIT 1')  # noqa: S608
        row = cursor.fetchone()
    return (row[0], row[1]) if row else None


def _count(after: int, up_to: int) -> int:
    return AuditEvent.objects.filter(id__gt=after, id__lte=up_to).count()


def write_checkpoint(*, path: Path | None = None, now: dt.datetime | None = None):
    """Appends a signed checkpoint of the chain as it stands, and returns it; None when nothing
    was appended since the last one. Raises ChainDoesNotMatch, writing nothing, when the event
    the last checkpoint names is gone or different: that is for ``verify`` to report.

    Audit appends are serialised and their ids ascend in commit order, so every event up to the
    head read here is already committed: the count cannot change under us. It is counted from
    the last checkpoint on (an index range), not from the start, once that one is confirmed."""
    path = path or checkpoint_file()
    head = _head()
    if head is None:
        raise ChainDoesNotMatch("the audit log is empty; migration audit 0004 leaves one event")
    last_id, head_hash = head
    previous = last_checkpoint(path)
    if previous is not None:
        if (previous.last_id, previous.head) == (last_id, head_hash):
            return None
        still = AuditEvent.objects.filter(id=previous.last_id).values_list("hash", flat=True)
        if list(still) != [previous.head]:
            raise ChainDoesNotMatch(
                f"event {previous.last_id}, the last one in the latest checkpoint "
                f"({previous.at}), is gone or changed: run `bluelamp audit verify`"
            )
        count = previous.count + _count(previous.last_id, last_id)
    else:
        count = _count(0, last_id)
    at = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    checkpoint = Checkpoint(at=at, last_id=last_id, count=count, head=head_hash)
    line = checkpoint.signed_line()
    path.parent.mkdir(parents=True, exist_ok=True)
    # One write of one short line with O_APPEND: whole, after whatever another writer appended.
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, line.encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    logger.info("audit checkpoint %s", line.strip())
    return checkpoint
