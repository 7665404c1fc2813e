"""Question sets for tests, made through the real importer."""

from __future__ import annotations

from questions.formats.base import ParsedOption, ParsedQuestion, ParsedSet
from questions.models import QuestionSet
from questions.services import questionset_import

SECRET_FEEDBACK = "SECRET-right-feedback"


def parsed_set(slug: str = "demo", n: int = 5, kinds: tuple[str, ...] = ("single",)) -> ParsedSet:
    questions = []
    for i in range(n):
        kind = kinds[i % len(kinds)]
        questions.append(_question(i, kind))
    return ParsedSet(
        slug=slug, title=slug.title(), tags=["asyncio"], questions=questions, format="md"
    )


def _question(i: int, kind: str) -> ParsedQuestion:
    if kind == "short":
        options = [
            ParsedOption("sync_to_async", True, SECRET_FEEDBACK),
            ParsedOption("async_to_sync", False, "The other way round."),
        ]
    elif kind == "order":
        options = [ParsedOption(f"step {n}", True, "") for n in range(1, 4)]
    elif kind == "true_false":
        options = [ParsedOption("True", True, SECRET_FEEDBACK), ParsedOption("False", False, "No.")]
    elif kind == "numerical":
        options = [
            ParsedOption("4:0.5", True, SECRET_FEEDBACK),
            ParsedOption("3..3.4", True, "Close: half marks.", weight=50),
            ParsedOption("0", False, "Zero workers serve nothing."),
        ]
    elif kind == "matching":
        options = [
            ParsedOption("uvicorn", True, SECRET_FEEDBACK, match="ASGI"),
            ParsedOption("gunicorn", True, "", match="WSGI"),
            ParsedOption("daphne", True, "", match="ASGI"),
            ParsedOption("", True, "", match="CGI"),  # a distractor
        ]
    elif kind in ("essay", "description"):
        options = []
    elif kind == "multiple":
        options = [
            ParsedOption("right one", True, SECRET_FEEDBACK),
            ParsedOption("right two", True, SECRET_FEEDBACK),
            ParsedOption("wrong", False, "Wrong because."),
        ]
    else:
        options = [
            ParsedOption("wrong a", False, "Wrong a because."),
            ParsedOption("the right answer", True, SECRET_FEEDBACK),
            ParsedOption("wrong b", False, "Wrong b because."),
        ]
    return ParsedQuestion(
        id=f"q{i}",
        kind=kind,
        title=f"Question {i}",
        prompt=f"Prompt of question {i} with `code`.",
        options=options,
        explanation=f"SECRET-explanation {i}",
        explainer="sync-vs-async#gather",
    )


def make_set(
    slug: str = "demo", n: int = 5, kinds: tuple[str, ...] = ("single",), owner=None
) -> QuestionSet:
    """A set of n questions; with no owner, it is the site's own (staff edit it)."""
    questionset_import(parsed=parsed_set(slug, n, kinds), dry_run=False)
    if owner is not None:
        QuestionSet.objects.filter(slug=slug).update(owner=owner)
    return QuestionSet.objects.get(slug=slug)


def _shown(version, seed: int):
    """The version's options and the order the attempt shows them in."""
    from questions.grading import display_order

    options = list(version.options.order_by("position"))
    order = display_order(seed=seed, version_id=version.pk, count=len(options), kind=version.kind)
    return options, order


def _matches(version, seed: int, right: bool) -> dict:
    from questions.grading import match_choices

    options, order = _shown(version, seed)
    choices = match_choices(seed=seed, version_id=version.pk, options=options)
    data = {}
    for index, position in enumerate(order):
        if options[position].text:
            wanted = options[position].match if right else "CGI"
            data[f"match-{index}"] = str(choices.index(wanted))
    return data


def right_answer(version, seed: int) -> dict:
    """The form data that answers a version right, as a learner would post it."""
    options, order = _shown(version, seed)
    if version.kind == "short":
        return {"text": "  SYNC_TO_ASYNC "}
    if version.kind == "numerical":
        return {"text": "4,2"}  # within 4 ± 0.5, with a decimal comma
    if version.kind == "essay":
        return {"text": "The loop runs one thing at a time.\nSo a blocking call stalls it."}
    if version.kind == "matching":
        return _matches(version, seed, right=True)
    if version.kind == "order":
        # rank-<display index> = the place of that step
        return {f"rank-{index}": str(position + 1) for index, position in enumerate(order)}
    chosen = [str(index) for index, position in enumerate(order) if options[position].correct]
    return {"choice": chosen if version.kind == "multiple" else chosen[0]}


def wrong_answer(version, seed: int) -> dict:
    options, order = _shown(version, seed)
    if version.kind == "short":
        return {"text": "async_to_sync"}
    if version.kind == "numerical":
        return {"text": "0"}
    if version.kind == "essay":
        return {"text": "No idea."}
    if version.kind == "matching":
        return _matches(version, seed, right=False)
    if version.kind == "order":
        return {f"rank-{index}": str(len(order) - position) for index, position in enumerate(order)}
    wrong = [str(index) for index, position in enumerate(order) if not options[position].correct]
    return {"choice": wrong[:1]} if version.kind == "multiple" else {"choice": wrong[0]}
