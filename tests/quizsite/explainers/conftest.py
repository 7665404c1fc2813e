"""Explainer fixtures: sample explainers copied to a tmp folder the site reads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def explainers_dir(tmp_path: Path, settings) -> Path:
    """A fresh copy of the two sample explainers, served at /learn/ for this test."""
    directory = tmp_path / "explainers"
    shutil.copytree(FIXTURES, directory)
    settings.EXPLAINERS_DIR = directory
    # These tests edit files and expect the next load to see it at once.
    settings.CONTENT_RECHECK_SECONDS = 0
    return directory


def write_explainer(directory: Path, slug: str, front_matter: str, body: str = "Text.\n") -> Path:
    path = directory / f"{slug}.md"
    path.write_text(f"---\n{front_matter.strip()}\n---\n{body}", encoding="utf-8")
    return path


VALID_FRONT_MATTER = """
title: A title
summary: One line.
order: 5
tags: [asyncio]
question_sets: [sync-vs-async]
lab: [async-sleep]
checked:
  django: "6.0"
  python: "3.12"
"""


@pytest.fixture(scope="session")
def explainer_site(tmp_path_factory):
    """The whole site on a real uvicorn, serving the two samples and a hostile one."""
    from tests.quizsite.hostile import HOSTILE_MARKDOWN
    from tests.servers import Server, manage, site_env, uvicorn_argv

    var_dir = tmp_path_factory.mktemp("explainer-site")
    directory = var_dir / "explainers"
    shutil.copytree(FIXTURES, directory)
    front_matter = VALID_FRONT_MATTER.replace("order: 5", "order: 3").replace("A title", "Hostile")
    write_explainer(directory, "hostile", front_matter, HOSTILE_MARKDOWN)
    env = site_env(
        var_dir,
        DJANGO_SETTINGS_MODULE="tests.quizsite.explainers.server_settings",
        EXPLAINERS_DIR=str(directory),
    )
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    manage(env, "load_content")  # the real question sets, so "Test yourself" has titles
    server = Server(uvicorn_argv(), env, var_dir / "uvicorn.log").start()
    yield server
    server.stop()
