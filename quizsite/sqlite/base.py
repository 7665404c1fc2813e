"""Django's SQLite backend, with writers queueing in Python instead of sleeping in SQLite.

SQLite allows one writer at a time. Every transaction here begins with BEGIN IMMEDIATE
(`transaction_mode`), so a second writer waits, and SQLite's busy handler makes it wait
by sleeping and retrying: 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 ms... whether the
first writer finishes in 1 ms or not. Under a class answering at once, that puts
hundreds of milliseconds of pure sleep in the slow answers.

Here a transaction first takes the database file's writer lock, released at commit or
rollback, and so does a write made outside a transaction (`Model.save()` in autocommit
mode is one INSERT or UPDATE, its own transaction). The lock has two parts:

- a lock of this process: its threads queue there, and the next one is woken the moment
  the one before it ends;
- then an advisory lock (flock) on a file beside the database, which the head of each
  process's queue takes: `make run`'s several site processes, a management command.
  It waits in the kernel, which hands the lock over the moment it is released (not
  SQLite's sleeps of up to 100 ms). A process holding it that dies releases it with its
  descriptors.

So a transaction never meets SQLite's lock held by a writer of this site, which would
send it to sleep while holding the queue. If this process's queue is not had within
the connection's `timeout`, the write goes ahead to SQLite's own wait, as before (other
programs writing the file meet only that). The file lock has no timeout: its holders
are this site's transactions, which end. In-memory databases (the test suite's) are
left alone.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading

from django.db.backends.sqlite3 import base

_registry = threading.Lock()


class WriterLock:
    """The writer lock of one database file: this process's queue, then the file lock."""

    def __init__(self, name: str):
        self.queue = threading.Lock()
        self.path = f"{name}-writers.lock"
        self.fd: int | None = None
        self.pid = 0

    def _file(self) -> int:
        # Opened once per process (a forked child must not share the parent's open file:
        # flock belongs to it, and the two would count as one holder).
        if self.fd is None or self.pid != os.getpid():
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            self.pid = os.getpid()
        return self.fd

    def acquire(self, timeout: float) -> bool:
        if not self.queue.acquire(timeout=timeout):
            return False
        try:
            # Blocking: the kernel hands the lock to a waiter the moment its holder lets
            # go, without that waiter needing its process's GIL first. (A waiter that
            # tried again every millisecond lost nearly every time to the holder's own
            # next writer: under a class answering on two processes, one process's
            # answers waited 0.5 s on average for it, the other's 35 ms.)
            fcntl.flock(self._file(), fcntl.LOCK_EX)
            return True
        except BaseException:
            self.queue.release()
            raise

    def locked(self) -> bool:
        return self.queue.locked()

    def release(self) -> None:
        try:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            self.queue.release()


_writer_locks: dict[str, WriterLock] = {}
# Statements that write by themselves (BEGIN is taken care of by the transaction).
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")


def writer_lock(name: str) -> WriterLock:
    with _registry:
        if name not in _writer_locks:
            _writer_locks[name] = WriterLock(name)
        return _writer_locks[name]


class QueuedWritesCursor(base.SQLiteCursorWrapper):
    """A write outside a transaction waits for the process's writer lock."""

    queue: DatabaseWrapper

    def execute(self, query, params=None):
        if self.connection.in_transaction or not query.lstrip()[:7].upper().startswith(WRITES):
            return super().execute(query, params)
        with self._queued():
            return super().execute(query, params)

    def executemany(self, query, param_list):
        if self.connection.in_transaction:
            return super().executemany(query, param_list)
        with self._queued():
            return super().executemany(query, param_list)

    @contextlib.contextmanager
    def _queued(self):
        lock = self.queue._acquire_writer()
        try:
            yield
        finally:
            if lock is not None:
                lock.release()


class DatabaseWrapper(base.DatabaseWrapper):
    _holding: WriterLock | None = None
    _cursor_class: type | None = None

    def create_cursor(self, name=None):
        if self.is_in_memory_db():
            return super().create_cursor(name)
        if self._cursor_class is None:
            self._cursor_class = type("Cursor", (QueuedWritesCursor,), {"queue": self})
        return self.connection.cursor(factory=self._cursor_class)

    def _acquire_writer(self) -> WriterLock | None:
        """The database file's writer lock, or None when it is not had within the
        connection's timeout (then SQLite's own wait takes over)."""
        if self.is_in_memory_db():
            return None
        lock = writer_lock(str(self.settings_dict["NAME"]))
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        return lock if lock.acquire(timeout=timeout) else None

    def _start_transaction_under_autocommit(self):
        lock = self._acquire_writer()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        self._holding = lock

    def _release_writer(self) -> None:
        lock, self._holding = self._holding, None
        if lock is not None:
            lock.release()

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_writer()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_writer()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_writer()
