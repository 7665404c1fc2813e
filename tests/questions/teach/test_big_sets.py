"""Pages that grow with a set: a page of 50 questions at a time, whatever the set's size."""

import re

import pytest

from questions.formats.markdown import export_markdown
from questions.teach.pages import PER_PAGE
from tests.questions.factories import make_set, parsed_set
from tests.questions.teach.test_upload import upload

pytestmark = pytest.mark.django_db


def cards(html: str) -> list[str]:
    return re.findall(r'<article class="quiz-card teach-question" id="q-(q\d+)"', html)


def test_a_large_sets_page_shows_fifty_questions_a_page(instructor_client):
    make_set(n=120)
    first = instructor_client.get("/teach/sets/demo/").content.decode()
    assert cards(first) == [f"q{i}" for i in range(PER_PAGE)]
    assert "120 questions" in first and "Questions 1–50 of 120" in first
    assert 'href="?page=2" rel="next"' in first
    last = instructor_client.get("/teach/sets/demo/?page=3").content.decode()
    assert cards(last) == [f"q{i}" for i in range(100, 120)]
    # A bad page number is the nearest page, not an error.
    assert cards(instructor_client.get("/teach/sets/demo/?page=99").content.decode()) == cards(last)
    assert cards(instructor_client.get("/teach/sets/demo/?page=x").content.decode())[0] == "q0"


def test_item_analysis_draws_one_page_of_questions(instructor_client):
    make_set(n=60)
    html = instructor_client.get("/teach/sets/demo/analysis/").content.decode()
    assert html.count('class="chart chart-options"') == PER_PAGE
    second = instructor_client.get("/teach/sets/demo/analysis/?page=2").content.decode()
    assert second.count('class="chart chart-options"') == 10
    assert "/teach/sets/demo/?page=2#q-q55" in second
    csv = instructor_client.get("/teach/sets/demo/analysis.csv").content.decode()
    assert len(csv.strip().splitlines()) == 1 + 60  # the CSV has every question


def test_an_upload_preview_shows_fifty_questions_a_page(instructor_client):
    response = upload(instructor_client, export_markdown(parsed_set("big", 75)), "big.md")
    preview = response["Location"]
    assert len(cards(instructor_client.get(preview).content.decode())) == PER_PAGE
    assert len(cards(instructor_client.get(preview + "?page=2").content.decode())) == 25
