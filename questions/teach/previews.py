"""What the upload preview shows: each parsed question as a learner will see it, and
the source with its line numbers and the problems beside their lines. No database."""

from __future__ import annotations

import string
from collections import defaultdict

from questions.formats.base import (
    DESCRIPTION,
    ESSAY,
    MATCHING,
    MULTIPLE,
    NUMERICAL,
    ORDER,
    SHORT,
    ParsedSet,
    Problem,
)
from questions.presenters import markdown, numeric_label

LETTERS = string.ascii_uppercase


def letter(position: int) -> str:
    return LETTERS[position] if position < len(LETTERS) else str(position + 1)


def parsed_cards(parsed: ParsedSet, *, questions: list | None = None) -> list[dict]:
    """Cards of the set's questions, or only of the given ones (a page of them): each card
    renders Markdown, so a page of a large set renders only what it shows."""
    cards = []
    for q in parsed.questions if questions is None else questions:
        cards.append(
            {
                "id": q.id,
                "line": q.line,
                "kind": q.kind,
                "title": q.title,
                # As on the quiz page: a prompt that only repeats the title is not shown.
                "prompt_html": markdown(q.prompt) if q.prompt != q.title else "",
                "input": "checkbox" if q.kind == MULTIPLE else "radio",
                "short": q.kind in (SHORT, NUMERICAL, ESSAY),
                "order": q.kind == ORDER,
                "options": [
                    {
                        "letter": letter(n),
                        "html": markdown(o.text),
                        "text": o.text,
                        "correct": o.correct,
                        # Instructors only: what a learner reads after picking it.
                        "feedback_html": markdown(o.feedback) if o.feedback else "",
                    }
                    for n, o in enumerate(q.options)
                ],
                "answer": _answer(q),
                "explanation_html": markdown(q.explanation) if q.explanation else "",
            }
        )
    return cards


def _answer(q) -> str:
    if q.kind == SHORT:  # the accepted texts say more than letters
        return " / ".join(o.text for o in q.options if o.correct)
    if q.kind == NUMERICAL:
        return " / ".join(
            numeric_label(o.text) + (f" ({o.weight:g}%)" if o.weight not in (None, 100) else "")
            for o in q.options
            if o.correct
        )
    if q.kind == MATCHING:
        return "; ".join(
            f"{letter(n)} → {o.match}" for n, o in enumerate(q.options) if o.text.strip()
        )
    if q.kind in (ESSAY, DESCRIPTION):
        return "self-rated against the model answer" if q.kind == ESSAY else ""
    # Ordering: the options are listed in the right order.
    return ", ".join(letter(n) for n, o in enumerate(q.options) if o.correct or q.kind == ORDER)


def source_lines(text: str, problems: list[Problem]) -> list[dict]:
    """Every line of the file, numbered, with the messages of the problems on it.
    Problems on line 0 (the whole file) go on line 1 so none is lost."""
    by_line: dict[int, list[str]] = defaultdict(list)
    for problem in problems:
        by_line[max(problem.line, 1)].append(problem.message)
    lines = text.splitlines() or [""]
    return [
        {"number": n, "text": line, "problems": by_line.get(n, [])}
        for n, line in enumerate(lines, start=1)
    ] + [
        # A problem reported past the end (an unclosed block) still shows.
        {"number": n, "text": "", "problems": messages}
        for n, messages in sorted(by_line.items())
        if n > len(lines)
    ]
