"""How an audit row's hash is computed: HMAC-SHA256 under a key kept outside the database
(``BLUELAMP_AUDIT_KEY`` or ``BLUELAMP_AUDIT_KEY_FILE``), over the row and the hash before it.

Whoever can rewrite the database but does not hold the key cannot recompute the chain after
changing, removing or replacing a row. Rows written before the chain was keyed (migration
audit 0004) keep their plain SHA-256 hash; the row that migration appended is the first keyed
one and seals them, since its keyed hash covers the last of them. Nothing here touches the
database, so the migration can use it too."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from functools import lru_cache

from django.conf import settings

GENESIS = "0" * 64
CHAIN_LOCK = 7_411_001  # PostgreSQL advisory lock key that serialises appends to the chain
# The action of the row that starts the keyed chain (models.Action.CHAIN_KEYED).
CHAIN_KEYED = "chain_keyed"


def _canonical(prev_hash: str, event) -> bytes:
    body = [
        prev_hash,
        event.at.astimezone(dt.UTC).isoformat(),
        event.actor_id,
        event.actor_name,
        event.actor_role,
        event.action,
        event.record_type,
        event.record_id,
        event.record_label,
        event.purpose,
        event.client_address,
        event.detail,
    ]
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def unkeyed_digest(prev_hash: str, event) -> str:
    """The hash of rows written before the chain was keyed. Anyone can compute it, so it proves
    nothing on its own; verify accepts it only before the keyed chain's first row."""
    return hashlib.sha256(_canonical(prev_hash, event)).hexdigest()


@lru_cache(maxsize=4)
def _macs(key: str) -> tuple[hmac.HMAC, hmac.HMAC]:
    """One key from settings, two derived for two uses, so a checkpoint line can never pass for
    a row's hash or the other way round. Prepared once; each use copies (cheaper than new)."""
    if not key:
        raise ValueError("BLUELAMP_AUDIT_KEY is empty")
    secret = key.encode()
    chain = hmac.new(secret, b"bluelamp audit chain v1", hashlib.sha256).digest()
    checkpoint = hmac.new(secret, b"bluelamp audit checkpoint v1", hashlib.sha256).digest()
    return hmac.new(chain, digestmod=hashlib.sha256), hmac.new(checkpoint, digestmod=hashlib.sha256)


def chain_mac() -> hmac.HMAC:
    return _macs(settings.BLUELAMP_AUDIT_KEY)[0]


def checkpoint_mac() -> hmac.HMAC:
    return _macs(settings.BLUELAMP_AUDIT_KEY)[1]


def keyed_digest(prev_hash: str, event, mac: hmac.HMAC | None = None) -> str:
    """A row's hash in the keyed chain. ``mac`` (from ``chain_mac()``) saves looking the key up
    for each row of a batch."""
    row = (mac or chain_mac()).copy()
    row.update(_canonical(prev_hash, event))
    return row.hexdigest()


def sign(message: bytes) -> str:
    signature = checkpoint_mac().copy()
    signature.update(message)
    return signature.hexdigest()
