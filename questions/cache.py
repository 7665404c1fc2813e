"""Question versions as learners see them, and their sets, kept in this process.

A learner's question page reads the same version (its options, its set, the description
above it) every time anyone opens that question: the costliest read of the page (two
queries, about 2 ms of ORM work) for rows that rarely change. `VersionMemo` keeps the
last few thousand (versions by primary key, and the sets attempts belong to, keyed
`("set", pk)`, see `selectors.attempt_get`), and forgets all of them when the content
may have changed:

- at once, on any save or delete of a set, question, version or option in this process
  (signals, connected in `QuestionsConfig.ready`);
- within `CONTENT_RECHECK_SECONDS` (2 s) for a change made by another process (a second
  worker, `import_questions`, the admin on another worker): the first read after that
  interval compares `selectors.content_stamp()`, which moves when sets are imported,
  saved or published and, through `touch_set`, when a question, version or option is
  saved or deleted one by one (the admin's inline edits).

Callers get the shared object: they read it, never change it.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings


class VersionMemo:
    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self.checked_at = float("-inf")

    def get(self, pk: Hashable, load: Callable[[], Any]) -> Any:
        self._recheck()
        with self._lock:
            if pk in self._items:
                self._items.move_to_end(pk)
                return self._items[pk]
        value = load()
        if value is not None:
            with self._lock:
                self._items[pk] = value
                if len(self._items) > self.size:
                    self._items.popitem(last=False)
        return value

    def clear(self, **signal_kwargs) -> None:
        with self._lock:
            self._items.clear()

    def _recheck(self) -> None:
        interval = float(getattr(settings, "CONTENT_RECHECK_SECONDS", 2.0))
        now = time.monotonic()
        with self._lock:
            if now - self.checked_at < interval:
                return
            # Claimed before the query: requests arriving meanwhile use what is kept
            # rather than each reading the stamp too.
            self.checked_at = now
        from .selectors import content_stamp

        stamp = content_stamp()
        with self._lock:
            if stamp != self._stamp:
                self._stamp = stamp
                self._items.clear()


VERSIONS = VersionMemo()


def touch_set(sender, instance, **kwargs) -> None:
    """Mark the set of a question, version or option saved or deleted one at a time as
    changed (its `updated_at`), so every process's content stamp moves. A delete that
    cascades from a bigger delete (a whole set, a question) is left to that one."""
    origin = kwargs.get("origin")
    if origin is not None and origin is not instance:
        return
    from .models import Option, Question, QuestionSet, QuestionVersion

    sets = QuestionSet.objects.all()
    if sender is Question:
        sets = sets.filter(pk=instance.question_set_id)
    elif sender is QuestionVersion:
        sets = sets.filter(questions__pk=instance.question_id)
    elif sender is Option:
        sets = sets.filter(questions__versions__pk=instance.version_id)
    else:
        return
    from django.utils import timezone

    sets.update(updated_at=timezone.now())


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    from .models import Option, Question, QuestionSet, QuestionVersion

    for model in (QuestionSet, Question, QuestionVersion, Option):
        post_save.connect(VERSIONS.clear, sender=model, dispatch_uid=f"versions-save-{model}")
        post_delete.connect(VERSIONS.clear, sender=model, dispatch_uid=f"versions-del-{model}")
    for model in (Question, QuestionVersion, Option):
        post_save.connect(touch_set, sender=model, dispatch_uid=f"touch-save-{model}")
        post_delete.connect(touch_set, sender=model, dispatch_uid=f"touch-del-{model}")
