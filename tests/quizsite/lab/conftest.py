"""Real lab servers for the lab's tests: the lab ASGI worker (uvicorn, one worker) and
gunicorn with one sync worker and with one threaded worker, all on free loopback ports,
plus a site server whose settings point at them. Started once per session."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import Server, free_port, uvicorn_argv

WSGI_THREADS = 4


def gunicorn_argv(*worker: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "quizsite.wsgi:application",
        "--bind",
        "{host}:{port}",
        "--workers",
        "1",
        "--timeout",
        "60",
        "--no-control-socket",
        *worker,
    ]


@pytest.fixture(scope="session")
def lab_ports() -> dict[str, int]:
    return {"asgi": free_port(), "sync": free_port(), "threads": free_port()}


@pytest.fixture(scope="session")
def lab_env(site_server_env: dict[str, str], lab_ports: dict[str, int]) -> dict[str, str]:
    """The site's environment (its prepared database) with the lab servers' URLs."""
    return {
        **site_server_env,
        "LAB_ASGI_URL": f"http://127.0.0.1:{lab_ports['asgi']}",
        "LAB_WSGI_SYNC_URL": f"http://127.0.0.1:{lab_ports['sync']}",
        "LAB_WSGI_THREADS_URL": f"http://127.0.0.1:{lab_ports['threads']}",
        "LAB_WSGI_THREADS": str(WSGI_THREADS),
        # The tests run many experiments in a row: the per-client rate is not under test
        # here (test_limits.py tests it in-process); one run at a time is.
        "LAB_RUNS_PER_MINUTE": "1000",
        "LAB_MAX_CONCURRENT_RUNS": "1",
    }


@pytest.fixture(scope="session")
def lab_servers(lab_env, lab_ports, site_var_dir: Path) -> Iterator[dict[str, Server]]:
    env = {**lab_env, "LAB_SERVE_TARGETS": "1"}
    ready = "/lab/targets/whoami/"
    servers = {
        "asgi": Server(
            uvicorn_argv("quizsite.lab.asgi:application"),
            env,
            site_var_dir / "lab-asgi.log",
            port=lab_ports["asgi"],
        ),
        "sync": Server(
            gunicorn_argv("--worker-class", "sync"),
            env,
            site_var_dir / "lab-sync.log",
            port=lab_ports["sync"],
        ),
        "threads": Server(
            gunicorn_argv("--worker-class", "gthread", "--threads", str(WSGI_THREADS)),
            env,
            site_var_dir / "lab-threads.log",
            port=lab_ports["threads"],
        ),
    }
    try:
        for server in servers.values():
            server.start(ready_path=ready)
        yield servers
    finally:
        for server in servers.values():
            server.stop()


@pytest.fixture(scope="session")
def lab_site(lab_env, lab_servers, site_var_dir: Path) -> Iterator[Server]:
    """The site on uvicorn, its lab pointed at the session's lab servers."""
    server = Server(uvicorn_argv(), lab_env, site_var_dir / "lab-site.log").start()
    yield server
    server.stop()


@pytest.fixture
def lab_settings(settings, lab_env):
    """In-process settings pointed at the session's lab servers."""
    for name in ("LAB_ASGI_URL", "LAB_WSGI_SYNC_URL", "LAB_WSGI_THREADS_URL"):
        setattr(settings, name, lab_env[name])
    settings.LAB_WSGI_THREADS = WSGI_THREADS
    return settings
