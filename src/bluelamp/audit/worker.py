"""``write_checkpoint``, one of the worker's tasks: a signed checkpoint of the audit chain at most
every BLUELAMP_AUDIT_CHECKPOINT_MINUTES, when the chain has grown (audit/checkpoints.py).

Rows appended since the last checkpoint can be cut without a trace, so this interval is how much
of the log's end is at risk. A log that no longer matches its last checkpoint is reported here
at every turn, never signed over, and never stops the worker's other tasks."""

from __future__ import annotations

import logging
import time

from django.conf import settings

from . import checkpoints

logger = logging.getLogger("bluelamp.audit.checkpoint")
_last_try: dict[str, float] = {}  # by checkpoint file: when this process last tried


def write_checkpoint(*, worker_id: str = "") -> int:
    path = settings.BLUELAMP_AUDIT_CHECKPOINT_FILE
    now = time.monotonic()
    if now - _last_try.get(path, float("-inf")) < settings.BLUELAMP_AUDIT_CHECKPOINT_MINUTES * 60:
        return 0
    _last_try[path] = now
    try:
        written = checkpoints.write_checkpoint()
    except checkpoints.ChainDoesNotMatch as problem:
        logger.error("audit log tampered? no checkpoint written: %s", problem)
        return 0
    return 1 if written else 0
