"""What the templates get. The one rule: correctness and feedback enter the context only
for a question already answered; before that an option is its text and an index."""

from __future__ import annotations

import string
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe

from .confidence import LEVELS
from .formats.base import ESSAY, MATCHING, NUMERICAL, ORDER, SHORT
from .grading import display_order, fraction, match_choices, matched_option
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


# The kinds whose form fields and reveal live in their own partials:
# templates/questions/kinds/_<kind>.html and _<kind>-reveal.html.
KIND_TEMPLATES = (NUMERICAL, MATCHING, ESSAY)


def _kind_template(kind: str, part: str = "") -> str:
    return f"questions/kinds/_{kind}{part}.html" if kind in KIND_TEMPLATES else ""


def numeric_label(spec: str) -> str:
    """An accepted numerical answer as a learner reads it: 3, 3 ± 0.5, 1 to 5."""
    if ".." in spec:
        low, high = (part.strip() for part in spec.split("..", 1))
        return f"{low} to {high}"
    value, _, tolerance = (part.strip() for part in spec.partition(":"))
    return f"{value} ± {tolerance}" if tolerance and float(tolerance) else value


def verdict(score: float | None, correct: bool) -> str:
    """What the card says after an answer: right, partly right (with the marks), wrong,
    or, for an essay, that the learner judges it."""
    if score is None:
        return "Compare with the model answer"
    if correct:
        return "Right"
    if score > 0:
        return f"Partly right: {score:.0%} of the marks"
    return "Not quite"


def question_card(*, attempt: Attempt, version, n: int, progress, error: str = "") -> dict:
    total = len(attempt.version_ids)
    response = progress.response
    shown = [
        {
            "index": index,
            "key": KEYS[index] if index < len(KEYS) else "",
            "html": markdown(o.text),
            "position": o.position,
        }
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
        "kind_template": _kind_template(version.kind),
        "response": response,
        "is_last": n == total,
        "over_time": attempt.is_over_time(),
        "error": error,
        # Many prompts end with the instruction already: say it once.
        "instruction_in_prompt": "select all that apply" in version.prompt.lower(),
        "confidence_levels": LEVELS.items(),
    }
    if version.kind == MATCHING:
        # Only the items are listed (distractors are choices, not items); the choices
        # are every match once, shuffled: nothing says which goes with which.
        context["options"] = [o for o in shown if version.options.all()[o["position"]].text.strip()]
        context["choices"] = match_choices(
            seed=attempt.seed, version_id=version.pk, options=version.options.all()
        )
    if response is not None and attempt.mode != Attempt.EXAM:
        context["feedback"] = feedback(attempt=attempt, version=version, answer=response.answer)
        context["correct"] = response.correct
        context["verdict"] = verdict(response.score, response.correct)
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
        "template": _kind_template(version.kind, "-reveal"),
    }
    if version.kind in (SHORT, NUMERICAL):
        match = matched_option(version=version, answer=answer) if answer else None
        data["typed"] = answer.get("text", "")
        label = numeric_label if version.kind == NUMERICAL else str
        data["accepted"] = [
            (label(o.text), round(100 * fraction(o, options))) for o in options if o.correct
        ]
        data["matched_feedback_html"] = markdown(match.feedback) if match else ""
        return data
    if version.kind == ESSAY:
        data["typed"] = answer.get("text", "")
        data["rating"] = answer.get("rating", "")
        data["answered"] = bool(answer)
        return data
    if version.kind == MATCHING:
        chosen = answer.get("matches", {})
        data["pairs"] = [
            {
                "html": markdown(o.text),
                "chosen": chosen.get(str(n), ""),
                "right": o.match,
                "is_right": chosen.get(str(n)) == o.match.strip(),
                "feedback_html": markdown(o.feedback),
            }
            for n, o in enumerate(options)
            if o.text.strip()
        ]
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
            "weight": o.weight,
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
                "score": response.score if response else 0.0,
                "graded": version.kind != ESSAY,
                "feedback": feedback(attempt=attempt, version=version, answer=response.answer)
                if response
                else feedback(attempt=attempt, version=version, answer={}),
            }
        )
    return rows
