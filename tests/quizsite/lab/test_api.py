"""The lab's HTTP API and the site around it, on real servers."""

import threading
import time

import httpx
import pytest


def test_experiments_list_every_parameter_with_its_default_and_limits(lab_site):
    body = httpx.get(lab_site.url("/lab/api/experiments/")).json()
    names = [e["name"] for e in body["experiments"]]
    assert names == [
        "async-sleep",
        "sync-sleep",
        "blocking-async",
        "wsgi-workers",
        "fan-out",
        "gil",
        "orm-in-async",
        "push-vs-poll",
        "thread-hops",
    ]
    by_name = {e["name"]: e for e in body["experiments"]}
    n = next(p for p in by_name["async-sleep"]["params"] if p["name"] == "n")
    assert (n["default"], n["min"], n["max"]) == (10, 1, 50)
    delay = next(p for p in by_name["async-sleep"]["params"] if p["name"] == "delay_ms")
    assert delay["max"] == 2000
    assert [p["name"] for p in by_name["fan-out"]["params"]] == ["k", "delay_ms"]


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("async-sleep", {"n": 51}, "n must be at most 50"),
        ("async-sleep", {"delay_ms": 2001}, "delay_ms must be at most 2000"),
        ("async-sleep", {"n": 0}, "n must be at least 1"),
        ("async-sleep", {"n": "many"}, "n must be a whole number"),
        ("fan-out", {"k": 11}, "k must be at most 10"),
        ("gil", {"work_ms": 1000}, "work_ms must be at most 100"),
        ("blocking-async", {"n": 50, "delay_ms": 2000}, "n × delay_ms must be at most 10000"),
        ("fan-out", {"url": "http://example.com"}, "unknown parameter url"),
    ],
)
def test_a_parameter_out_of_range_gets_a_400_naming_it(lab_site, name, params, message):
    response = httpx.post(lab_site.url(f"/lab/api/experiments/{name}/runs"), json=params)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_the_api_needs_no_csrf_token_and_missing_parameters_take_defaults(lab_site):
    # No cookie and no token: the API changes no one's data. An empty JSON body is fine.
    response = httpx.post(
        lab_site.url("/lab/api/experiments/fan-out/runs"),
        content=b"",
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    assert response.json()["params"] == {"k": 4, "delay_ms": 500}


def test_unknown_experiment_is_a_json_404(lab_site):
    response = httpx.post(lab_site.url("/lab/api/experiments/nope/runs"), json={})
    assert response.status_code == 404
    assert response.json()["error"].startswith("No experiment called nope")


def test_the_site_serves_its_home_page_while_the_lab_loop_is_blocked(lab_site):
    delay = 1000
    outcome = {}

    def block():
        outcome["response"] = httpx.post(
            lab_site.url("/lab/api/experiments/blocking-async/runs"),
            json={"n": 3, "delay_ms": delay},
            timeout=30,
        )

    blocker = threading.Thread(target=block)
    blocker.start()
    time.sleep(0.4)  # the lab worker's loop is now asleep in time.sleep
    latencies = []
    for _ in range(3):
        started = time.perf_counter()
        assert httpx.get(lab_site.url("/"), timeout=10).status_code == 200
        latencies.append((time.perf_counter() - started) * 1000)
    still_running = blocker.is_alive()
    blocker.join()
    assert still_running, "the blocking run ended before the home page was asked: no evidence"
    assert outcome["response"].status_code == 200
    assert outcome["response"].json()["total_ms"] > 0.7 * 3 * delay
    assert max(latencies) < delay / 2, latencies


def test_an_abandoned_run_is_cancelled_and_frees_its_slot(lab_site):
    # The site allows one run at a time (LAB_MAX_CONCURRENT_RUNS=1 in these tests).
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(
            lab_site.url("/lab/api/experiments/async-sleep/runs"),
            json={"n": 3, "delay_ms": 2000},
            timeout=0.5,
        )
    time.sleep(0.3)
    # Had the fan-out gone on, its slot would be held for 1.2 s more and this would be 429.
    response = httpx.post(
        lab_site.url("/lab/api/experiments/orm-in-async/runs"), json={}, timeout=30
    )
    assert response.status_code == 200, response.text


def test_a_second_run_at_once_is_told_to_come_back(lab_site):
    outcome = {}

    def first():
        outcome["first"] = httpx.post(
            lab_site.url("/lab/api/experiments/async-sleep/runs"),
            json={"n": 2, "delay_ms": 1500},
            timeout=30,
        )

    runner = threading.Thread(target=first)
    runner.start()
    time.sleep(0.4)
    second = httpx.post(
        lab_site.url("/lab/api/experiments/async-sleep/runs"), json={"n": 1, "delay_ms": 10}
    )
    runner.join()
    assert outcome["first"].status_code == 200
    assert second.status_code == 429
    assert "try again in 5 s" in second.json()["error"]
    assert second.headers["retry-after"] == "5"
