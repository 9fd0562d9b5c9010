"""Checking the audit log (``bluelamp audit verify``): every row's hash and link, in id order,
then every signed checkpoint against what the database holds now. Names what it finds: a row
altered, removed, replaced or rehashed without the key; rows cut from the end; a checkpoint
line that is not ours."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .chain import CHAIN_KEYED, GENESIS, chain_mac, keyed_digest, unkeyed_digest
from .checkpoints import Checkpoint, checkpoint_file, read_checkpoints
from .models import AuditEvent


@dataclass(frozen=True)
class ChainReport:
    checked: int  # rows whose hash and link were confirmed, from the first
    first_broken_id: int | None  # the first row that is not what the chain says it should be
    reason: str = ""  # the first problem found; empty when the log is intact
    problems: tuple[str, ...] = ()  # every problem found, reason first
    unkeyed: int = 0  # rows from before the chain was keyed, sealed by its first keyed row
    checkpoints: int = 0  # signed checkpoints the log was checked against
    checkpoint_file: str = ""

    @property
    def intact(self) -> bool:
        return not self.reason

    @property
    def anchored(self) -> bool:
        """False when no checkpoint exists: then rows cut from the end cannot be seen."""
        return self.checkpoints > 0


@dataclass
class _Walk:
    """The chain as read so far."""

    prev: str = GENESIS
    seen: int = 0  # rows read
    checked: int = 0
    unkeyed: int = 0
    keyed: bool = False
    broken_id: int | None = None
    broken: str = ""
    last_id: int = 0
    against: list[str] = field(default_factory=list)  # problems found with checkpoints

    def follow(self, event: AuditEvent, mac) -> None:
        if self.broken_id is not None:
            return  # past the first break the links mean nothing
        if event.prev_hash != self.prev:
            self._break(event, "does not link to the row before it (a row was removed or inserted)")
            return
        if event.action == CHAIN_KEYED:
            self.keyed = True  # this row and every one after it carry keyed hashes
        if not self.keyed:
            # Before the keyed chain's first row: the old plain hash (or a keyed one, which
            # only the key's holder could have written there).
            if unkeyed_digest(self.prev, event) == event.hash:
                self.unkeyed += 1
            elif keyed_digest(self.prev, event, mac) != event.hash:
                self._break(event, "its content does not match its hash (the row was altered)")
                return
        elif keyed_digest(self.prev, event, mac) != event.hash:
            if unkeyed_digest(self.prev, event) == event.hash:
                self._break(
                    event,
                    "its hash is the unkeyed one that anyone can compute: the chain was "
                    "recomputed without the audit key after a row was removed, replaced or "
                    "altered",
                )
            else:
                self._break(
                    event,
                    "its content does not match its keyed hash (the row was altered or "
                    "replaced, or rehashed without the audit key; or the key has changed)",
                )
            return
        self.prev = event.hash
        self.checked += 1

    def _break(self, event: AuditEvent, reason: str) -> None:
        self.broken_id = event.id
        self.broken = f"event {event.id}: {reason}"

    def compare(self, checkpoint: Checkpoint, event: AuditEvent) -> None:
        """The event the checkpoint names, as it is now."""
        if event.hash != checkpoint.head:
            self.against.append(
                f"event {event.id} is not the one {checkpoint.describe()} signed (its hash "
                "differs): the log was rewritten up to it"
            )
        elif self.seen != checkpoint.count:
            what = "removed" if self.seen < checkpoint.count else "inserted"
            self.against.append(
                f"{checkpoint.describe()} counted {checkpoint.count} events up to event "
                f"{event.id}; there are now {self.seen}: rows were {what}"
            )

    def gone(self, checkpoint: Checkpoint, *, at_end: bool) -> None:
        if at_end:
            self.against.append(
                f"the log was cut: {checkpoint.describe()} counted {checkpoint.count} events up "
                f"to event {checkpoint.last_id}; the log now ends at event {self.last_id or '-'} "
                f"with {self.seen}"
            )
        else:
            self.against.append(
                f"event {checkpoint.last_id}, the last one {checkpoint.describe()} counted, "
                "is gone: rows were removed"
            )


def verify_chain(*, path: Path | None = None) -> ChainReport:
    """Recomputes every hash in id order and checks every checkpoint in the file. One pass."""
    path = path or checkpoint_file()
    checkpoints, unreadable = read_checkpoints(path)
    pending = sorted(checkpoints, key=lambda c: (c.last_id, c.line))
    mac = chain_mac()
    walk = _Walk()
    waiting = 0  # index into pending of the next checkpoint to meet
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        while waiting < len(pending) and pending[waiting].last_id < event.id:
            walk.gone(pending[waiting], at_end=False)
            waiting += 1
        walk.seen += 1
        walk.last_id = event.id
        walk.follow(event, mac)
        while waiting < len(pending) and pending[waiting].last_id == event.id:
            walk.compare(pending[waiting], event)
            waiting += 1
    for checkpoint in pending[waiting:]:
        walk.gone(checkpoint, at_end=True)
    problems = [walk.broken] if walk.broken else []
    if not walk.keyed and walk.broken_id is None:
        problems.append(
            "the keyed chain's first row (action 'chain_keyed', appended by migration audit "
            "0004) is missing: the log was removed, or rebuilt with the unkeyed hash"
        )
    problems += walk.against + unreadable
    return ChainReport(
        checked=walk.checked,
        first_broken_id=walk.broken_id,
        reason=problems[0] if problems else "",
        problems=tuple(problems),
        unkeyed=walk.unkeyed,
        checkpoints=len(checkpoints),
        checkpoint_file=str(path),
    )
