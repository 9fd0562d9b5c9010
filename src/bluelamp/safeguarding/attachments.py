"""Checking a file before it is kept with a referral: not empty, not over the size limit, and a
type allowed - read from the file's bytes (``filetype``), never from its name or the browser's
say-so. Each refusal names the file (issue 17)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError

NAME_MAX = 200


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    content_type: str
    size: int
    sha256: str
    content: bytes


def _megabytes(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB"


def check_file(filename: str, content: bytes, *, field: str = "attachments") -> CheckedFile:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:NAME_MAX] or "unnamed"
    if not content:
        raise ValidationError({field: f"{name} is empty."})
    limit = settings.BLUELAMP_ATTACHMENT_MAX_BYTES
    if len(content) > limit:
        raise ValidationError(
            {
                field: f"{name} is too large ({_megabytes(len(content))}; the limit is "
                f"{_megabytes(limit)})."
            }
        )
    kind = filetype.guess(content)
    allowed = settings.BLUELAMP_ATTACHMENT_TYPES
    if kind is None or kind.mime not in allowed:
        found = kind.mime if kind is not None else "not a recognised file type"
        raise ValidationError(
            {field: f"{name} is the wrong type ({found}); accepted: {', '.join(allowed)}."}
        )
    return CheckedFile(name, kind.mime, len(content), hashlib.sha256(content).hexdigest(), content)
