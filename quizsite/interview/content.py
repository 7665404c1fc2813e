"""The open questions: what an interviewer asks about each explainer, and the model
answer, which is the explainer's own "In an interview, say this" section."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.safestring import mark_safe

from quizsite.explainers.loader import Explainer

SECTION = "in-an-interview-say-this"
# How an interviewer would put each topic; a new explainer without an entry still gets a
# question, in the generic form.
PROMPTS = {
    "sync-vs-async": "Is Django sync or async? Explain the difference, and when async helps.",
    "the-gil": "Explain the GIL in your own words. What does it stop, and what does it not?",
    "wsgi-vs-asgi": "What is the difference between WSGI and ASGI, and why does it matter?",
    "how-django-runs-your-view": "Walk me through how Django runs a sync and an async view "
    "under ASGI.",
    "async-views-and-orm": "Can you use the ORM in an async view? What really happens?",
    "django-channels": "When would you reach for Django Channels, and what does it add?",
    "deploying-async-django": "How would you deploy an async Django project, and what "
    "would you watch for?",
    "threads-processes-asyncio": "Threads, processes or asyncio: how do you choose?",
    "myths-and-model-answers": "What do people most often get wrong about async Python and Django?",
}


@dataclass(frozen=True)
class OpenQuestion:
    slug: str
    title: str
    prompt: str
    model_answer_html: str
    url: str  # the model answer's section in the explainer


def model_answer_html(explainer: Explainer) -> str:
    """The section's sanitised HTML, cut from the rendered page (heading left out)."""
    html = explainer.document.html
    start = html.find(f'<h2 id="{SECTION}"')
    if start < 0:
        return ""
    start = html.index("</h2>", start) + len("</h2>")
    end = html.find("<h2", start)
    return mark_safe(html[start : end if end >= 0 else len(html)].strip())  # noqa: S308


def open_question(explainer: Explainer) -> OpenQuestion | None:
    answer = model_answer_html(explainer)
    if not answer:
        return None
    return OpenQuestion(
        slug=explainer.slug,
        title=explainer.title,
        prompt=PROMPTS.get(
            explainer.slug, f"Explain {explainer.title} as you would to an interviewer."
        ),
        model_answer_html=answer,
        url=reverse("explainers:detail", args=[explainer.slug]) + f"#{SECTION}",
    )
