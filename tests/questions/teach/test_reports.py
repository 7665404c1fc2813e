"""A learner reports a problem from the question; the instructor sees it on the set's
page beside the question and marks it resolved."""

import pytest
from django.test import Client

from questions.models import Attempt
from questions.teach.models import ProblemReport
from tests.questions.factories import make_set

pytestmark = pytest.mark.django_db


def test_report_from_the_question_card_reaches_the_set_page_until_resolved(
    instructor_client, instructor
):
    make_set(n=2, owner=instructor)
    learner = Client()
    learner.post("/quiz/demo/start/", {"mode": "practice"})
    attempt = Attempt.objects.get()
    page = learner.get(f"/quiz/attempts/{attempt.pk}/q/1/").content.decode()
    version_id = attempt.version_ids[0]
    link = f'href="/report/{version_id}/?next=/quiz/attempts/{attempt.pk}/q/1/"'
    assert link in page
    form = learner.get(f"/report/{version_id}/?next=/quiz/attempts/{attempt.pk}/q/1/")
    assert "What is wrong with this question?" in form.content.decode()
    response = learner.post(
        f"/report/{version_id}/",
        {"text": "Option B is also right", "next": f"/quiz/attempts/{attempt.pk}/q/1/"},
    )
    assert response["Location"] == f"/quiz/attempts/{attempt.pk}/q/1/"
    report = ProblemReport.objects.get()
    assert report.reporter is None and report.reporter_token  # traced to the session
    html = instructor_client.get("/teach/sets/demo/").content.decode()
    assert "Option B is also right" in html
    assert f'href="?page=1#q-{report.question.stable_id}"' in html
    assert f'id="q-{report.question.stable_id}"' in html
    dashboard = instructor_client.get("/teach/").content.decode()
    assert 'href="/teach/sets/demo/#reports">1</a>' in dashboard
    instructor_client.post(f"/teach/reports/{report.pk}/resolve/")
    report.refresh_from_db()
    assert report.resolved_at is not None and report.resolved_by is not None
    assert (
        "Option B is also right" not in instructor_client.get("/teach/sets/demo/").content.decode()
    )


def test_an_empty_report_is_refused_and_next_cannot_leave_the_site(client):
    make_set(n=1)
    from questions.models import QuestionVersion

    version = QuestionVersion.objects.get()
    assert client.post(f"/report/{version.pk}/", {"text": "  "}).status_code == 400
    response = client.post(
        f"/report/{version.pk}/", {"text": "typo", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/quiz/"
    assert client.get("/report/999999/").status_code == 404


def test_the_results_page_offers_a_report_link_on_every_question(client):
    make_set(n=2)
    client.post("/quiz/demo/start/", {"mode": "exam"})
    attempt = Attempt.objects.get()
    client.post(f"/quiz/attempts/{attempt.pk}/finish/")
    html = client.get(f"/quiz/attempts/{attempt.pk}/results/").content.decode()
    back = f"/quiz/attempts/{attempt.pk}/results/"
    for version_id in attempt.version_ids:
        assert f'href="/report/{version_id}/?next={back}"' in html


def test_a_flood_of_reports_is_stopped_with_a_clear_message(client):
    from questions.models import QuestionVersion
    from questions.teach.services import REPORTS_PER_HOUR

    make_set(n=1)
    version = QuestionVersion.objects.get()
    for i in range(REPORTS_PER_HOUR):
        assert client.post(f"/report/{version.pk}/", {"text": f"typo {i}"}).status_code == 302
    response = client.post(f"/report/{version.pk}/", {"text": "one more"})
    assert response.status_code == 429
    assert f"You have sent {REPORTS_PER_HOUR} reports in the last hour" in response.content.decode()
    assert ProblemReport.objects.count() == REPORTS_PER_HOUR
    # Another learner is not held back by the first one's flood.
    assert Client().post(f"/report/{version.pk}/", {"text": "mine"}).status_code == 302
