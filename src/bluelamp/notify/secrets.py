"""One-time secrets carried by a message (a portal access code, a texted sign-in code), kept out of
the outbox in clear.

The caller asks for a secret and gets its value to hash and keep; the outbox stores only a random
seed, from which the worker derives the same value at send time with a key made from the
server's SECRET_KEY. Someone who can read the database but not the settings cannot read a code
from the outbox. Once the message is sent, or given up on, the seed is removed as well
(``scrubbed``), so a later leak of the key does not open old messages either."""

from __future__ import annotations

import secrets as random
from dataclasses import dataclass

from django.conf import settings
from django.utils.crypto import salted_hmac

_SALT = "bluelamp.notify.one-time-secret"
MARKER = "one_time_secret"  # the key that marks a stored seed in a message's personalisation
REMOVED = "(removed once sent)"


class SecretUnavailable(Exception):
    """The secret cannot be derived: it was removed, or made with a key the server no longer has
    (SECRET_KEY changed and the old one is not in SECRET_KEY_FALLBACKS)."""


def _keys() -> list[str]:
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def _key_id(key: str) -> str:
    # Names the key a seed was made with, so a rotated key is refused rather than deriving a
    # different, useless code. Reveals nothing about the key.
    return salted_hmac(_SALT + ".key-id", "", secret=key, algorithm="sha256").hexdigest()[:12]


def _derive(seed: str, key: str, alphabet: str, groups: list[int], separator: str) -> str:
    digest = salted_hmac(_SALT, seed, secret=key, algorithm="sha512").digest()
    number = int.from_bytes(digest, "big")  # 512 bits for at most a few dozen characters
    characters = []
    for _ in range(sum(groups)):
        number, index = divmod(number, len(alphabet))
        characters.append(alphabet[index])
    parts, start = [], 0
    for length in groups:
        parts.append("".join(characters[start : start + length]))
        start += length
    return separator.join(parts)


@dataclass(frozen=True)
class OneTimeSecret:
    """A secret to put in a message's personalisation: ``value`` for the caller (to hash, or to
    check), ``stored`` for the outbox."""

    value: str
    stored: dict


def one_time_secret(*, alphabet: str, groups: tuple[int, ...], separator: str = "-"):
    """A new random secret of ``groups`` of characters from ``alphabet``."""
    if len(set(alphabet)) != len(alphabet) or len(alphabet) < 2 or not groups:
        raise ValueError("A one-time secret needs an alphabet of distinct characters and groups.")
    seed = random.token_hex(16)
    key = settings.SECRET_KEY
    stored = {
        MARKER: seed,
        "key": _key_id(key),
        "alphabet": alphabet,
        "groups": list(groups),
        "separator": separator,
    }
    return OneTimeSecret(_derive(seed, key, alphabet, list(groups), separator), stored)


def is_secret(value) -> bool:
    return isinstance(value, dict) and MARKER in value


def reveal(stored: dict) -> str:
    """The secret's value, derived again from its seed (the worker, at send time)."""
    seed = stored.get(MARKER)
    if not seed:
        raise SecretUnavailable("the one-time secret was removed after sending")
    for key in _keys():
        if _key_id(key) == stored.get("key"):
            return _derive(
                seed, key, stored["alphabet"], list(stored["groups"]), stored["separator"]
            )
    raise SecretUnavailable(
        "the one-time secret was made with a SECRET_KEY this server no longer has: issue a new one"
    )


def for_outbox(personalisation: dict) -> dict:
    """The personalisation as the outbox keeps it: secrets as seeds, never their values."""
    return {
        name: value.stored if isinstance(value, OneTimeSecret) else value
        for name, value in personalisation.items()
    }


def for_sending(personalisation: dict) -> dict:
    """The personalisation with every secret's value: only in memory, only to render."""
    return {
        name: reveal(value) if is_secret(value) else value
        for name, value in personalisation.items()
    }


def scrubbed(personalisation: dict, secret_fields: tuple[str, ...] = ()) -> dict:
    """The personalisation with every secret removed: seeds, and the named fields however they
    are held (messages queued before secrets were kept as seeds held the code in clear)."""
    return {
        name: REMOVED if is_secret(value) or name in secret_fields else value
        for name, value in personalisation.items()
    }
