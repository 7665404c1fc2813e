"""What the lab page shows: the experiments with their forms, and the servers' state."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from . import timeline
from .conductor import BUSY, DOWN, SERVERS, servers_health
from .experiments import EXPERIMENTS, Experiment


def explainer_url(slug: str, anchor: str) -> str:
    # The explainer pages may not exist in every deployment: fall back to the index.
    try:
        return reverse("explainers:detail", kwargs={"slug": slug}) + f"#{anchor}"
    except NoReverseMatch:
        return reverse("explainers:index")


def run_card(*, result: dict | None = None, error: str = "", experiment: Experiment) -> dict:
    return {
        "experiment": experiment,
        "run": result,
        "error": error,
        "timelines": timeline.layouts(result) if result else None,
    }


def experiment_items(
    *, values: dict[str, dict] | None = None, cards: dict[str, dict] | None = None
) -> list[dict]:
    values, cards = values or {}, cards or {}
    items = []
    for experiment in EXPERIMENTS.values():
        mine = values.get(experiment.name, {})
        items.append(
            {
                "experiment": experiment,
                "fields": [
                    (param, mine.get(param.name, param.default)) for param in experiment.params
                ],
                "explainer_url": explainer_url(*experiment.explainer),
                "card": cards.get(experiment.name),
            }
        )
    return items


async def lab_page(*, values: dict | None = None, cards: dict | None = None) -> dict:
    health = await servers_health()
    return {
        "experiments": experiment_items(values=values, cards=cards),
        "down": [server.label for server in SERVERS if health[server.key] == DOWN],
        "busy": [server.label for server in SERVERS if health[server.key] == BUSY],
    }
