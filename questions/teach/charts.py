"""Small SVG charts drawn on the server: no JavaScript, no library, and the numbers are
always printed beside them (the charts are for the eye, the tables for the record).
Colours come from teach.css classes, so the charts follow the light and dark themes."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


def _svg(width: int, height: int, label: str, body: SafeString, css: str = "") -> SafeString:
    return format_html(
        '<svg class="chart {}" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-label="{}"><title>{}</title>{}</svg>',
        css,
        width,
        height,
        width,
        height,
        label,
        label,
        body,
    )


def histogram(distribution: tuple[int, ...]) -> SafeString:
    """Attempts per 10% score bucket."""
    width, height, top, bottom = 320, 140, 14, 18
    buckets = len(distribution) or 1
    most = max(distribution, default=0) or 1
    step = width / buckets
    plot = height - top - bottom
    bars = []
    for n, count in enumerate(distribution):
        h = round(plot * count / most, 1)
        x = round(n * step + 2, 1)
        y = round(top + plot - h, 1)
        bars.append((x, y, round(step - 4, 1), h, round(x + (step - 4) / 2, 1), y - 3, count))
    body = format_html_join(
        "",
        '<rect class="chart-bar" x="{}" y="{}" width="{}" height="{}"></rect>'
        '<text class="chart-label" x="{}" y="{}" text-anchor="middle">{}</text>',
        bars,
    )
    axis = format_html_join(
        "",
        '<text class="chart-label" x="{}" y="{}" text-anchor="middle">{}%</text>',
        ((round(n * step + step / 2, 1), height - 4, n * 100 // buckets) for n in range(buckets)),
    )
    label = "Attempts per score band: " + ", ".join(
        f"{n * 100 // buckets}–{(n + 1) * 100 // buckets}%: {c}" for n, c in enumerate(distribution)
    )
    return _svg(width, height, label, body + axis, "chart-histogram")


def share_bar(value: float | None, *, label: str) -> SafeString:
    """A 0..1 share as a bar on a 0-100% track."""
    width, height = 120, 14
    filled = 0 if value is None else round(width * max(0.0, min(1.0, value)), 1)
    body = format_html(
        '<rect class="chart-track" x="0" y="2" width="{}" height="10" rx="2"></rect>'
        '<rect class="chart-bar" x="0" y="2" width="{}" height="10" rx="2"></rect>',
        width,
        filled,
    )
    return _svg(width, height, label, body, "chart-share")


def discrimination_marker(value: float | None, *, label: str) -> SafeString:
    """Where -1..1 falls on an axis with 0 marked: left of the line is negative."""
    width, height = 120, 16
    middle = width / 2
    if value is None:
        marker = mark_safe("")
    else:
        x = round(middle + middle * max(-1.0, min(1.0, value)), 1)
        css = "chart-negative" if value < 0 else "chart-marker"
        marker = format_html(
            '<rect class="{}" x="{}" y="3" width="{}" height="10"></rect>',
            css,
            min(x, middle),
            round(abs(x - middle), 1),
        )
    body = format_html(
        '<rect class="chart-track" x="0" y="3" width="{}" height="10" rx="2"></rect>{}'
        '<line class="chart-axis" x1="{}" y1="0" x2="{}" y2="{}"></line>',
        width,
        marker,
        middle,
        middle,
        height,
    )
    return _svg(width, height, label, body, "chart-discrimination")


def option_bars(
    options: list[tuple[str, int]], *, attempts: int, right: frozenset[str] = frozenset()
) -> SafeString:
    """How often each option was picked: one labelled bar per option, the right ones
    marked with a tick (a shape and a word, not a colour alone)."""
    if not options:
        return mark_safe("")
    row, width, gutter = 16, 160, 24
    height = row * len(options)
    most = max(attempts, max(c for _, c in options), 1)
    rows = [
        (
            n * row + 12,
            f"{name}✓" if name in right else name,
            gutter,
            n * row + 3,
            round((width - gutter - 30) * count / most, 1),
            ("chart-bar chart-right" if name in right else "chart-bar") if count else "chart-empty",
            round(gutter + (width - gutter - 30) * count / most + 4, 1),
            n * row + 12,
            count,
        )
        for n, (name, count) in enumerate(options)
    ]
    body = format_html_join(
        "",
        '<text class="chart-label" x="0" y="{}">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="10" class="{}"></rect>'
        '<text class="chart-label" x="{}" y="{}">{}</text>',
        rows,
    )
    label = "Times each option was picked: " + ", ".join(
        f"{n}{' (right)' if n in right else ''}: {c}" for n, c in options
    )
    return _svg(width, height, label, body, "chart-options")
