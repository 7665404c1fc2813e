"""Fixtures shared by the whole suite: a real uvicorn server for the site, and headless
Chromium (Debian's, at /usr/bin/chromium) driven by Playwright."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import Server, prepare_site, site_env, uvicorn_argv

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Without the background-networking switches Chromium keeps calling home, and this
# machine's closed network refuses every one of those connections.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]
IN_CI = os.environ.get("CI") == "true"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if {"page", "browser", "browser_context_factory"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
        if "site_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.server)
    # Playwright's sync API keeps an event loop running in the main thread while the
    # session's browser is open, which breaks any async test after it: browser tests
    # therefore run last. For the same reason a browser test must not use the ORM
    # in-process; it sets data up through tests.servers.manage(site_server_env, ...).
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """In-process tests render templates without collectstatic's manifest; the real
    servers below use the manifest, as production does."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # An existing folder, so servestatic does not warn on a fresh clone where nothing
    # has been collected into var/static yet.
    settings.STATIC_ROOT = settings.BASE_DIR / "static"


@pytest.fixture(autouse=True)
def _fresh_page_cache(settings):
    """Each test starts with an empty page cache and version memo, fresh lab health, and no
    re-check of the content stamp (it would query the database outside the test's
    transaction); tests of the re-check turn it back on."""
    from questions.cache import VERSIONS
    from quizsite.lab import conductor
    from quizsite.pagecache import STORE

    STORE.clear()
    STORE.checked_at = float("inf")  # "just checked", for ever
    VERSIONS.clear()
    VERSIONS.checked_at = float("inf")
    conductor._health = None
    yield
    STORE.clear()
    VERSIONS.clear()


@pytest.fixture(autouse=True)
def _fresh_counters():
    """Limits and throttles count per process: each test starts from nothing."""
    from quizsite import counters

    counters.local_reset()
    yield
    counters.local_reset()


# --- The site on a real uvicorn ---------------------------------------------------------
@pytest.fixture(scope="session")
def site_var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("site")


@pytest.fixture(scope="session")
def site_server_env(site_var_dir: Path) -> dict[str, str]:
    """The environment of the session's site server; pass it to tests.servers.manage()
    to create users or data in that server's own database."""
    env = site_env(site_var_dir)
    prepare_site(env)
    return env


@pytest.fixture(scope="session")
def site_server(site_server_env: dict[str, str], site_var_dir: Path) -> Iterator[Server]:
    """The whole site, set up as `make run` sets it up, served by uvicorn on loopback."""
    server = Server(uvicorn_argv(), site_server_env, site_var_dir / "uvicorn.log").start()
    yield server
    server.stop()


# --- Headless Chromium ------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"Chromium is missing at {CHROMIUM} (apt-get install chromium)"
        if IN_CI:
            pytest.fail(message + ": CI must run the browser tests.")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_context_factory(browser):
    """Make browser contexts (cookie jars); closed at the end of the test."""
    contexts = []

    def make(**options):
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def console_errors() -> list[str]:
    """Console errors and page errors seen by `page`: CSP violations land here."""
    return []


@pytest.fixture
def page(browser_context_factory, console_errors):
    page = browser_context_factory().new_page()
    page.on("console", lambda msg: msg.type == "error" and console_errors.append(msg.text))
    page.on("pageerror", lambda exc: console_errors.append(str(exc)))
    return page
