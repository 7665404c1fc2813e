"""Django's SQLite backend, with this process's writers queueing in Python.

SQLite allows one writer at a time. Every transaction here begins with BEGIN IMMEDIATE
(`transaction_mode`), so a second writer waits, and SQLite's busy handler makes it wait
by sleeping and retrying: 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 ms... whether the
first writer finishes in 1 ms or not. Under a class answering at once, that puts
hundreds of milliseconds of pure sleep in the slow answers.

Here a transaction first takes a lock held by this process for its database file,
released at commit or rollback, and so does a write made outside a transaction
(`Model.save()` in autocommit mode is one INSERT or UPDATE, its own transaction): a
waiting writer is woken the moment the one before it ends, and a transaction never
meets SQLite's lock held by another thread of this process, which would send it to
sleep while holding the queue. SQLite's own lock still arbitrates between processes (a
second worker, a management command), and if the process lock is not free within the
connection's `timeout`, the write goes ahead to SQLite's own wait, as before. In-memory
databases (the test suite's) are left alone.
"""

from __future__ import annotations

import contextlib
import threading

from django.db.backends.sqlite3 import base

_writer_locks: dict[str, threading.Lock] = {}
_registry = threading.Lock()
# Statements that write by themselves (BEGIN is taken care of by the transaction).
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")


def writer_lock(name: str) -> threading.Lock:
    with _registry:
        return _writer_locks.setdefault(name, threading.Lock())


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
    _holding: threading.Lock | None = None
    _cursor_class: type | None = None

    def create_cursor(self, name=None):
        if self.is_in_memory_db():
            return super().create_cursor(name)
        if self._cursor_class is None:
            self._cursor_class = type("Cursor", (QueuedWritesCursor,), {"queue": self})
        return self.connection.cursor(factory=self._cursor_class)

    def _acquire_writer(self) -> threading.Lock | None:
        """This process's lock for the database file, or None when it is not free
        within the connection's timeout (then SQLite's own wait takes over)."""
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
