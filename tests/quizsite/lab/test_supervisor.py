"""`make run`'s supervisor, for real: it starts the site and the lab servers, restarts a
lab server that crashes (the lab page says so meanwhile), and Ctrl+C stops every process."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.servers import REPO, free_port


def wait_for(predicate, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if value := predicate():
                return value
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s")


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
            if parent == pid:
                found.append(int(entry.name))
    return found


def start_supervisor(
    site_env: dict, log_path: Path
) -> tuple[subprocess.Popen, int, dict[str, int]]:
    """`make run`'s supervisor on free ports; its output goes to log_path."""
    port = free_port()
    lab = {
        name: free_port()
        for name in ("LAB_ASGI_PORT", "LAB_WSGI_SYNC_PORT", "LAB_WSGI_THREADS_PORT")
    }
    env = {**site_env, **{k: str(v) for k, v in lab.items()}}
    with open(log_path, "wb") as log:  # the child keeps its own copy of the descriptor
        supervisor = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "quizsite.lab.supervisor",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return supervisor, port, lab


def test_supervisor_restarts_a_crashed_lab_server_and_stops_everything(site_server_env, tmp_path):
    supervisor, port, lab = start_supervisor(site_server_env, tmp_path / "supervisor.log")
    site = f"http://127.0.0.1:{port}"
    whoami = f"http://127.0.0.1:{lab['LAB_ASGI_PORT']}/lab/targets/whoami/"
    processes: list[int] = []
    try:
        wait_for(lambda: httpx.get(site + "/healthz").status_code == 200)
        first = wait_for(lambda: httpx.get(whoami).json()["pid"])
        workers = [
            wait_for(
                lambda p=p: httpx.get(f"http://127.0.0.1:{p}/lab/targets/whoami/").json()["pid"]
            )
            for p in (lab["LAB_WSGI_SYNC_PORT"], lab["LAB_WSGI_THREADS_PORT"])
        ]
        # The site's lab uses the supervised servers: a run works end to end.
        run = httpx.post(
            site + "/lab/api/experiments/wsgi-workers/runs",
            json={"n": 2, "delay_ms": 50},
            timeout=30,
        )
        assert run.status_code == 200, run.text
        # The site itself never serves the targets.
        assert httpx.get(site + "/lab/targets/whoami/").status_code == 404

        os.kill(first, signal.SIGKILL)
        wait_for(lambda: not alive(first), timeout=5)
        # The page's server status is kept a few seconds (health probes and the page
        # cache), so it may take that long to show, and to clear.
        restarting = "The lab ASGI worker (uvicorn) is not answering: it is restarting"
        wait_for(lambda: restarting in httpx.get(site + "/lab/", timeout=10).text, timeout=20)

        second = wait_for(lambda: httpx.get(whoami).json()["pid"])
        assert second != first
        wait_for(
            lambda: "is restarting" not in httpx.get(site + "/lab/", timeout=10).text, timeout=20
        )

        processes = children_of(supervisor.pid) + workers + [second]
        assert len(children_of(supervisor.pid)) == 5  # the hub, the site, 3 lab servers
    finally:
        supervisor.send_signal(signal.SIGINT)  # what Ctrl+C sends
        code = supervisor.wait(timeout=20)
    assert code == 0, (tmp_path / "supervisor.log").read_text()
    assert [pid for pid in processes if alive(pid)] == []
    log = (tmp_path / "supervisor.log").read_text()
    assert "lab-asgi exited with -9: restarting" in log
    assert '"GET /healthz HTTP/1.1" 200' in log  # LOG_LEVEL INFO: uvicorn's access lines


def test_the_servers_follow_log_level():
    from quizsite.lab.supervisor import server_log_level

    assert server_log_level({}) == "info"
    assert server_log_level({"LOG_LEVEL": "WARNING"}) == "warning"
    assert server_log_level({"LOG_LEVEL": "warn"}) == "warning"
    assert server_log_level({"LOG_LEVEL": "nonsense"}) == "info"


def test_sigterm_stops_the_site_and_every_lab_server(site_server_env, tmp_path):
    env = {**site_server_env, "LOG_LEVEL": "WARNING"}
    supervisor, port, lab = start_supervisor(env, tmp_path / "supervisor.log")
    try:
        wait_for(lambda: httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200)
        workers = [
            wait_for(
                lambda p=p: httpx.get(f"http://127.0.0.1:{p}/lab/targets/whoami/").json()["pid"]
            )
            for p in lab.values()
        ]
        kids = children_of(supervisor.pid)
        # Each of uvicorn's worker processes: one per core, at least two.
        site_workers = [pid for kid in kids for pid in children_of(kid)]
        processes = kids + workers + site_workers
        hub = hub_socket(kids)
        assert Path(hub).is_socket()
    finally:
        supervisor.terminate()  # SIGTERM, as a service manager sends
        code = supervisor.wait(timeout=20)
    assert code == 0
    assert len(kids) == 5 and len(workers) == 3
    assert len(site_workers) >= max(2, os.cpu_count())
    assert [pid for pid in processes if alive(pid)] == []
    assert not Path(hub).exists()  # its socket and directory are gone too
    # LOG_LEVEL WARNING reaches the servers: no access line per request.
    assert "GET /healthz" not in (tmp_path / "supervisor.log").read_text()


def hub_socket(pids: list[int]) -> str:
    """The hub's socket, as the supervisor gave it to the site (its environment)."""
    for pid in pids:
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        for entry in environ:
            if entry.startswith(b"HUB_SOCKET="):
                return entry.split(b"=", 1)[1].decode()
    raise AssertionError("no process was given HUB_SOCKET")


def test_the_site_runs_one_process_per_core_with_or_without_redis():
    from quizsite.lab.supervisor import site_workers

    cores = max(2, os.cpu_count())
    assert site_workers({})[0] == cores
    assert site_workers({"REDIS_URL": "redis://127.0.0.1:6379/0"})[0] == cores
    assert site_workers({"WEB_CONCURRENCY": "3"})[0] == 3
