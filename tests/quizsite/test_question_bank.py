"""The question bank in content/question-sets meets the standard the product promises.

Each check names the file and question that breaks it, so a writer knows what to fix.
"""

from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from questions.formats.base import KINDS, ORDER, SHORT, ParsedSet
from questions.formats.gift import parse_gift
from questions.formats.gift_export import export_gift
from questions.formats.markdown import export_markdown, parse_markdown
from quizsite.explainers.selectors import library_load

BANK = Path(__file__).resolve().parents[2] / "content" / "question-sets"
FILES = sorted(p for p in BANK.glob("*.md") if p.name != "README.md")


def parse(path: Path) -> ParsedSet:
    return parse_markdown(path.read_text(encoding="utf-8"), path=str(path))


@pytest.fixture(scope="module")
def bank() -> dict[str, ParsedSet]:
    return {path.name: parse(path) for path in FILES}


def test_the_bank_is_big_enough_and_matches_the_explainers(bank):
    assert len(bank) >= 9
    assert sum(len(s.questions) for s in bank.values()) >= 120
    explainers = {e.slug for e in library_load().explainers}
    assert {s.explainer for s in bank.values()} == explainers, "one set per explainer"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_set_mixes_every_kind(path):
    kinds = Counter(q.kind for q in parse(path).questions)
    # The five kinds our Markdown bank was written in; GIFT's numerical, matching, essay
    # and description are importable, not required of every set.
    assert set(kinds) == set(KINDS[:5]), f"{path.name} lacks {set(KINDS[:5]) - set(kinds)}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_answer_says_why_and_every_question_explains(path):
    for q in parse(path).questions:
        assert q.explanation.strip(), f"{path.name}:{q.line}: {q.id} has no explanation"
        for option in q.options:
            # A short answer's extra accepted spellings may share the first one's feedback;
            # the first accepted answer and every listed wrong answer must say why.
            spelling = q.kind == SHORT and option.correct and option is not q.options[0]
            # Ordering steps are judged as a sequence, so the explanation carries the why.
            if spelling or q.kind == ORDER:
                continue
            assert option.feedback.strip(), (
                f"{path.name}:{option.line}: {q.id} option {option.text!r} has no feedback"
            )


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_question_links_to_a_section_that_exists(path):
    library = library_load()
    for q in parse(path).questions:
        slug, _, anchor = q.explainer.partition("#")
        explainer = library.get(slug)
        assert explainer is not None, f"{path.name}:{q.line}: {q.id} links to no explainer"
        assert anchor in explainer.document.anchors, (
            f"{path.name}:{q.line}: {q.id} links to #{anchor}, not a section of {slug}"
        )


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_set_round_trips_through_both_formats(path):
    parsed = parse(path)
    assert parse_markdown(export_markdown(parsed), path="again.md") == parsed
    # GIFT gives every right answer of a multiple-answer question an equal weight
    # (Moodle needs one); apart from that the set comes back the same.
    again = replace(parse_gift(export_gift(parsed), path="again.gift"), format=parsed.format)
    for question in again.questions:
        question.options = [replace(o, weight=None) for o in question.options]
    assert again == parsed
