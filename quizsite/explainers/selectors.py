"""Reads of the explainers: every file rendered once per version, kept in memory.

A file's version is its (mtime, size). The folder is looked at again at most every
CONTENT_RECHECK_SECONDS (0 in DEBUG: an edit shows up on the next reload), so a page
view normally makes no file-system call at all; only a changed file is parsed and
rendered again.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from asgiref.sync import sync_to_async
from django.conf import settings

from .loader import Explainer, ExplainerError, explainer_load

# Not explainers: the format's own documentation, and URLs /learn/ uses itself.
SKIPPED = {"README.md"}
RESERVED_SLUGS = {"search"}

Version = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class Library:
    explainers: list[Explainer]
    by_slug: dict[str, Explainer] = field(repr=False)

    def get(self, slug: str) -> Explainer | None:
        return self.by_slug.get(slug)

    def neighbours(self, explainer: Explainer) -> tuple[Explainer | None, Explainer | None]:
        index = self.explainers.index(explainer)
        previous = self.explainers[index - 1] if index > 0 else None
        following = self.explainers[index + 1] if index + 1 < len(self.explainers) else None
        return previous, following


def explainers_dir() -> Path:
    return Path(getattr(settings, "EXPLAINERS_DIR", settings.BASE_DIR / "content" / "explainers"))


_files: dict[Path, tuple[int, int, Explainer]] = {}
_libraries: dict[Path, tuple[Version, Library]] = {}
_lock = threading.Lock()


def _version(directory: Path) -> Version:
    stats = []
    for path in sorted(directory.glob("*.md")):
        if path.name not in SKIPPED:
            stat = path.stat()
            stats.append((path.name, stat.st_mtime_ns, stat.st_size))
    return tuple(stats)


_checked_at: dict[Path, float] = {}


def _recheck_seconds() -> float:
    return 0.0 if settings.DEBUG else float(getattr(settings, "CONTENT_RECHECK_SECONDS", 2.0))


def _fresh(directory: Path) -> Library | None:
    cached = _libraries.get(directory)
    if cached is None:
        return None
    if time.monotonic() - _checked_at.get(directory, -1e9) < _recheck_seconds():
        return cached[1]
    if cached[0] == _version(directory):
        _checked_at[directory] = time.monotonic()
        return cached[1]
    return None


def library_version(*, directory: Path | None = None) -> Version:
    """The files' versions now (a stat per file): for caches of pages built from them."""
    return _version(directory or explainers_dir())


def library_load(*, directory: Path | None = None) -> Library:
    """Every explainer in `directory` (default: content/explainers), in `order`.

    Raises ExplainerError listing the problems of every bad file at once."""
    directory = directory or explainers_dir()
    if library := _fresh(directory):
        return library
    with _lock:  # two requests racing after an edit render the file once
        version = _version(directory)
        explainers, problems = [], []
        for name, mtime, size in version:
            path = directory / name
            cached = _files.get(path)
            if cached and cached[:2] == (mtime, size):
                explainers.append(cached[2])
                continue
            try:
                explainer = explainer_load(path=path)
            except ExplainerError as exc:
                problems.extend(exc.problems)
                continue
            _files[path] = (mtime, size, explainer)
            explainers.append(explainer)
        problems.extend(_library_problems(explainers))
        if problems:
            raise ExplainerError(problems)
        explainers.sort(key=lambda e: (e.order, e.slug))
        library = Library(explainers, {e.slug: e for e in explainers})
        _libraries[directory] = (version, library)
        _checked_at[directory] = time.monotonic()
        return library


async def library_aload(*, directory: Path | None = None) -> Library:
    """library_load for async views: the usual case (nothing changed) stays on the
    event loop; rendering changed files (tens of milliseconds of Pygments) goes to a
    worker thread so it never stalls other requests on the loop."""
    directory = directory or explainers_dir()
    if library := _fresh(directory):
        return library
    return await sync_to_async(library_load, thread_sensitive=False)(directory=directory)


def _library_problems(explainers: list[Explainer]) -> list[str]:
    problems = []
    first_with_order: dict[int, Explainer] = {}
    for explainer in sorted(explainers, key=lambda e: e.slug):
        if explainer.slug in RESERVED_SLUGS:
            problems.append(f"{explainer.path.name}:1: /learn/{explainer.slug}/ is taken: rename")
        if other := first_with_order.get(explainer.order):
            problems.append(
                f"{explainer.path.name}:1: order {explainer.order} is also {other.path.name}'s"
            )
        first_with_order.setdefault(explainer.order, explainer)
    return problems
