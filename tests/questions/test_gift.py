"""Moodle GIFT import and export (questions/formats/gift.py)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from questions.formats.base import (
    MULTIPLE,
    NUMERICAL,
    ORDER,
    SHORT,
    SINGLE,
    TRUE_FALSE,
    ParsedOption,
    ParsedQuestion,
    ParsedSet,
    ParseError,
)
from questions.formats.gift import list_unsupported_gift, parse_gift
from questions.formats.gift_export import export_gift

FIXTURES = Path(__file__).parent / "fixtures"
EVERY_KIND = FIXTURES / "gift" / "every-kind.gift"
MALFORMED = sorted((FIXTURES / "malformed").glob("*.gift"))
EXPECT_RE = re.compile(r"^//\s*expect:\s*(\d+):\s*(.+?)\s*$")


def without_lines(parsed: ParsedSet) -> ParsedSet:
    """Where things were found is not what they are: drop lines and path to compare."""
    return dataclasses.replace(
        parsed,
        path="",
        questions=[
            dataclasses.replace(
                q, line=0, options=[dataclasses.replace(o, line=0) for o in q.options]
            )
            for q in parsed.questions
        ],
    )


def round_trip(parsed: ParsedSet) -> ParsedSet:
    return parse_gift(export_gift(parsed), path="exported.gift")


def options_of(q: ParsedQuestion) -> list[tuple]:
    return [(o.text, o.correct, o.feedback, o.weight) for o in q.options]


def problems_of(text: str, **kwargs) -> list[tuple[int, str]]:
    with pytest.raises(ParseError) as caught:
        parse_gift(text, path="q.gift", **kwargs)
    return [(p.line, p.message) for p in caught.value.problems]


@pytest.fixture(scope="module")
def every_kind() -> ParsedSet:
    return parse_gift(EVERY_KIND.read_text(encoding="utf-8"), path=str(EVERY_KIND))


def test_every_kind_set_metadata(every_kind):
    assert every_kind.slug == "event-loop-basics"  # last part of the $CATEGORY path
    assert every_kind.title == "Event loop basics"
    assert every_kind.description == "Coroutines, blocking calls and what `await` really does."
    assert every_kind.tags == ["asyncio", "event-loop"]
    assert every_kind.difficulty == "beginner"
    assert every_kind.explainer == "sync-vs-async"
    assert every_kind.format == "gift"
    assert [q.id for q in every_kind.questions] == [
        "gather-three-sleeps",
        "what-blocks-the-loop",
        "gil-and-i-o",  # no // id: the ::title:: slugified
        "asgi-server",
        "escapes",
        "request-steps",
        "missing-word",
    ]
    assert [q.kind for q in every_kind.questions] == [
        SINGLE,
        MULTIPLE,
        TRUE_FALSE,
        SHORT,
        TRUE_FALSE,
        ORDER,
        SINGLE,
    ]
    assert [q.line for q in every_kind.questions] == [14, 23, 30, 33, 40, 44, 53]


def test_every_kind_single_choice(every_kind):
    q = every_kind.questions[0]
    assert q.title == "How long does gather take?"
    # [markdown] is dropped and the Markdown kept; \n is a newline.
    assert q.prompt == (
        "Three `asyncio.sleep(1)` calls run under `asyncio.gather(...)`.\n"
        "How long does `main()` take?"
    )
    assert q.difficulty == "intermediate"
    assert q.tags == ["gather", "timing"]
    assert q.explainer == "sync-vs-async#asyncio-gather"
    assert options_of(q) == [
        ("About 3 seconds", False, "That is what awaiting them **one after another** costs.", None),
        ("About 1 second", True, "The three sleeps wait at the same time on one event loop.", None),
        ("About 0 seconds", False, "`asyncio.sleep(1)` really waits a second.", None),
    ]
    assert [o.line for o in q.options] == [16, 17, 18]
    assert q.explanation == (
        "`gather` schedules all three coroutines as tasks, so their waits overlap."
    )


def test_every_kind_multiple_answers_keep_their_weights(every_kind):
    q = every_kind.questions[1]
    assert [(o.text, o.correct, o.weight) for o in q.options] == [
        ("time.sleep(1)", True, 50.0),
        ("requests.get(url)", True, 50.0),
        ("await asyncio.sleep(1)", False, -100.0),
    ]
    assert q.options[2].feedback == "This one yields to the loop."
    assert q.difficulty == "" and q.tags == [] and q.explanation == ""


def test_every_kind_true_false_feedback_goes_to_the_right_option(every_kind):
    q = every_kind.questions[2]
    assert q.title == "GIL and I/O"
    assert q.prompt == "The GIL is released while a thread waits for a socket."
    # {T#wrong-answer feedback#right-answer feedback}: True is right, so the second
    # feedback belongs to True and the first to False.
    assert options_of(q) == [
        ("True", True, "Right: that is why threads help I/O-bound code.", None),
        ("False", False, "No: blocking I/O releases the GIL, so other threads run.", None),
    ]
    assert q.explanation == "Threads help with waiting, not with CPU work."


def test_every_kind_short_answer(every_kind):
    q = every_kind.questions[3]
    assert q.prompt == "Which ASGI server does this site run on?"
    assert [(o.text, o.correct, o.weight, o.feedback) for o in q.options] == [
        ("uvicorn", True, None, "Right."),
        ("the uvicorn server", True, None, ""),
        ("gunicorn", False, None, "Gunicorn runs our WSGI comparison, not the site."),  # 0%
    ]
    assert [o.line for o in q.options] == [34, 35, 36]


def test_every_kind_escapes_and_false_answer(every_kind):
    q = every_kind.questions[4]
    assert q.title == "Braces: and friends"
    # No format marker is Moodle's [moodle]: `#` and `~` are text, so the text is kept
    # as one HTML block that Markdown does not read.
    assert q.prompt == (
        '<div class="gift-text">'
        "Python's dict literal {} is empty; 10 // 3 and a~b, x = 1, issue #4.</div>"
    )
    # {F#...#...}: False is right, so the second feedback is False's.
    assert options_of(q) == [
        ("True", False, "It is empty: that is the point.", None),
        ("False", True, "Right.", None),
    ]


def test_every_kind_order_and_missing_word(every_kind):
    order = every_kind.questions[5]
    assert [o.text for o in order.options] == [
        "uvicorn receives the bytes -> parses HTTP",  # not a matching question
        "Django's ASGIHandler builds the request",
        "The middleware chain runs",
        "The view runs",
    ]
    assert all(o.correct for o in order.options)
    assert order.options[0].feedback == "The server parses the bytes first."
    missing = every_kind.questions[6]
    # No marker: Moodle's format, where backticks are text, not code.
    assert missing.prompt == (
        '<div class="gift-text">An `async def` view that calls `time.sleep(1)` _____ '
        "the event loop for one second.</div>"
    )
    assert [(o.text, o.correct) for o in missing.options] == [
        ("blocks", True),
        ("frees", False),
        ("speeds up", False),
    ]
    assert missing.title.startswith("An `async def` view that calls")  # no ::title::


def test_every_kind_round_trip(every_kind):
    assert without_lines(round_trip(every_kind)) == without_lines(every_kind)


def test_windows_newlines_bom_and_trailing_spaces_change_nothing(every_kind):
    text = EVERY_KIND.read_text(encoding="utf-8")
    messy = "\ufeff" + "\r\n".join(line + "  \t" for line in text.split("\n"))
    parsed = parse_gift(messy, path=str(EVERY_KIND))
    assert without_lines(parsed) == without_lines(every_kind)
    assert [q.line for q in parsed.questions] == [q.line for q in every_kind.questions]


def _option(text, correct, feedback="", weight=None):
    return ParsedOption(text=text, correct=correct, feedback=feedback, weight=weight)


HAND_BUILT = ParsedSet(
    slug="hand-built",
    title="Hand built: {every} kind",
    description="Line one\nline two with a back\\slash",
    tags=["gift", "round-trip"],
    difficulty="advanced",
    explainer="sync-vs-async",
    format="gift",
    questions=[
        ParsedQuestion(
            id="single",
            kind=SINGLE,
            title="Single: one = right ~ answer",
            prompt="What does this print?\n\n```python\nd = {'a': 1}\n// not a comment\n"
            "print(d['a'] # 2)\n```\n\nA \\* literal star.",
            options=[
                _option("1", True, "Right: `d['a']` is 1."),
                _option("2", False, "No #2.", weight=25.0),
                _option("%50% of the time", False),
                _option("[html] looks like a marker", False),
            ],
            explanation="Dicts map keys to values.\n\n- one\n- two",
            difficulty="beginner",
            tags=["dict"],
            explainer="sync-vs-async#dicts",
        ),
        ParsedQuestion(
            id="multiple",
            kind=MULTIPLE,
            title="Multiple",
            prompt="Pick the blocking calls.",
            options=[
                _option("time.sleep(1)", True, weight=33.33333),
                _option("open(path).read()", True, weight=33.33333),
                _option("requests.get(url)", True, "A sync client.", weight=33.33334),
                _option("await asyncio.sleep(1)", False, weight=-100.0),
                _option("await queue.get()", False),
            ],
        ),
        ParsedQuestion(
            id="true-false",
            kind=TRUE_FALSE,
            title="True or false",
            prompt="`async def` views are faster.",
            options=[_option("True", False, "Not by themselves."), _option("False", True)],
            explanation="Only overlapping waits get faster.",
        ),
        ParsedQuestion(
            id="true-false-no-feedback",
            kind=TRUE_FALSE,
            title="TF bare",
            prompt="The GIL exists.",
            options=[_option("True", True), _option("False", False)],
        ),
        ParsedQuestion(
            id="short",
            kind=SHORT,
            title="Short",
            prompt="Name the adapter that goes sync -> async.",
            options=[
                _option("sync_to_async", True, "Right."),
                _option("asgiref.sync.sync_to_async", True),
                _option("async_to_sync", False, "That goes the other way."),
                _option("sync -> async", True, weight=50.0),
            ],
        ),
        ParsedQuestion(
            id="order",
            kind=ORDER,
            title="Order",
            prompt="Put these in order.",
            options=[
                _option("uvicorn receives the request", True, "First the bytes."),
                _option("ASGIHandler -> request", True),
                _option("the view runs", True),
            ],
            explanation="Server, handler, view.",
        ),
    ],
)


def test_hand_built_set_of_every_kind_round_trips():
    assert without_lines(round_trip(HAND_BUILT)) == without_lines(HAND_BUILT)
    # The short answer's known wrong answer is written `=%0%` and read back as no weight.
    assert "\t=%0%async_to_sync#That goes the other way.\n" in export_gift(HAND_BUILT)


def test_export_shape():
    text = export_gift(HAND_BUILT)
    assert text.startswith("// title: Hand built: {every} kind\n")
    assert "\n$CATEGORY: hand-built\n" in text
    assert "// kind: order\n" in text
    assert "// id: single\n" in text
    assert "\n\t~%-100%await asyncio.sleep(1)\n" in text
    assert "{FALSE#Not by themselves.####Only overlapping waits get faster.}" in text
    assert "TF bare::[markdown]The GIL exists. {TRUE}" in text
    # Texts are written on one line (newlines as \\n), so no blank line, and no `//`
    # at the start of a line, can split a question or hide part of it.
    blocks = text.split("\n\n")
    assert len(blocks) == 1 + len(HAND_BUILT.questions)
    assert not [line for line in text.splitlines() if line.lstrip().startswith("// not")]


def test_multiple_answers_without_weights_get_an_equal_share():
    # Our Markdown format has no weights; Moodle needs one on every right answer.
    parsed = dataclasses.replace(
        HAND_BUILT,
        questions=[
            ParsedQuestion(
                id="m",
                kind=MULTIPLE,
                title="M",
                prompt="P",
                options=[_option(t, c) for t, c in (("a", True), ("b", True), ("c", True))]
                + [_option("d", False)],
            )
        ],
    )
    q = round_trip(parsed).questions[0]
    assert [(o.text, o.correct, o.weight) for o in q.options] == [
        ("a", True, 33.33333),
        ("b", True, 33.33333),
        ("c", True, 33.33333),
        ("d", False, None),
    ]


def test_escapes():
    text = (
        "::Esc\\:aped\\::: a \\{b\\} c\\~d e\\=f g\\#h i\\:j k\\\\l m\\nn o\\\\np \\d {\n"
        "\t=r\\#ight\\=answer#feed\\#back \\{x\\}\n"
        "\t~w\\~rong\n"
        "\t####gen\\#eral}\n"
    )
    q = parse_gift(text, path="esc.gift").questions[0]
    assert q.title == "Esc:aped:"
    # \\ is one backslash (so \\n is not a newline); unknown escapes stay as written.
    assert q.prompt == '<div class="gift-text">a {b} c~d e=f g#h i:j k\\l m<br>\nn o\\np \\d</div>'
    assert [(o.text, o.feedback) for o in q.options] == [
        (
            '<div class="gift-text">r#ight=answer</div>',
            '<div class="gift-text">feed#back {x}</div>',
        ),
        ('<div class="gift-text">w~rong</div>', ""),
    ]
    assert q.explanation == '<div class="gift-text">gen#eral</div>'


def test_answers_may_span_lines_and_format_markers_are_kept_as_text():
    text = (
        "// id: spans\n"
        "::Spans::[html]<b>Which</b> one?\n"
        "{\n"
        "  =[plain]the first\n"
        "   answer, on two lines  # and its\n"
        "   feedback\n"
        "  ~[moodle]the second\n"
        "}\n"
    )
    q = parse_gift(text, path="spans.gift").questions[0]
    assert q.prompt == "<b>Which</b> one?"
    assert [(o.text, o.feedback, o.line) for o in q.options] == [
        # A line break in the file is layout: Moodle's `\\n` is the text's line break.
        ("the first answer, on two lines", "and its feedback", 4),
        ("the second", "", 7),
    ]


def test_defaults_without_category_title_or_ids():
    text = "// just a comment\n\nIs the GIL global? {TRUE}\n\n::Second question:: Really? {F}\n"
    parsed = parse_gift(text, path="content/question-sets/gil_basics.gift")
    assert parsed.slug == "gil-basics"  # the file name stem
    assert parsed.title == "Gil basics"
    assert parsed.difficulty == "intermediate"
    assert [(q.id, q.title) for q in parsed.questions] == [
        ("is-the-gil-global", "Is the GIL global?"),  # from the content, not the position
        ("second-question", "Second question"),
    ]


def test_true_false_is_case_insensitive_and_short_answer_needs_no_equals():
    parsed = parse_gift("::A:: x {true}\n\n::B:: y {Paris =paris france}", path="t.gift")
    assert parsed.questions[0].kind == TRUE_FALSE
    assert parsed.questions[1].kind == SHORT
    assert [o.text for o in parsed.questions[1].options] == ["Paris", "paris france"]


def test_every_problem_is_reported_with_its_line():
    text = (
        "$CATEGORY: many-problems\n"  # 1
        "\n"  # 2
        "::Good:: The loop is single-threaded. {T}\n"  # 3
        "\n"  # 4
        "::Num:: How many? {MAYBE}\n"  # 5
        "\n"  # 6
        "::Weights:: Pick {\n"  # 7
        "  ~%60%a\n"  # 8
        "  ~%60%b\n"  # 9
        "  ~%200%c\n"  # 10
        "}\n"  # 11
        "\n"  # 12
        "// id: Bad Id\n"  # 13
        "::Open:: never closed {=a\n"  # 14
        "\n"  # 15
        "::Good:: again {F}\n"  # 16
    )
    assert problems_of(text) == [
        (
            5,
            "{MAYBE} is not a true/false answer: write {T} or {F} (or {TRUE}, {FALSE}), "
            "or {=MAYBE} to accept it as a typed answer",
        ),
        (8, "the right answers' weights add up to 320%, not 100%"),
        (10, "answer weight 200% is outside -100%..100%"),
        (
            14,
            "the answer block opened here is never closed with '}' (a blank line ends a question)",
        ),
    ]


CLOZE = "::C:: Python {1:MC:=is~is not} interpreted and {1:SA:=dynamic} typed."


def test_cloze_fails_the_import_naming_it_and_its_line():
    text = f"$CATEGORY: mixed\n\n::Fine:: ok? {{T}}\n\n{CLOZE}\n"
    [(line, message)] = problems_of(text)
    assert line == 5
    assert message.startswith("Cloze (embedded answers, {1:MC:...}) is Moodle's Cloze format")
    assert message.endswith("(use --skip-unsupported to skip them)")


def test_cloze_is_skipped_when_asked():
    text = f"$CATEGORY: mixed\n\n::Fine:: ok? {{T}}\n\n{CLOZE}\n\n::Last:: ok? {{F}}\n"
    parsed = parse_gift(text, path="mixed.gift", skip_unsupported=True)
    assert [q.id for q in parsed.questions] == ["fine", "last"]
    skipped = list_unsupported_gift(text, path="mixed.gift")
    assert [(p.line, p.message.split()[0]) for p in skipped] == [(5, "Cloze")]


def test_skipping_does_not_hide_syntax_errors():
    text = f"{CLOZE}\n\n::Fine:: ok? {{T}}\n\n::Broken:: {{=a ~b\n"
    assert problems_of(text, skip_unsupported=True) == [
        (
            5,
            "the answer block opened here is never closed with '}' (a blank line ends a question)",
        )
    ]


def test_malformed_corpus_is_not_empty():
    assert len(MALFORMED) >= 8


@pytest.mark.parametrize("path", MALFORMED, ids=lambda p: p.name)
def test_malformed_gift_reports_the_expected_problem(path):
    text = path.read_text(encoding="utf-8")
    expect = EXPECT_RE.match(text.splitlines()[0])
    assert expect, f"{path.name}: the first line must be // expect: <line>: <message>"
    line, message = int(expect.group(1)), expect.group(2)
    with pytest.raises(ParseError) as caught:
        parse_gift(text, path=str(path))
    found = [(p.line, p.message) for p in caught.value.problems]
    assert any(p_line == line and message in p_msg for p_line, p_msg in found), found


def test_the_readme_example_imports():
    readme = (Path(__file__).parents[2] / "content" / "question-sets" / "README.md").read_text()
    example = readme.split("## GIFT", 1)[1].split("```text\n", 1)[1].split("```\n", 1)[0]
    parsed = parse_gift(example, path="example.gift")
    assert parsed.slug == "event-loop-basics"
    assert [(q.id, q.kind) for q in parsed.questions] == [
        ("gather-three-sleeps", SINGLE),
        ("what-blocks-the-loop", MULTIPLE),
        ("gil-and-i-o", TRUE_FALSE),
        ("asgi-server", SHORT),
        ("request-steps", ORDER),
    ]


def test_a_file_exported_by_moodle_imports():
    # Moodle's own exporter: CRLF here, [html] texts, `// question: N  name: ...`
    # comments, `=%100%answer#` with empty feedback, and a numerical question.
    path = FIXTURES / "gift" / "moodle-export.gift"
    text = path.read_bytes().decode("utf-8")  # read_text() would turn CRLF into LF
    assert "\r\n" in text
    parsed = parse_gift(text, path=str(path))
    assert (parsed.slug, parsed.title) == (
        "default-for-concurrency-101",
        "Default for Concurrency 101",
    )
    assert [(q.id, q.kind, q.line) for q in parsed.questions] == [
        ("blocking-call", SINGLE, 6),
        ("gil", TRUE_FALSE, 13),
        ("adapter", SHORT, 17),
        ("workers", NUMERICAL, 24),
        ("blocking-calls", MULTIPLE, 30),
    ]
    blocking, gil, adapter, workers, _ = parsed.questions
    assert options_of(workers) == [("4:0", True, "", 100.0)]
    assert blocking.prompt == "<p>Which call blocks the event loop?</p>"
    assert options_of(blocking)[1] == ("<p>time.sleep(1)</p>", True, "<p>Right.</p>", None)
    assert options_of(gil) == [
        ("True", True, "<p>Yes.</p>", None),
        ("False", False, "<p>It is released.</p>", None),
    ]
    assert gil.explanation == "<p>That is why threads help I/O.</p>"
    assert options_of(adapter) == [
        ("sync_to_async", True, "", 100.0),
        ("asgiref.sync_to_async", True, "<p>Half marks: import it from asgiref.sync.</p>", 50.0),
    ]
    assert list_unsupported_gift(text, path=str(path)) == []


def test_only_newlines_count_as_line_breaks():
    # U+2028 (line separator) inside a text is a character, not a line: line numbers stay
    # those an editor shows.
    text = "::A:: one\u2028two {T}\n\n::B:: {#4}\n"
    assert problems_of(text) == [(3, "question 'b' has no prompt")]
