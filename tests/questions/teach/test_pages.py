"""The instructors' set page, export, publishing, analysis page and CSV, the admin, the
setup command, charts and CSV cells."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command

from questions.formats.gift import parse_gift
from questions.formats.markdown import parse_markdown
from questions.models import QuestionSet
from questions.selectors import questionset_to_parsed
from questions.teach import charts
from questions.teach.csvs import safe_cell
from tests.questions.factories import make_set

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("fmt", "parse"), [("md", parse_markdown), ("gift", parse_gift)])
def test_export_downloads_the_set_in_either_format(instructor_client, fmt, parse):
    question_set = make_set(n=3)
    response = instructor_client.get(f"/teach/sets/demo/export.{fmt}")
    assert response["Content-Disposition"] == f'attachment; filename="demo.{fmt}"'
    parsed = parse(response.content.decode(), path=f"demo.{fmt}")
    expected = questionset_to_parsed(question_set=question_set)
    assert [q.title for q in parsed.questions] == [q.title for q in expected.questions]
    page = instructor_client.get("/teach/sets/demo/").content.decode()
    assert f'href="/teach/sets/demo/export.{fmt}"' in page


def test_publish_and_draft_from_the_set_page(instructor_client, instructor):
    make_set(n=1, owner=instructor)
    instructor_client.post("/teach/sets/demo/publish/", {"published": "0"})
    assert not QuestionSet.objects.get().published
    assert (
        "Draft: hidden from learners" in instructor_client.get("/teach/sets/demo/").content.decode()
    )
    instructor_client.post("/teach/sets/demo/publish/", {"published": "1"})
    assert QuestionSet.objects.get().published


def test_analysis_page_draws_svg_with_the_numbers_beside_and_downloads_csv(instructor_client):
    make_set(n=2)
    html = instructor_client.get("/teach/sets/demo/analysis/").content.decode()
    assert html.count("<svg") >= 1 + 2 * 3  # histogram, then three charts per question
    assert 'role="img"' in html and "style=" not in html
    response = instructor_client.get("/teach/sets/demo/analysis.csv")
    assert response["Content-Disposition"] == 'attachment; filename="demo-analysis.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["question_id", "title", "attempts", "facility"]
    assert [r[0] for r in rows[1:]] == ["q0", "q1"]


def test_charts_say_their_numbers_and_stay_in_bounds():
    svg = charts.histogram((0, 1, 0, 0, 0, 0, 0, 0, 2, 3))
    assert 'aria-label="Attempts per score band: 0–10%: 0, 10–20%: 1' in svg
    assert "90–100%: 3" in svg
    negative = charts.discrimination_marker(-0.5, label="Discrimination index -0.50")
    assert 'class="chart-negative" x="30.0"' in negative and 'width="30.0"' in negative
    assert 'width="120"' in charts.share_bar(1.7, label="x")  # clamped to the track
    assert 'class="chart-empty"' in charts.option_bars([("A", 0), ("B", 4)], attempts=4)


def test_csv_cells_that_look_like_formulas_are_made_text():
    assert [safe_cell(v) for v in ("=1+1", "+1", "-x", "@SUM", "ok", -0.5, None)] == [
        "'=1+1",
        "'+1",
        "'-x",
        "'@SUM",
        "ok",
        -0.5,
        "",
    ]


def test_teach_setup_creates_the_group_once_and_adds_users():
    User.objects.create_user("ada")
    call_command("teach_setup", stdout=io.StringIO())
    out = io.StringIO()
    call_command("teach_setup", "--add-user", "ada", stdout=out)
    assert "already exists" in out.getvalue()
    assert Group.objects.filter(name="Instructors").count() == 1
    assert User.objects.get(username="ada").groups.filter(name="Instructors").exists()


def test_admin_lists_filters_and_previews_sets_questions_and_versions(client):
    question_set = make_set(n=2)
    client.force_login(User.objects.create_superuser("root", password="x"))
    question = question_set.questions.first()
    pages = {
        "/admin/questions/questionset/?published__exact=1&q=demo": "Demo",
        f"/admin/questions/questionset/{question_set.pk}/change/": "<code>code</code>",
        f"/admin/questions/question/{question.pk}/change/": "✓",
        f"/admin/questions/questionversion/{question.current_version_id}/change/": "the right answer",
        "/admin/teach/assignment/": "assignment",
        "/admin/teach/problemreport/": "report",
    }
    for url, text in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url


def test_teach_setup_creates_a_missing_account_with_a_password_from_the_environment(
    monkeypatch,
):
    monkeypatch.setenv("ALICE_PASSWORD", "a-long-test-password-42")
    out = io.StringIO()
    call_command(
        "teach_setup", "--add-user", "alice", "--password-from-env", "ALICE_PASSWORD", stdout=out
    )
    assert "Account 'alice' created." in out.getvalue()
    alice = User.objects.get(username="alice")
    assert alice.check_password("a-long-test-password-42")
    assert alice.groups.filter(name="Instructors").exists()


def test_teach_setup_refuses_a_missing_account_without_a_password(monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(CommandError, match="--password-from-env"):
        call_command("teach_setup", "--add-user", "bob", stdout=io.StringIO())
    monkeypatch.setenv("WEAK", "123")
    with pytest.raises(CommandError, match="too short|too common|entirely numeric"):
        call_command(
            "teach_setup", "--add-user", "bob", "--password-from-env", "WEAK", stdout=io.StringIO()
        )
    assert not User.objects.filter(username="bob").exists()
