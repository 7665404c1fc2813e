"""The library: rendered once per file version, in order, refreshed on change."""

import os

import pytest

from quizsite.explainers import selectors
from quizsite.explainers.loader import ExplainerError
from quizsite.explainers.selectors import library_aload, library_load

from .conftest import VALID_FRONT_MATTER, write_explainer


def test_explainers_come_in_order_and_readme_is_not_one(explainers_dir):
    (explainers_dir / "README.md").write_text("# How to write one\n")
    library = library_load()
    assert [e.slug for e in library.explainers] == ["event-loop", "threads"]
    first, second = library.explainers
    assert library.neighbours(first) == (None, second)
    assert library.neighbours(second) == (first, None)
    assert library.get("threads") is second
    assert library.get("nope") is None


def test_an_unchanged_file_is_not_rendered_again(explainers_dir, monkeypatch):
    first = library_load()
    renders = []
    monkeypatch.setattr(
        selectors, "explainer_load", lambda **kw: renders.append(kw) or pytest.fail("rendered")
    )
    assert library_load() is first
    assert renders == []


def test_an_edited_file_is_rendered_again_and_only_that_one(explainers_dir):
    before = library_load()
    path = explainers_dir / "threads.md"
    stat = path.stat()
    path.write_text(
        path.read_text().replace("title: Threads and the GIL", "title: Threads and the Gil")
    )
    # A same-size edit within the clock's resolution: the mtime still moves on.
    assert path.stat().st_size == stat.st_size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    after = library_load()
    assert after is not before
    assert after.get("threads").title == "Threads and the Gil"
    assert after.get("event-loop") is before.get("event-loop")


def test_a_new_and_a_removed_file_show_up(explainers_dir):
    library_load()
    write_explainer(explainers_dir, "newcomer", VALID_FRONT_MATTER)
    (explainers_dir / "threads.md").unlink()
    assert [e.slug for e in library_load().explainers] == ["event-loop", "newcomer"]


def test_problems_of_all_files_are_raised_together(explainers_dir):
    write_explainer(explainers_dir, "broken", VALID_FRONT_MATTER.replace("order: 5", "order: 0"))
    write_explainer(explainers_dir, "twin", VALID_FRONT_MATTER.replace("order: 5", "order: 2"))
    write_explainer(explainers_dir, "search", VALID_FRONT_MATTER.replace("order: 5", "order: 9"))
    with pytest.raises(ExplainerError) as caught:
        library_load()
    assert caught.value.problems == [
        "broken.md:4: order: must be a whole number from 1 up, not 0",
        "search.md:1: /learn/search/ is taken: rename",
        "twin.md:1: order 2 is also threads.md's",
    ]


async def test_the_async_reader_renders_in_a_thread_and_then_stays_on_the_loop(explainers_dir):
    library = await library_aload()
    assert [e.slug for e in library.explainers] == ["event-loop", "threads"]
    assert await library_aload() is library


def test_within_the_recheck_interval_a_load_makes_no_file_system_call(
    explainers_dir, settings, monkeypatch
):
    settings.CONTENT_RECHECK_SECONDS = 60
    first = library_load()
    calls = []
    real_stat = os.stat
    monkeypatch.setattr(os, "stat", lambda *a, **k: calls.append(a) or real_stat(*a, **k))
    assert library_load() is first
    assert calls == []
    # Once the interval is over the folder is looked at again, and an edit is seen.
    settings.CONTENT_RECHECK_SECONDS = 0
    path = explainers_dir / "threads.md"
    path.write_text(path.read_text().replace("title: Threads and the GIL", "title: Changed"))
    assert library_load().get("threads").title == "Changed"
    assert calls
