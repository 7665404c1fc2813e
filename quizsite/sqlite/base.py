"""Django's SQLite backend, with this process's writers queueing in Python.

SQLite allows one writer at a time. Every transaction here begins with BEGIN IMMEDIATE
(`transaction_mode`), so a second writer waits, and SQLite's busy handler makes it wait
by sleeping and retrying: 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 ms... whether the
first writer finishes in 1 ms or not. Under a class answering at once, that puts
hundreds of milliseconds of pure sleep in the slow answers.

Here a transaction first takes a lock held by this process for its database file,
released at commit or rollback: a waiting writer is woken the moment the one before it
ends. SQLite's own lock still arbitrates between processes (a second worker, a
management command), and if the process lock is not free within the connection's
`timeout`, the transaction goes ahead to SQLite's own wait, as before. In-memory
databases (the test suite's) are left alone.
"""

from __future__ import annotations

import threading

from django.db.backends.sqlite3 import base

_writer_locks: dict[str, threading.Lock] = {}
_registry = threading.Lock()


def writer_lock(name: str) -> threading.Lock:
    with _registry:
        return _writer_locks.setdefault(name, threading.Lock())


class DatabaseWrapper(base.DatabaseWrapper):
    _holding: threading.Lock | None = None

    def _start_transaction_under_autocommit(self):
        lock = None
        if not self.is_in_memory_db():
            lock = writer_lock(str(self.settings_dict["NAME"]))
            timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
            if not lock.acquire(timeout=timeout):
                lock = None
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
