"""Real servers for tests: start a process on a free loopback port, wait until it
answers, stop it (and its children) afterwards. Used by the site, lab and scale-out
tests; nothing here is a mock."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_env(var_dir: Path, **overrides: str) -> dict[str, str]:
    """Environment for a site process with its own database and static files in var_dir."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "quizsite.settings",
        "VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'db.sqlite3'}",
        "STATIC_ROOT": str(var_dir / "static"),
        "SECRET_KEY": "test-only-secret-key-not-for-production-0123456789abcdef",
        "DEBUG": "0",
        "PYTHONUNBUFFERED": "1",
    }
    env.update(overrides)
    return env


def manage(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run `python manage.py ...` against the database that env points at."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check and result.returncode != 0:
        raise RuntimeError(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result


def prepare_site(env: dict[str, str]) -> None:
    """What `make run` does before serving: migrate, collect static files, load content."""
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    manage(env, "load_content")


@dataclass
class Server:
    argv: list[str]
    env: dict[str, str]
    log_path: Path
    port: int = field(default_factory=free_port)
    host: str = "127.0.0.1"
    process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def start(self, ready_path: str = "/healthz", timeout: float = 30.0) -> Server:
        argv = [part.format(host=self.host, port=self.port) for part in self.argv]
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        # A session of its own, so stop() can signal the server and every child it forks.
        self.process = subprocess.Popen(
            argv,
            cwd=REPO,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{argv[0]} exited early:\n{self.log()}")
            try:
                # Any HTTP answer means the server is up, even a 503 from a sick app.
                httpx.get(self.url(ready_path), timeout=2)
                return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{argv} did not answer {ready_path} within {timeout}s:\n{self.log()}")

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-8000:]
        except FileNotFoundError:
            return ""

    def stop(self, timeout: float = 10.0) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
            except ProcessLookupError:
                pass
        self._log.close()
        self.process = None


def uvicorn_argv(app: str = "quizsite.asgi:application", *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--host",
        "{host}",
        "--port",
        "{port}",
        "--lifespan",
        "off",
        *extra,
    ]


class Hub:
    """`python -m quizsite.hub` on a Unix socket of its own (a short path: a socket's
    path may not be longer than 107 bytes, which a test's tmp_path can be)."""

    def __init__(self) -> None:
        self.dir = tempfile.mkdtemp(prefix="hub-")
        self.path = os.path.join(self.dir, "hub.sock")
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 15.0) -> Hub:
        argv = [sys.executable, "-m", "quizsite.hub", "--path", self.path]
        self.process = subprocess.Popen(argv, cwd=REPO)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
                try:
                    probe.connect(self.path)
                    return self
                except OSError:
                    time.sleep(0.05)
        raise RuntimeError("the hub did not listen in time")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
