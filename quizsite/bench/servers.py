"""The servers the bench measures: the site exactly as `make run` starts it (the lab
supervisor) with its own VAR_DIR and database, and a bare Django project generated at
run time from `startproject`'s defaults, under gunicorn with 2 sync workers."""

from __future__ import annotations

import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent.parent
HELLO_URLS = """from django.http import HttpResponse
from django.urls import path


def hello(request):
    return HttpResponse("Hello, world")


urlpatterns = [path("", hello)]
"""


def free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_ports(count: int) -> int:
    """The first of `count` consecutive free ports (the supervisor uses PORT..PORT+3)."""
    for _ in range(200):
        first = random.randint(20_000, 60_000)
        if all(free(first + i) for i in range(count)):
            return first
    raise RuntimeError(f"no {count} consecutive free ports found")


def site_env(var_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "quizsite.settings",
        "VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'db.sqlite3'}",
        "STATIC_ROOT": str(var_dir / "static"),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        # The bench runs the lab from one client: the per-visitor limit is not measured.
        "LAB_RUNS_PER_MINUTE": "1000",
        "PYTHONUNBUFFERED": "1",
    }


def prepare(env: dict[str, str]) -> None:
    """What `make setup` does, into the bench's own VAR_DIR."""
    for args in (
        ["migrate", "--noinput"],
        ["collectstatic", "--noinput", "-v", "0"],
        ["load_content"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )


class Process:
    """A server in a session of its own, so stop() reaches every child it forks."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path, cwd: Path = REPO):
        self.log = log
        with open(log, "ab") as out:
            self.popen = subprocess.Popen(
                argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def wait_for(self, url: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise RuntimeError(f"exited early; see {self.log}:\n{self.log.read_text()[-3000:]}")
            try:
                if httpx.get(url, timeout=2).status_code < 500:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{url} did not answer within {timeout} s; see {self.log}")

    def stop(self) -> None:
        if self.popen.poll() is None:
            try:
                os.killpg(self.popen.pid, signal.SIGTERM)
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait()
            except ProcessLookupError:
                pass


def start_site(env: dict[str, str], port: int, log: Path) -> Process:
    site = Process(
        [
            sys.executable,
            "-m",
            "quizsite.lab.supervisor",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env,
        log,
    )
    site.wait_for(f"http://127.0.0.1:{port}/healthz")
    for lab_port in (port + 1, port + 2, port + 3):
        site.wait_for(f"http://127.0.0.1:{lab_port}/lab/targets/whoami/")
    return site


def lab_urls(port: int) -> dict[str, str]:
    """What the supervisor tells the site about its lab servers (for in-process use)."""
    return {
        "LAB_ASGI_URL": f"http://127.0.0.1:{port + 1}",
        "LAB_WSGI_SYNC_URL": f"http://127.0.0.1:{port + 2}",
        "LAB_WSGI_THREADS_URL": f"http://127.0.0.1:{port + 3}",
    }


def make_hello(where: Path) -> Path:
    """`django-admin startproject hello`, untouched but for one view at /."""
    where.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "django", "startproject", "hello", str(where)],
        check=True,
        env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
    )
    (where / "hello" / "urls.py").write_text(HELLO_URLS)
    return where


def start_hello(project: Path, port: int, log: Path) -> Process:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hello.settings"}
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "hello.wsgi:application",
        "--workers",
        "2",
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--no-control-socket",
    ]
    hello = Process(argv, env, log, cwd=project)
    hello.wait_for(f"http://127.0.0.1:{port}/")
    return hello
