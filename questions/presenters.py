"""What the templates get. The one rule: correctness and feedback enter the context only
for a question already answered; before that an option is its text and an index."""

from __future__ import annotations

import string
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe

from .confidence import LEVELS
from .formats.base import ORDER, SHORT
from .grading import display_order, matched_option
from .models import Attempt

DEFAULT_RENDERER = "quizsite.markdown.render_markdown"
# Where an explainer lives; the reusable app knows explainers only as slugs.
DEFAULT_EXPLAINER_URL = "/learn/{slug}/"
KEYS = string.digits[1:]  # quiz.js also takes a, b, c... (N aside: it means "next")


@lru_cache(maxsize=4096)
def markdown(text: str) -> str:
    """Markdown through the site's one sanitising pipeline (QUESTIONS_MARKDOWN_RENDERER)."""
    if not text:
        return ""
    render = import_string(getattr(settings, "QUESTIONS_MARKDOWN_RENDERER", DEFAULT_RENDERER))
    return mark_safe(render(text))  # noqa: S308 - the renderer sanitises


def explainer_url(ref: str) -> str:
    if not ref:
        return ""
    slug, _, anchor = ref.partition("#")
    pattern = getattr(settings, "QUESTIONS_EXPLAINER_URL", DEFAULT_EXPLAINER_URL)
    return pattern.format(slug=slug) + (f"#{anchor}" if anchor else "")


def _options(attempt: Attempt, version) -> list:
    options = list(version.options.all())
    order = display_order(
        seed=attempt.seed, version_id=version.pk, count=len(options), kind=version.kind
    )
    return [(index, options[position]) for index, position in enumerate(order)]


def question_card(*, attempt: Attempt, version, n: int, progress, error: str = "") -> dict:
    total = len(attempt.version_ids)
    response = progress.response
    shown = [
        {"index": index, "key": KEYS[index] if index < len(KEYS) else "", "html": markdown(o.text)}
        for index, o in _options(attempt, version)
    ]
    context = {
        "attempt": attempt,
        "version": version,
        # The community style's question is its heading: do not show it twice.
        "prompt_html": markdown(version.prompt) if version.prompt != version.title else "",
        "n": n,
        "total": total,
        "answered": progress.answered,
        "unanswered": total - progress.answered,
        "percent": round(100 * progress.answered / total) if total else 0,
        "options": shown,
        "ranks": range(1, len(shown) + 1),
        "response": response,
        "is_last": n == total,
        "over_time": attempt.is_over_time(),
        "error": error,
        # Many prompts end with the instruction already: say it once.
        "instruction_in_prompt": "select all that apply" in version.prompt.lower(),
        "confidence_levels": LEVELS.items(),
    }
    if response is not None and attempt.mode != Attempt.EXAM:
        context["feedback"] = feedback(attempt=attempt, version=version, answer=response.answer)
        context["correct"] = response.correct
    return context


def _set_explainer(attempt: Attempt) -> str:
    # A review attempt has no set of its own; its questions name their explainers.
    return attempt.question_set.explainer if attempt.question_set_id else ""


def feedback(*, attempt: Attempt, version, answer: dict) -> dict:
    """The reveal: every option with whether it is right, chosen, and its feedback."""
    options = list(version.options.all())
    data = {
        "explanation_html": markdown(version.explanation),
        "explainer_url": explainer_url(version.explainer or _set_explainer(attempt)),
        "kind": version.kind,
    }
    if version.kind == SHORT:
        match = matched_option(version=version, answer=answer)
        data["typed"] = answer.get("text", "")
        data["accepted"] = [o.text for o in options if o.correct]
        data["matched_feedback_html"] = markdown(match.feedback) if match else ""
        return data
    if version.kind == ORDER:
        learner_order = answer.get("order", [])
        data["steps"] = [
            {
                "html": markdown(options[position].text),
                "right_place": rank == position,
                "feedback_html": markdown(options[position].feedback),
            }
            for rank, position in enumerate(learner_order)
        ]
        data["correct_steps"] = [markdown(o.text) for o in options]
        return data
    chosen = set(answer.get("choices", []))
    data["options"] = [
        {
            "html": markdown(o.text),
            "correct": o.correct,
            "chosen": o.position in chosen,
            "feedback_html": markdown(o.feedback),
        }
        for _, o in _options(attempt, version)
    ]
    return data


def review_rows(*, attempt: Attempt, review) -> list[dict]:
    """`review`: (number asked, version, response) for each question on the page."""
    rows = []
    for number, version, response in review:
        rows.append(
            {
                "number": number,
                "version": version,
                "prompt_html": markdown(version.prompt) if version.prompt != version.title else "",
                "response": response,
                "correct": bool(response and response.correct),
                "feedback": feedback(attempt=attempt, version=version, answer=response.answer)
                if response
                else feedback(attempt=attempt, version=version, answer={}),
            }
        )
    return rows
