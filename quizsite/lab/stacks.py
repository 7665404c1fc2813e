"""thread-hops, measured by the conductor: the same async view behind Django's default
middleware and behind the site's own, N requests at once each, one stack after the
other. The lab ASGI worker (quizsite/lab/asgi.py) adds each request's hop count; the
view reports how many OS threads were alive halfway through its wait."""

from __future__ import annotations

import time

from django.conf import settings

from . import conductor as c

# django/conf/project_template/project_name/settings.py-tpl (Django 6.0); global_settings
# itself has MIDDLEWARE = [], which no real project runs. tests check the two agree.
DEFAULT_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]


def stacks() -> list[tuple[str, str]]:
    return [
        ("default", f"Django's default MIDDLEWARE ({len(DEFAULT_MIDDLEWARE)})"),
        ("site", f"this site's MIDDLEWARE ({len(settings.MIDDLEWARE)})"),
    ]


def in_flight(rows: list[dict], at_ms: float) -> int:
    """Requests whose view was running at that moment: a lower bound on the requests in
    flight (each was in flight from before its view started until after it ended)."""
    return sum(1 for r in rows if r["start_ms"] <= at_ms <= r["end_ms"])


async def thread_hops(*, n: int, delay_ms: int) -> dict:
    t0, rows, groups, summary = c.now(), [], [], {}
    async with c.client() as http:
        for name, label in stacks():
            started = time.perf_counter()
            results = await c.together(
                *(
                    c.call(http, c.ASGI, "thread-hops", stack=name, delay_ms=delay_ms)
                    for _ in range(n)
                )
            )
            total = (time.perf_counter() - started) * 1000
            if any("hops" not in data for data in results):
                raise c.LabUnavailable(
                    c.ASGI.label, "does not count hops: serve it as quizsite.lab.asgi:application."
                )
            mine = [
                {
                    **c.request_row(data, t0=t0, group=name, index=i),
                    "hops": data["hops"],
                    "threads_alive": data["threads_alive"],
                    "sampled_ms": round((data["sampled"] - t0) * 1000, 1),
                }
                for i, data in enumerate(results)
            ]
            for row in mine:
                row["in_flight"] = in_flight(mine, row["sampled_ms"])
            rows += mine
            groups.append(c.group(name, label, mine, total_ms=total, expected_ms=delay_ms))
            hops = [r["hops"] for r in mine]
            busiest = max(mine, key=lambda r: (r["in_flight"], r["threads_alive"]))
            summary[name] = {
                "label": label,
                "hops_min": min(hops),
                "hops_max": max(hops),
                "threads_alive_max": max(r["threads_alive"] for r in mine),
                "in_flight_max": busiest["in_flight"],
                "threads_alive_then": busiest["threads_alive"],
            }
    return {"requests": rows, "groups": groups, "stacks": summary}
