"""Numerical, matching, essay, missing-word and description questions, and partial
credit: parsed from GIFT, graded, asked without JavaScript, revealed only after."""

from pathlib import Path
from types import SimpleNamespace

import pytest

from questions.formats.base import ESSAY, MATCHING, MULTIPLE, NUMERICAL, SINGLE, numeric_range
from questions.grading import grade
from questions.importing import check_text
from questions.models import Attempt, QuestionSet, QuestionVersion, Response
from questions.services import questionset_import
from tests.questions.factories import SECRET_FEEDBACK, make_set, right_answer, wrong_answer

EVERY_KIND = Path(__file__).parent / "fixtures" / "corpus" / "moodle-every-kind.gift"


def every_kind():
    checked = check_text(EVERY_KIND.read_text(encoding="utf-8"), path=str(EVERY_KIND))
    assert not checked.problems, checked.problems
    return checked.parsed


def by_title(parsed, title):
    return next(q for q in parsed.questions if q.title == title)


def version_of(q):
    """A parsed question graded as the database would hold it."""
    options = [SimpleNamespace(**vars(o), position=n) for n, o in enumerate(q.options)]
    return SimpleNamespace(kind=q.kind, pk=1, options=SimpleNamespace(all=lambda: options))


def test_every_moodle_kind_parses():
    parsed = every_kind()
    kinds = [(q.id, q.kind) for q in parsed.questions]
    assert kinds == [
        ("intro", "description"),
        ("workers", NUMERICAL),
        ("tolerance", NUMERICAL),
        ("range", NUMERICAL),
        ("match-the-servers", MATCHING),
        ("explain-the-loop", ESSAY),
        ("missing-word", SINGLE),
        ("weights", MULTIPLE),
        ("half-marks", SINGLE),
        ("wildcard", "short"),
        ("dialect", SINGLE),
        ("headings", SINGLE),
    ]
    workers = by_title(parsed, "Workers")
    assert workers.tags == ["gunicorn", "processes"]  # Moodle's [tag:]
    # [plain]: shown as typed, its line break kept.
    assert workers.prompt == (
        '<div class="gift-text">How many worker processes does gunicorn -w 4 start?<br>\n'
        "Count only the workers.</div>"
    )
    assert [(o.text, o.weight) for o in workers.options] == [("4:0", 100.0), ("5", 50.0)]
    assert workers.explanation == "-w sets the number of worker processes."
    # [html]: `__init__` stays text, not bold.
    assert "<code>__init__</code>" in by_title(parsed, "Intro").prompt
    # [moodle]: a line break in the file is layout.
    assert by_title(parsed, "Match the servers").prompt == "Match each server with its interface."
    matching = by_title(parsed, "Match the servers")
    assert [(o.text, o.match) for o in matching.options] == [
        ("uvicorn", "ASGI"),
        ("gunicorn", "WSGI"),
        ("daphne", "ASGI"),
        ("", "CGI"),
    ]
    assert by_title(parsed, "Explain the loop").explanation.startswith("One thread runs")
    assert by_title(parsed, "Missing word").prompt == (
        '<div class="gift-text">An async view that calls time.sleep(1) _____ the event loop.</div>'
    )
    assert [(o.text, o.correct) for o in by_title(parsed, "Dialect").options] == [
        ("async def", True),
        ("def", False),
    ]
    # `\#` is a hash sign, not an empty Markdown heading.
    assert by_title(parsed, "Headings").options[0].text == '<div class="gift-text">#</div>'


@pytest.mark.parametrize(
    ("spec", "span"),
    [("3", (3, 3)), ("3:0.5", (2.5, 3.5)), ("1..5", (1, 5)), ("5..1", (1, 5)), ("x", None)],
)
def test_numeric_ranges(spec, span):
    assert numeric_range(spec) == span


@pytest.mark.parametrize(
    ("title", "answer", "score"),
    [
        ("Workers", {"value": 4.0}, 1.0),
        ("Workers", {"value": 5.0}, 0.5),
        ("Workers", {"value": 6.0}, 0.0),
        ("Tolerance", {"value": 0.304}, 1.0),
        ("Tolerance", {"value": 0.31}, 0.0),
        ("Range", {"value": 8120.0}, 1.0),
        ("Range", {"value": 9000.0}, 0.0),
        ("Weights", {"choices": [0, 1]}, 1.0),
        ("Weights", {"choices": [0]}, 0.5),
        ("Weights", {"choices": [0, 1, 2]}, 0.0),  # a negative weight subtracts
        ("Weights", {"choices": [2]}, 0.0),  # and never below 0
        ("Half marks", {"choices": [1]}, 0.5),
        ("Half marks", {"choices": [2]}, 0.0),
        ("Wildcard", {"text": "Uvicorn"}, 1.0),
        ("Wildcard", {"text": "hypercorn"}, 0.0),  # caught by *, worth 0%
        ("Match the servers", {"matches": {"0": "ASGI", "1": "WSGI", "2": "ASGI"}}, 1.0),
        ("Match the servers", {"matches": {"0": "ASGI", "1": "CGI", "2": "WSGI"}}, 1 / 3),
        ("Explain the loop", {"text": "anything"}, None),  # never auto-graded
    ],
)
def test_grading_by_kind_with_partial_credit(title, answer, score):
    assert grade(version=version_of(by_title(every_kind(), title)), answer=answer) == (
        pytest.approx(score) if score is not None else None
    )


pytestmark_db = pytest.mark.django_db


def start(client, slug="demo") -> Attempt:
    client.post(f"/quiz/{slug}/start/", {"mode": "practice"})
    return Attempt.objects.order_by("-pk").first()


def answer(client, attempt, n, data):
    return client.post(f"/quiz/attempts/{attempt.pk}/q/{n}/answer/", data)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [NUMERICAL, MATCHING, ESSAY])
def test_each_new_kind_without_javascript(client, kind):
    make_set(n=2, kinds=(kind,))
    attempt = start(client)
    version = QuestionVersion.objects.get(pk=attempt.version_ids[0])
    page = client.get(f"/quiz/attempts/{attempt.pk}/q/1/").content.decode()
    assert SECRET_FEEDBACK not in page and "SECRET-explanation" not in page
    assert "4:0.5" not in page and "4 ± 0.5" not in page
    response = answer(client, attempt, 1, right_answer(version, attempt.seed))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    recorded = Response.objects.get(attempt=attempt)
    if kind == ESSAY:
        # The model answer is shown, and the learner rates their own answer.
        assert recorded.score is None and "Model answer" in page and "SECRET-explanation" in page
        assert "How did your answer compare?" in page
        rated = client.post(f"/quiz/attempts/{attempt.pk}/q/1/rate/", {"rating": "partly"})
        assert rated.status_code == 302
        recorded.refresh_from_db()
        assert recorded.answer["rating"] == "partly" and recorded.score is None
        assert (
            "You rated your answer: <strong>partly right"
            in client.get(rated["Location"]).content.decode()
        )
    else:
        assert recorded.score == 1.0 and recorded.correct
        assert "✓</span> Right" in page and SECRET_FEEDBACK in page
    version2 = QuestionVersion.objects.get(pk=attempt.version_ids[1])
    answer(client, attempt, 2, wrong_answer(version2, attempt.seed))
    client.post(f"/quiz/attempts/{attempt.pk}/finish/")
    attempt.refresh_from_db()
    results = client.get(f"/quiz/attempts/{attempt.pk}/results/").content.decode()
    if kind == ESSAY:
        assert attempt.score is None and "0 / 0" in results  # essays are outside the score
    else:
        assert attempt.score == 0.5 and "1 / 2 (50%)" in results


@pytest.mark.django_db
def test_partial_credit_missing_word_and_description_through_the_site(client):
    parsed = every_kind()
    parsed.slug = "demo"
    questionset_import(parsed=parsed)
    stored = QuestionSet.objects.get(slug="demo")
    attempt = start(client)
    # The description is no question of its own: 11 asked of 12 items.
    assert len(attempt.version_ids) == 11
    titles = {v.pk: v.title for v in QuestionVersion.objects.filter(pk__in=attempt.version_ids)}
    half = attempt.version_ids.index(next(pk for pk, t in titles.items() if t == "Half marks"))
    workers = attempt.version_ids.index(next(pk for pk, t in titles.items() if t == "Workers"))
    missing = attempt.version_ids.index(next(pk for pk, t in titles.items() if t == "Missing word"))
    for n in range(1, len(attempt.version_ids) + 1):
        version = QuestionVersion.objects.get(pk=attempt.version_ids[n - 1])
        page = client.get(f"/quiz/attempts/{attempt.pk}/q/{n}/").content.decode()
        if n - 1 == workers:
            # The description above it is shown on its card.
            assert "<b>gunicorn</b>" in page
            data = {"text": "5"}
        elif n - 1 == half:
            data = {"choice": _index_of(version, attempt, "an ASGI server")}
        elif n - 1 == missing:
            assert "_____" in page and "blocks" in page
            data = {"choice": _index_of(version, attempt, "blocks")}
        else:
            data = (
                wrong_answer(version, attempt.seed) if version.options.exists() else {"text": "x"}
            )
            if version.kind == "numerical":
                data = {"text": "-1"}
            if version.kind == "short":
                data = {"text": "nope"}
        assert answer(client, attempt, n, data).status_code == 302
    page = client.get(f"/quiz/attempts/{attempt.pk}/q/{workers + 1}/").content.decode()
    assert "Partly right: 50% of the marks" in page
    client.post(f"/quiz/attempts/{attempt.pk}/finish/")
    attempt.refresh_from_db()
    # 0.5 + 0.5 + 1 of the 10 graded questions (the essay is not one).
    assert attempt.score == pytest.approx(2 / 10)
    assert stored.questions.count() == 12


def _index_of(version, attempt, text):
    from questions.grading import display_order

    options = list(version.options.all())
    order = display_order(
        seed=attempt.seed, version_id=version.pk, count=len(options), kind=version.kind
    )
    return str(next(i for i, p in enumerate(order) if options[p].text == text))


def _same(a, b):
    from tests.questions.test_gift import without_lines

    a, b = without_lines(a), without_lines(b)
    assert a.questions == b.questions
    assert (a.slug, a.title, a.tags, a.difficulty) == (b.slug, b.title, b.tags, b.difficulty)


def test_round_trips_keep_every_kind_and_weight():
    from questions.formats.gift import parse_gift
    from questions.formats.gift_export import export_gift
    from questions.formats.markdown import export_markdown, parse_markdown

    parsed = every_kind()
    assert any(o.weight and o.weight < 0 for q in parsed.questions for o in q.options)
    _same(parse_gift(export_gift(parsed), path="again.gift"), parsed)
    _same(parse_markdown(export_markdown(parsed), path="every-kind.md"), parsed)


@pytest.mark.django_db
def test_round_trips_through_the_database(tmp_path):
    """GIFT -> import -> GIFT, and GIFT -> import -> Markdown -> import: lossless."""
    from questions.formats.gift import parse_gift
    from questions.formats.gift_export import export_gift
    from questions.formats.markdown import export_markdown, parse_markdown
    from questions.selectors import questionset_to_parsed

    parsed = every_kind()
    questionset_import(parsed=parsed)
    stored = questionset_to_parsed(question_set=QuestionSet.objects.get(slug=parsed.slug))
    _same(parse_gift(export_gift(stored), path="again.gift"), parsed)
    markdown = parse_markdown(export_markdown(stored), path="every-kind.md")
    _same(markdown, parsed)
    report = questionset_import(parsed=markdown)
    assert not report.writes  # the Markdown import changes nothing: same content
