"""Our Markdown question-set format: the spec's own examples parse, every kind, the
community style, and export then parse gives the same set."""

import re
from pathlib import Path

import pytest

from questions.formats.base import ParseError
from questions.formats.markdown import export_markdown, parse_markdown

REPO = Path(__file__).resolve().parents[2]
SPEC = (REPO / "content" / "question-sets" / "README.md").read_text()
SETS = Path(__file__).parent / "fixtures" / "sets"


def spec_examples() -> list[str]:
    """The fenced Markdown examples in content/question-sets/README.md."""
    blocks = re.findall(r"^(`{3,4})markdown\n(.*?)^\1$", SPEC, flags=re.M | re.S)
    return [body for _, body in blocks]


def test_the_specs_full_example_parses_as_written():
    full = spec_examples()[0]
    parsed = parse_markdown(full, path="sync-vs-async.md")
    assert (parsed.slug, parsed.title, parsed.difficulty) == (
        "sync-vs-async",
        "Sync vs async",
        "beginner",
    )
    assert parsed.tags == ["asyncio", "event-loop"]
    [question] = parsed.questions
    assert question.id == "gather-three-sleeps"
    assert question.kind == "single"
    assert question.tags == ["gather", "timing"]
    assert question.explainer == "sync-vs-async#asyncio-gather"
    assert question.prompt.startswith("```python\nasync def main():")
    assert [o.correct for o in question.options] == [False, True, False]
    assert question.options[1].feedback == (
        "The three sleeps wait at the same time on one event loop."
    )
    assert question.explanation.startswith("`gather` schedules all three")


def test_the_specs_short_and_order_examples_parse():
    example = next(e for e in spec_examples() if "kind: short" in e)
    parsed = parse_markdown(example, path="kinds.md")
    short, order = parsed.questions
    assert short.kind == "short"
    assert [(o.text, o.correct) for o in short.options] == [
        ("sync_to_async", True),
        ("asgiref.sync.sync_to_async", True),
        ("async_to_sync", False),
    ]
    assert order.kind == "order"
    assert order.options[0].text == "uvicorn receives the HTTP request"
    assert order.options[0].feedback == "The server parses the bytes first."
    assert len(order.options) == 4
    # No prompt under the heading: the heading is the question.
    assert order.prompt == "Put the steps in order"


def test_the_specs_community_example_imports_without_editing():
    example = next(e for e in spec_examples() if "#### Q1." in e)
    parsed = parse_markdown(example, path="python-quiz.md")
    assert parsed.slug == "python-quiz"
    assert parsed.title == "Python concurrency quiz"
    [question] = parsed.questions
    assert question.id == "q1"  # the bank's own number
    assert question.kind == "single"
    assert question.options[1].correct


def test_kinds_are_inferred_when_omitted():
    parsed = parse_markdown((SETS / "sync-basics.md").read_text(), path="sync-basics.md")
    kinds = {q.id: q.kind for q in parsed.questions}
    assert kinds == {
        "gather-three-sleeps": "single",
        "name-the-adapter": "short",
        "request-steps": "order",
        "gil-is-per-process": "true_false",
        "pick-all": "multiple",
    }


def test_a_hash_comment_in_a_code_block_is_not_a_heading_and_quotes_in_code_are_not_feedback():
    parsed = parse_markdown((SETS / "sync-basics.md").read_text(), path="sync-basics.md")
    gather = parsed.questions[0]
    assert "# a comment" in gather.prompt
    pick = parsed.questions[-1]
    assert "> not feedback" in pick.options[2].text
    assert pick.options[2].feedback == "feedback c"


@pytest.mark.parametrize("name", ["sync-basics.md", "community-style.md"])
def test_export_then_parse_gives_the_same_set(name):
    parsed = parse_markdown((SETS / name).read_text(), path=name)
    exported = export_markdown(parsed)
    again = parse_markdown(exported, path=name)
    assert again == parsed
    # And the export is stable: exporting the re-parsed set changes nothing.
    assert export_markdown(again) == exported


def test_every_problem_is_reported_not_only_the_first():
    text = "## One {#one}\n\n- [ ] a\n- [ ] b\n\n## Two {#two}\n\ndifficulty: hard\n\n- [x] a\n- [ ] b\n"
    with pytest.raises(ParseError) as info:
        parse_markdown(text, path="x.md")
    assert [str(p) for p in info.value.problems] == [
        "x.md:1: question 'one' has no correct answer",
        "x.md:8: difficulty 'hard' is not one of beginner, intermediate, advanced",
    ]


def test_a_prompt_that_starts_with_a_word_and_a_colon_is_not_metadata():
    text = "## Q {#q}\n\nNote: the loop is single-threaded. Which is true?\n\n- [x] a\n- [ ] b\n"
    [question] = parse_markdown(text, path="x.md").questions
    assert question.prompt.startswith("Note: the loop")
