"""Writers queue in Python (quizsite/sqlite/base.py), within a process and between
processes, not in SQLite's sleeping busy handler."""

import subprocess
import sys
import threading
import time

import pytest
from django.db import connections

from quizsite.sqlite.base import DatabaseWrapper, writer_lock
from tests.servers import REPO

# Database access allowed: the tests open their own files beside the test database.
pytestmark = pytest.mark.django_db


def wrapper(path, alias):
    settings = {**connections["default"].settings_dict, "NAME": str(path)}
    return DatabaseWrapper(settings, alias=alias)


def begin(db):
    # What transaction.atomic() does first: BEGIN IMMEDIATE.
    db.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def commit(db):
    db.commit()
    db.set_autocommit(True)


def parked(thread) -> bool:
    """The thread is waiting for the process's writer lock (not inside SQLite)."""
    frame = sys._current_frames().get(thread.ident)
    while frame is not None:
        if frame.f_code.co_name == "_acquire_writer":
            return True
        if frame.f_code.co_filename.endswith("sqlite3/base.py"):
            return False  # inside Django's backend, past the lock
        frame = frame.f_back
    return False


@pytest.mark.parametrize("in_transaction", [True, False], ids=["atomic", "autocommit"])
def test_a_second_writer_waits_for_the_first_without_asking_sqlite(tmp_path, in_transaction):
    path = tmp_path / "writers.sqlite3"
    first = wrapper(path, "first")
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE t (who TEXT)")
    outcome = []

    def write_second():
        second = wrapper(path, "second")
        try:
            with second.cursor() as cursor:
                # SQLite alone would refuse this writer at once rather than wait.
                cursor.execute("PRAGMA busy_timeout = 0")
            if in_transaction:
                begin(second)
            # Outside a transaction this is Model.save() in autocommit mode: one INSERT.
            second.cursor().execute("INSERT INTO t VALUES ('second')")
            if in_transaction:
                commit(second)
            outcome.append("written")
        except Exception as exc:  # OperationalError: database is locked
            outcome.append(repr(exc))
        finally:
            second.close()

    begin(first)
    first.cursor().execute("INSERT INTO t VALUES ('first')")
    waiting = threading.Thread(target=write_second)
    waiting.start()
    deadline = time.monotonic() + 10
    while not parked(waiting) and waiting.is_alive() and time.monotonic() < deadline:
        time.sleep(0.005)
    assert parked(waiting), outcome  # queued behind the first, not refused by SQLite
    commit(first)
    waiting.join(10)
    assert outcome == ["written"]
    with first.cursor() as cursor:
        cursor.execute("SELECT who FROM t ORDER BY rowid")
        assert [row[0] for row in cursor.fetchall()] == ["first", "second"]
    assert not writer_lock(str(path)).locked()
    first.close()


def test_a_rolled_back_or_closed_transaction_lets_the_next_writer_in(tmp_path):
    path = tmp_path / "writers.sqlite3"
    db = wrapper(path, "db")
    begin(db)
    assert writer_lock(str(path)).locked()
    db.rollback()
    db.set_autocommit(True)
    assert not writer_lock(str(path)).locked()
    begin(db)
    db.close()  # a connection dropped mid-transaction
    assert not writer_lock(str(path)).locked()


def test_reads_and_writes_inside_a_transaction_do_not_wait(tmp_path):
    path = tmp_path / "writers.sqlite3"
    db = wrapper(path, "db")
    with db.cursor() as cursor:
        cursor.execute("CREATE TABLE t (who TEXT)")
    begin(db)  # holds the lock: its own statements must not ask for it again
    db.cursor().execute("INSERT INTO t VALUES ('one')")
    db.cursor().execute("SELECT count(*) FROM t")
    commit(db)
    assert not writer_lock(str(path)).locked()
    db.close()


OTHER_PROCESS = """
import sys
import django
from django.conf import settings

settings.configure(
    DATABASES={"default": {"ENGINE": "quizsite.sqlite", "NAME": sys.argv[1],
                           "OPTIONS": {"timeout": 20}}}
)
django.setup()
from django.db import connection

with connection.cursor() as cursor:
    cursor.execute("PRAGMA busy_timeout = 0")  # SQLite alone would refuse at once
print("writing", flush=True)
connection.cursor().execute("INSERT INTO t VALUES ('other process')")
print("written", flush=True)
"""


def test_a_writer_in_another_process_waits_for_the_file_lock_not_sqlite(tmp_path):
    # `make run`'s site processes, or a management command beside them.
    path = tmp_path / "writers.sqlite3"
    first = wrapper(path, "first")
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE t (who TEXT)")
    begin(first)
    first.cursor().execute("INSERT INTO t VALUES ('first')")
    other = subprocess.Popen(
        [sys.executable, "-c", OTHER_PROCESS, str(path)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert other.stdout.readline().strip() == "writing"
        time.sleep(0.3)
        assert other.poll() is None  # still waiting: not refused by SQLite, not done
        commit(first)
        out, err = other.communicate(timeout=30)
    finally:
        other.kill()
    assert other.returncode == 0, err
    assert out.strip() == "written"
    with first.cursor() as cursor:
        cursor.execute("SELECT who FROM t ORDER BY rowid")
        assert [row[0] for row in cursor.fetchall()] == ["first", "other process"]
    first.close()
