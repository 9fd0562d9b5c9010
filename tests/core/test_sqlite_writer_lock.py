"""core/sqlite: one writer at a time across processes through a flock beside the database,
released at commit, rollback or close; SQLite's automatic checkpoint replaced by our own.
Runs against a file database of its own, whatever database the suite runs on."""

import fcntl
import os
import threading

import pytest
from django.db.utils import ConnectionHandler

from bluelamp.core.sqlite import base


def _connection(path):
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "bluelamp.core.sqlite",
                "NAME": str(path),
                "OPTIONS": {
                    "transaction_mode": "IMMEDIATE",
                    "init_command": "PRAGMA journal_mode=WAL;",
                },
            }
        }
    )
    return handler["default"]


def _lock_is_free(path) -> bool:
    fd = os.open(f"{path}.writer-lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # closing releases a lock we took
    return True


@pytest.fixture(autouse=True)
def _own_database(django_db_blocker):
    with django_db_blocker.unblock():  # a database of this module's own, not the suite's
        yield


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "writer.sqlite3"
    setup = _connection(path)
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE t (n INTEGER)")
    setup.close()
    return path


def _begin(conn):
    conn.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def _end(conn, how):
    getattr(conn, how)()
    conn.set_autocommit(True)


@pytest.mark.parametrize("how", ["commit", "rollback"])
def test_a_transaction_holds_the_lock_until_it_ends(database, how):
    conn = _connection(database)
    _begin(conn)
    with conn.cursor() as cursor:
        cursor.execute("INSERT INTO t VALUES (1)")
    assert not _lock_is_free(database)
    _end(conn, how)
    assert _lock_is_free(database)
    conn.close()


def test_closing_a_connection_mid_transaction_frees_the_lock(database):
    conn = _connection(database)
    _begin(conn)
    assert not _lock_is_free(database)
    conn.close()
    assert _lock_is_free(database)


def test_a_second_writer_waits_its_turn_then_writes(database):
    first, order = _connection(database), []
    _begin(first)
    with first.cursor() as cursor:
        cursor.execute("INSERT INTO t VALUES (1)")

    def second_writer():
        second = _connection(database)
        _begin(second)  # blocks on the flock until the first writer commits
        order.append("second began")
        with second.cursor() as cursor:
            cursor.execute("INSERT INTO t VALUES (2)")
        _end(second, "commit")
        second.close()

    thread = threading.Thread(target=second_writer)
    thread.start()
    thread.join(timeout=0.5)
    assert thread.is_alive()  # still waiting: the first writer holds the turn
    order.append("first committed")
    _end(first, "commit")
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert order == ["first committed", "second began"]
    with first.cursor() as cursor:
        cursor.execute("SELECT n FROM t ORDER BY n")
        assert cursor.fetchall() == [(1,), (2,)]
    first.close()


def test_checkpoints_are_ours_not_sqlites(database, monkeypatch):
    monkeypatch.setattr(base, "CHECKPOINT_EVERY", 3)
    conn = _connection(database)
    with conn.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone() == (0,)
    for n in range(3):
        _begin(conn)
        with conn.cursor() as cursor:
            cursor.execute("INSERT INTO t VALUES (%s)", [n])
        _end(conn, "commit")
    # The third commit checkpointed: every frame in the log is already in the database.
    with conn.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
        busy, log_frames, checkpointed = cursor.fetchone()
    assert busy == 0
    assert log_frames == checkpointed
    assert conn._commits_since_checkpoint == 0
    conn.close()


def test_a_long_log_is_checkpointed_before_the_hundredth_commit(database, monkeypatch):
    """Large transactions (a bulk load) checkpoint by the log's length, not only every
    CHECKPOINT_EVERY commits, so the log stays near the limit instead of growing with them."""
    monkeypatch.setattr(base, "CHECKPOINT_LOG_BYTES", 1024 * 1024)
    conn = _connection(database)
    longest = 0
    for _ in range(30):  # each commit logs about 0.4 MB
        _begin(conn)
        with conn.cursor() as cursor:
            cursor.executemany("INSERT INTO t VALUES (%s)", [(n,) for n in range(40_000)])
        conn.commit()
        conn.set_autocommit(True)
        longest = max(longest, os.path.getsize(f"{database}-wal"))
    conn.close()
    # Without the length rule the log would hold all 30 commits (about 12 MB).
    assert longest < 3 * 1024 * 1024
