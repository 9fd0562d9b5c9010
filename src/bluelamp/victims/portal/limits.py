"""How the portal slows down guessing without letting anyone lock a victim out (issue 14).

- Per crime reference, whoever tries: BLUELAMP_PORTAL_FREE_FAILURES wrong tries are free, then
  each one makes the next wait twice as long (from BLUELAMP_PORTAL_BACKOFF_FIRST_SECONDS up to
  BLUELAMP_PORTAL_BACKOFF_MAX_MINUTES). Anonymous tries can delay a victim by at most that cap,
  never lock them out for a day; an officer's unlock clears the count at once.
- Per client address, whatever the reference: BLUELAMP_PORTAL_ADDRESS_FAILURES wrong tries in
  BLUELAMP_PORTAL_ADDRESS_WINDOW_MINUTES and that address waits until the oldest leaves the
  window. Both are tables, so they hold across processes on SQLite and PostgreSQL alike.
- The same hashing work for every answer (``verify``): one password-hash check whether the
  reference exists or not, has a live code or not, is waiting or not; so the time an answer
  takes says nothing about which part was wrong.

A 59-bit one-time code with a date of birth behind it cannot be guessed at these rates."""

from __future__ import annotations

import datetime as dt
import ipaddress
import secrets
from functools import cache

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from bluelamp.core.models import Event

from .models import AddressFailure, ReferenceLock

_TAG_SALT = "bluelamp.victims.portal.code-tag"
_ADDRESS_SALT = "bluelamp.victims.portal.client-address"
TAG_LENGTH = 8  # hex characters: 32 bits, against a code's 59


# --- the same hashing work for every answer ---


def _keys() -> list[str]:
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def code_tags(normalised_code: str) -> list[str]:
    """The code's tag under the server's key (the first) and any fallback keys. Shortened on
    purpose: a tag narrows the live codes of one crime to one, but even with the key it leaves
    some 2**27 possible codes, so the salted password hash stays the real check."""
    return [
        salted_hmac(_TAG_SALT, normalised_code, secret=key, algorithm="sha256").hexdigest()[
            :TAG_LENGTH
        ]
        for key in _keys()
    ]


@cache
def _dummy_hash(hasher_path: str) -> str:
    # Made by the same hasher, with the same cost, as a real code's hash (per hasher setting).
    return make_password(secrets.token_hex(8))


def dummy_hash() -> str:
    return _dummy_hash(settings.PASSWORD_HASHERS[0])


def verify(given: str, hashes: list[str]) -> int | None:
    """The index of the hash ``given`` matches, or None. Checks every hash it is given (there is
    normally one, found by its tag) and, given none, checks a dummy: one hash's work either way."""
    match = None
    for index, encoded in enumerate(hashes or [dummy_hash()]):
        if check_password(given or "-", encoded) and hashes and match is None:
            match = index
    return match


def spend_hash_work() -> None:
    """The work of making one code's hash, for an answer that makes none (a new code refused)."""
    make_password(secrets.token_hex(8))


# --- per client address ---


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind a reverse proxy the right-most address in
    the header BLUELAMP_PORTAL_CLIENT_ADDRESS_HEADER names (the one the proxy itself added)."""
    header = settings.BLUELAMP_PORTAL_CLIENT_ADDRESS_HEADER
    if header and request.META.get(header):
        return request.META[header].split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def address_key(address: str) -> str:
    """A keyed digest of the address: an IPv6 address by its /64 (what one subscriber is given),
    anything unreadable as one "unknown" address."""
    try:
        parsed = ipaddress.ip_address((address or "").strip())
    except ValueError:
        network = "unknown"
    else:
        mapped = getattr(parsed, "ipv4_mapped", None)
        if parsed.version == 6 and mapped is None:
            network = str(ipaddress.ip_network(f"{parsed}/64", strict=False))
        else:
            network = str(mapped or parsed)
    return salted_hmac(_ADDRESS_SALT, network, algorithm="sha256").hexdigest()


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.BLUELAMP_PORTAL_ADDRESS_WINDOW_MINUTES)


def address_waits_until(key: str) -> dt.datetime | None:
    """When this address may try again, if it has had its share of wrong tries."""
    now = timezone.now()
    limit = settings.BLUELAMP_PORTAL_ADDRESS_FAILURES
    recent = AddressFailure.objects.filter(address_key=key, at__gt=now - _window())
    nth = recent.order_by("-at", "-id").values_list("at", flat=True)[limit - 1 : limit]
    nth = list(nth)
    return nth[0] + _window() if nth else None


def note_address_failure(key: str) -> None:
    now = timezone.now()
    # Rows older than the window count for nothing: they go (they are not the audit, which
    # keeps every failed sign-in).
    AddressFailure.objects.filter(at__lte=now - _window()).delete()
    AddressFailure.objects.create(address_key=key, at=now)


# --- per crime reference ---


def lock_for(crime: Event) -> ReferenceLock:
    """The reference's count of wrong tries, locked for this transaction; forgotten after a
    quiet spell with no wait running."""
    lock, _ = ReferenceLock.objects.select_for_update().get_or_create(crime=crime)
    now = timezone.now()
    quiet = dt.timedelta(hours=settings.BLUELAMP_PORTAL_FAILURES_FORGOTTEN_HOURS)
    waiting = lock.locked_until and lock.locked_until > now
    last = lock.last_failure_at or lock.locked_at or now
    if lock.failures and not waiting and last <= now - quiet:
        clear(lock)
    return lock


def waits_until(lock: ReferenceLock | None) -> dt.datetime | None:
    if lock and lock.locked_until and lock.locked_until > timezone.now():
        return lock.locked_until
    return None


def wait_after(failures: int) -> dt.timedelta | None:
    """The wait after this many wrong tries in a row: none while they are free, then doubling."""
    beyond = failures - settings.BLUELAMP_PORTAL_FREE_FAILURES
    if beyond <= 0:
        return None
    first = dt.timedelta(seconds=settings.BLUELAMP_PORTAL_BACKOFF_FIRST_SECONDS)
    cap = dt.timedelta(minutes=settings.BLUELAMP_PORTAL_BACKOFF_MAX_MINUTES)
    return min(first * 2 ** min(beyond - 1, 30), cap)


def note_reference_failure(lock: ReferenceLock) -> None:
    now = timezone.now()
    lock.failures += 1
    lock.last_failure_at = now
    wait = wait_after(lock.failures)
    if wait:
        lock.locked_at, lock.locked_until = now, now + wait
    lock.save()


def clear(lock: ReferenceLock) -> None:
    lock.failures, lock.last_failure_at, lock.locked_at, lock.locked_until = 0, None, None, None
    lock.save()
