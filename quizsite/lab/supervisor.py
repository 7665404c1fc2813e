"""`make run`: the site and its lab servers, supervised together.

    python -m quizsite.lab.supervisor --host 127.0.0.1 --port 8000

starts the site (uvicorn on HOST:PORT, one process per core, at least two, see
site_workers), the hub that joins those processes when REDIS_URL is not set (on a Unix
socket this process binds, see quizsite/hub) and three lab servers on loopback: the lab ASGI
worker (uvicorn, one worker) on PORT+1, gunicorn with one sync worker on PORT+2 and
gunicorn with one threaded worker on PORT+3 (LAB_ASGI_PORT, LAB_WSGI_SYNC_PORT and
LAB_WSGI_THREADS_PORT override them). A lab server that dies is started again; if the
site dies, everything stops. SIGINT or SIGTERM stops every child, and their children.
No Django here: this process only starts and watches others.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

PYTHON = sys.executable


@dataclass
class Child:
    name: str
    argv: list[str]
    env: dict[str, str]
    restart: bool = True
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    backoff: float = 0.5
    due: float = 0.0  # when a dead child may be started again
    restarts: int = field(default=0)
    # Listening sockets the child inherits (kept open here, so a restarted child gets
    # the same address and nobody's connection is refused meanwhile).
    sockets: list[socket.socket] = field(default_factory=list)

    def start(self) -> None:
        # A session of its own: Ctrl+C in the terminal reaches only the supervisor, which
        # then stops each child's whole group (gunicorn's workers too), in order.
        fds = tuple(sock.fileno() for sock in self.sockets)
        self.process = subprocess.Popen(
            self.argv, env=self.env, start_new_session=True, pass_fds=fds
        )
        self.started_at = time.monotonic()
        log(f"started {self.name} (pid {self.process.pid}): {' '.join(self.argv[1:])}")

    def signal(self, signum: int) -> None:
        if self.process and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signum)
            except ProcessLookupError:
                pass


def log(message: str) -> None:
    print(f"[supervisor] {message}", file=sys.stderr, flush=True)


def server_log_level(environ: dict[str, str] | None = None) -> str:
    """LOG_LEVEL as uvicorn and gunicorn spell it (both take these five names)."""
    level = (environ if environ is not None else os.environ).get("LOG_LEVEL", "INFO").lower()
    level = {"warn": "warning", "fatal": "critical"}.get(level, level)
    return level if level in ("critical", "error", "warning", "info", "debug") else "info"


def site_workers(environ: dict[str, str] | None = None) -> tuple[int, str]:
    """How many uvicorn processes serve the site, and why: one per core, at least two
    (a page's CPU work holds one process's event loop; a second process serves while it
    does). WEB_CONCURRENCY decides when set (uvicorn reads the same variable)."""
    environ = os.environ if environ is None else environ
    if chosen := environ.get("WEB_CONCURRENCY"):
        return max(1, int(chosen)), "WEB_CONCURRENCY"
    cores = max(2, os.cpu_count() or 1)
    if environ.get("REDIS_URL"):
        return cores, "one per core: Redis carries Channels groups, the cache and the counters"
    return cores, "one per core: the hub carries Channels groups and the counters between them"


def hub_child(base: dict[str, str]) -> tuple[Child, str]:
    """The hub on a Unix socket bound here, in a directory of its own (a socket path
    must be short: VAR_DIR may not be)."""
    path = os.path.join(tempfile.mkdtemp(prefix="quizsite-hub-"), "hub.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(path)
    sock.listen(512)
    argv = [PYTHON, "-m", "quizsite.hub", "--fd", str(sock.fileno())]
    return Child("hub", argv, base, sockets=[sock]), path


def children(host: str, port: int) -> list[Child]:
    ports = {
        "asgi": int(os.environ.get("LAB_ASGI_PORT", port + 1)),
        "sync": int(os.environ.get("LAB_WSGI_SYNC_PORT", port + 2)),
        "threads": int(os.environ.get("LAB_WSGI_THREADS_PORT", port + 3)),
    }
    threads = os.environ.get("LAB_WSGI_THREADS", "4")
    base = {
        **os.environ,
        "LAB_ASGI_URL": f"http://127.0.0.1:{ports['asgi']}",
        "LAB_WSGI_SYNC_URL": f"http://127.0.0.1:{ports['sync']}",
        "LAB_WSGI_THREADS_URL": f"http://127.0.0.1:{ports['threads']}",
        "LAB_WSGI_THREADS": threads,
        "PYTHONUNBUFFERED": "1",
    }
    site_env = {k: v for k, v in base.items() if k != "LAB_SERVE_TARGETS"}
    lab_env = {**base, "LAB_SERVE_TARGETS": "1"}
    # The servers' own loggers (uvicorn's access line per request, gunicorn's) follow
    # LOG_LEVEL too: at WARNING they write no line per request.
    level = server_log_level()
    uvicorn = [PYTHON, "-m", "uvicorn", "quizsite.asgi:application", "--lifespan", "off"]
    uvicorn += ["--log-level", level]
    # The site's application plus the thread-hops target behind two stacks.
    lab_uvicorn = [PYTHON, "-m", "uvicorn", "quizsite.lab.asgi:application", "--lifespan", "off"]
    lab_uvicorn += ["--log-level", level]
    # A sync worker holds one request for up to n × delay (10 s at most): give it room.
    gunicorn = [
        PYTHON,
        "-m",
        "gunicorn",
        "quizsite.wsgi:application",
        "--workers",
        "1",
        "--timeout",
        "60",
        "--no-control-socket",
        "--log-level",
        level,
    ]
    workers, why = site_workers()
    log(f"site: {workers} worker process{'es' if workers > 1 else ''} ({why})")
    hub = []
    if workers > 1 and not os.environ.get("REDIS_URL"):
        child, site_env["HUB_SOCKET"] = hub_child(base)
        hub.append(child)
    site = [*uvicorn, "--host", host, "--port", str(port), "--workers", str(workers)]
    return [
        *hub,
        Child("site", site, site_env, restart=False),
        Child(
            "lab-asgi", [*lab_uvicorn, "--host", "127.0.0.1", "--port", str(ports["asgi"])], lab_env
        ),
        Child(
            "lab-wsgi-sync",
            [*gunicorn, "--worker-class", "sync", "--bind", f"127.0.0.1:{ports['sync']}"],
            lab_env,
        ),
        Child(
            "lab-wsgi-threads",
            [
                *gunicorn,
                "--worker-class",
                "gthread",
                "--threads",
                threads,
                "--bind",
                f"127.0.0.1:{ports['threads']}",
            ],
            lab_env,
        ),
    ]


def stop_all(kids: list[Child], timeout: float = 10.0) -> None:
    for kid in reversed(kids):
        kid.signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for kid in kids:
        if kid.process is None:
            continue
        try:
            kid.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log(f"{kid.name} did not stop in time: killing it")
        # SIGKILL the group whatever happened: a worker may outlive its master.
        try:
            os.killpg(kid.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        kid.process.wait()
    for kid in kids:
        for sock in kid.sockets:
            path = sock.getsockname()
            sock.close()
            if isinstance(path, str) and path:
                shutil.rmtree(os.path.dirname(path), ignore_errors=True)


class Stop(Exception):
    pass


def supervise(kids: list[Child]) -> int:
    def on_signal(signum, frame):
        raise Stop(signal.Signals(signum).name)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        for kid in kids:
            kid.start()
        while True:
            time.sleep(0.2)
            now = time.monotonic()
            for kid in kids:
                code = kid.process.poll() if kid.process else None
                if kid.process and code is not None:
                    if not kid.restart:
                        log(f"{kid.name} exited with {code}: stopping everything")
                        return code or 1
                    # Back off if it keeps crashing at start; a long life resets it.
                    alive = now - kid.started_at
                    kid.backoff = 0.5 if alive > 30 else min(kid.backoff * 2, 10)
                    kid.due, kid.process = now + kid.backoff, None
                    log(f"{kid.name} exited with {code}: restarting in {kid.backoff:.1f} s")
                elif kid.process is None and now >= kid.due:
                    kid.restarts += 1
                    kid.start()
    except Stop as stop:
        log(f"{stop}: stopping every child")
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stop_all(kids)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    args = parser.parse_args(argv)
    return supervise(children(args.host, args.port))


if __name__ == "__main__":
    sys.exit(main())
