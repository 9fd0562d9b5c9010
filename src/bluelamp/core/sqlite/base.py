"""SQLite, as Django's backend, with one writer at a time across processes woken the moment the
writer before it finishes.

SQLite allows one writer. With ``BEGIN IMMEDIATE`` a second writer waits in SQLite's busy
handler, which sleeps 1, 2, 5, 10, 15, 20, 25 ms ... between tries, so under steady writes a
worker sleeps long after the lock is free: recording crimes with two gunicorn workers kept about
one core busy of two (bench/crime_load.py). Here every transaction first takes an exclusive
``flock`` on a file beside the database and holds it until commit or rollback; the kernel wakes
the next waiter at once, in turn. Statements outside a transaction do not take it and fall back
on SQLite's own busy handler, as before. An in-memory database has one process and needs none.

Checkpoints (copying the write-ahead log into the database, with an fsync) are taken off that
path too. SQLite's automatic checkpoint runs inside the commit that crosses 1,000 log pages, so
one writer in forty or so paid 5-20 ms while holding the lock. Here a connection checkpoints
(PASSIVE: it never blocks writers or readers) after every CHECKPOINT_EVERY of its commits,
or sooner once the log passes CHECKPOINT_LOG_BYTES (a bulk load's transactions are large: the
synthetic generator's grew the log past 11 GB between checkpoints), after releasing the writer
lock.
"""

from __future__ import annotations

import fcntl
import os

from django.db.backends.sqlite3 import base

CHECKPOINT_EVERY = 100  # commits per connection; about 2,500 log pages of recorded crimes
CHECKPOINT_LOG_BYTES = 64 * 1024 * 1024  # or once the log is this long, whatever the commits


class DatabaseWrapper(base.DatabaseWrapper):
    _writer_fd: int | None = None
    _writer_held = False
    _commits_since_checkpoint = 0

    def get_new_connection(self, conn_params):
        conn = super().get_new_connection(conn_params)
        if not self.is_in_memory_db():
            conn.execute("PRAGMA wal_autocheckpoint = 0")  # _checkpoint_now_and_then instead
        return conn

    def _writer_lock_path(self) -> str | None:
        if self.is_in_memory_db():
            return None
        return f"{self.settings_dict['NAME']}.writer-lock"

    def _take_writer_lock(self) -> None:
        path = self._writer_lock_path()
        if path is None or self._writer_held:
            return
        if self._writer_fd is None:
            self._writer_fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(self._writer_fd, fcntl.LOCK_EX)
        self._writer_held = True

    def _release_writer_lock(self) -> None:
        if self._writer_held:
            self._writer_held = False
            fcntl.flock(self._writer_fd, fcntl.LOCK_UN)

    def _start_transaction_under_autocommit(self):
        self._take_writer_lock()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_writer_lock()
            raise

    def _commit(self):
        try:
            committed = super()._commit()
        finally:
            self._release_writer_lock()
        self._checkpoint_now_and_then()
        return committed

    def _checkpoint_now_and_then(self) -> None:
        if self.is_in_memory_db() or self.connection is None:
            return
        self._commits_since_checkpoint += 1
        if self._commits_since_checkpoint >= CHECKPOINT_EVERY or self._log_bytes() > (
            CHECKPOINT_LOG_BYTES
        ):
            self._commits_since_checkpoint = 0
            self.connection.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def _log_bytes(self) -> int:
        try:
            return os.stat(f"{self.settings_dict['NAME']}-wal").st_size
        except OSError:  # no log yet
            return 0

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_writer_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_writer_lock()
            if self._writer_fd is not None:
                os.close(self._writer_fd)
                self._writer_fd = None
