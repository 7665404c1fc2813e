"""Geometry of a run's timeline, drawn server-side as SVG (templates/lab/_timeline.html).

One bar per request on a time axis in ms, grouped by experiment part, coloured by the
thread (and process) that served it and tagged with it (T1, T2...: eight colours repeat,
a tag does not). Colours are CSS classes bound to the site's --series-N variables, so the
picture follows the light or dark theme. Each run is laid out twice, wide and narrow: the
page shows the one that fits its box, so a phone sees every bar at a readable size
instead of a scaled-down picture or a hidden scroll.
"""

from __future__ import annotations

import math

WIDTH = 600
NARROW = 330  # a run card on a 390 px phone is about 324 px wide
GUTTER = 44  # request numbers on the left
TAGGED_GUTTER = 70  # request numbers and thread tags
RIGHT = 30  # room for the last tick label
TOP = 8
AXIS = 28  # room for tick labels at the bottom
SERIES = 8
LEGEND_MAX = 8


def nice_step(span: float, ticks: int = 6) -> float:
    raw = span / ticks
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def fmt_ms(ms: float) -> str:
    return f"{ms / 1000:g} s" if ms >= 1000 else f"{ms:g} ms"


def thread_key(row: dict) -> tuple:
    return (row["pid"], row["thread"])


def legend_label(key: tuple, processes: int) -> str:
    pid, thread = key
    return f"{thread} (pid {pid})" if processes > 1 and pid else thread


def thread_tags(run: dict, keys: dict[tuple, int]) -> bool:
    # One thread needs no tag; push-vs-poll's "threads" are delivery paths, named in full.
    return len(keys) > 1 and run["experiment"] != "push-vs-poll"


def layout(run: dict, *, width: int = WIDTH) -> dict:
    rows = run["requests"]
    bar = 10 if len(rows) <= 40 else 6
    pitch = bar + 4
    beat = run.get("heartbeat")
    keys: dict[tuple, int] = {}
    for row in rows:
        keys.setdefault(thread_key(row), len(keys))
    processes = len({row["pid"] for row in rows})
    tagged = thread_tags(run, keys)
    gutter = TAGGED_GUTTER if tagged else GUTTER

    # Time axis: everything drawn must fit, the model's prediction too.
    ends = [row["end_ms"] for row in rows] + (
        [beat["ticks_ms"][-1]] if beat and beat["ticks_ms"] else []
    )
    starts_of = {
        g["name"]: min((r["start_ms"] for r in rows if r["group"] == g["name"]), default=0)
        for g in run["groups"]
    }
    # Push-vs-poll predicts a delay per event, not a moment on the axis: no marker there.
    predicts_moments = run["experiment"] != "push-vs-poll"
    marks = [
        starts_of[g["name"]] + g["expected_ms"]
        for g in run["groups"]
        if g["expected_ms"] and predicts_moments
    ]
    # Time 0 is when the conductor sent the first request, so a request that waited in
    # a server's queue starts late on the picture. The ORM's three calls happen inside
    # one request, so its axis starts with them, and counts from 0 there.
    own_axis = run["experiment"] == "orm-in-async"
    origin = min([row["start_ms"] for row in rows] + ([] if own_axis else [0.0]))
    span = max([1.0] + ends + marks) - origin
    step = nice_step(span, 6 if width >= WIDTH else 3)
    span = math.ceil(span / step) * step
    plot = width - gutter - RIGHT

    def x(ms: float) -> float:
        return round(gutter + (ms - origin) / span * plot, 1)

    y, bars, headers, expected = TOP, [], [], []
    for g in run["groups"]:
        mine = [r for r in rows if r["group"] == g["name"]]
        headers.append({"y": y + 11, "text": f"{g['label']} · {fmt_ms(round(g['total_ms']))}"})
        y += 16
        top = y
        # Drawn in the order they started: a staircase reads as one.
        for r in sorted(mine, key=lambda r: r["start_ms"]):
            key = thread_key(r)
            tag = f"T{keys[key] + 1}"
            bars.append(
                {
                    "x": x(r["start_ms"]),
                    "y": y,
                    "w": max(1.5, round(x(r["end_ms"]) - x(r["start_ms"]), 1)),
                    "h": bar,
                    "cls": f"s{keys[key] % SERIES + 1}"
                    + (" failed" if r["status"] not in (200, "ok") else ""),
                    "label": f"#{r['index'] + 1}",
                    "tag": tag if tagged else "",
                    "label_y": y + bar - 1,
                    "title": f"#{r['index'] + 1}: {r['start_ms']:g}–{r['end_ms']:g} ms, "
                    + (f"{tag} = " if tagged else "")
                    + legend_label(key, 2),
                }
            )
            y += pitch
        if g["expected_ms"] and mine and predicts_moments:
            expected.append(
                {"x": x(starts_of[g["name"]] + g["expected_ms"]), "y1": top - 3, "y2": y}
            )
        y += 6

    heartbeat = None
    if beat:
        ticks = beat["ticks_ms"]
        # Every gap of more than a few ticks is the loop stalling: mark each one.
        stalls = [(a, b) for a, b in zip(ticks, ticks[1:], strict=False) if b - a > 100]
        heartbeat = {
            "header_y": y + 11,
            "y": y + 16,
            "h": 10,
            "ticks": [x(t) for t in ticks],
            "stalls": [{"x1": x(a), "x2": x(b), "y": y + 21} for a, b in stalls],
        }
        y += 36

    axis_y = y + 4
    ticks = [
        {
            "x": x(origin + i * step),
            "label": fmt_ms(round(i * step + (0 if own_axis else origin), 3)),
        }
        for i in range(int(round(span / step)) + 1)
    ]
    legend = [
        {
            "cls": f"s{index % SERIES + 1}",
            "label": (f"T{index + 1} = " if tagged else "") + legend_label(key, processes),
        }
        for key, index in list(keys.items())[:LEGEND_MAX]
    ]
    return {
        "size": "wide" if width >= WIDTH else "narrow",
        "width": width,
        "height": axis_y + AXIS,
        "axis_y": axis_y,
        "plot_left": gutter,
        # Request numbers end here; thread tags end at the plot's edge.
        "label_x": 28 if tagged else gutter - 6,
        "header_x": gutter if width >= WIDTH else 4,
        "plot_right": width - RIGHT,
        "bars": bars,
        "headers": headers,
        "expected": expected,
        "ticks": ticks,
        "heartbeat": heartbeat,
        "legend": legend,
        "legend_more": max(0, len(keys) - LEGEND_MAX),
        "colours_repeat": len(keys) > SERIES,
        "tagged": tagged,
        "legend_title": "Colour = how it was delivered:"
        if run["experiment"] == "push-vs-poll"
        else "Colour and tag = the thread that served it:"
        if tagged
        else "Colour = the thread that served it:",
        "axis_from": "the first call" if own_axis else "the start of the run",
    }


def layouts(run: dict) -> list[dict]:
    return [layout(run), layout(run, width=NARROW)]
