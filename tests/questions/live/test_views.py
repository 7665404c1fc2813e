"""The pages: the host's screen is the host's, the learner's flow works as plain forms,
and the answer key stays out of every page until the reveal."""

from questions.live.models import LiveSession
from questions.live.selectors import live_version
from questions.models import Response
from tests.questions.factories import SECRET_FEEDBACK, right_answer
from tests.questions.teach.conftest import make_user


def test_run_live_from_the_set_page_opens_the_host_screen_with_a_qr_code(client, host):
    from tests.questions.factories import make_set

    make_set("runnable", n=2)
    client.force_login(host)
    page = client.get("/teach/sets/runnable/")
    assert b"Run live" in page.content
    response = client.post("/live/new/runnable/", follow=True)
    session = LiveSession.objects.get()
    assert response.redirect_chain[-1][0] == f"/live/host/{session.code}/"
    html = response.content.decode()
    assert session.code in html and "<svg" in html and 'class="live-qr"' in html
    # The CSP allows no inline styles: the QR code draws with attributes only.
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "style=" not in svg


def test_a_learner_cannot_create_a_session(client, db):
    from tests.questions.factories import make_set

    make_set("runnable", n=1)
    client.force_login(make_user("learner"))
    assert client.post("/live/new/runnable/").status_code == 403
    assert not LiveSession.objects.exists()


def test_a_non_host_cannot_see_the_host_screen_or_start_or_reveal(client, live):
    client.force_login(make_user("other", instructor=True))
    assert client.get(f"/live/host/{live.code}/").status_code == 403
    for action in ("next", "reveal", "end"):
        assert client.post(f"/live/host/{live.code}/{action}/").status_code == 403
    assert LiveSession.objects.get(pk=live.pk).phase == LiveSession.LOBBY
    client.logout()
    assert client.post(f"/live/host/{live.code}/next/").status_code == 403


def test_learner_joins_answers_once_and_sees_why_after_the_reveal(client, live, host):
    page = client.get(f"/live/{live.code}/")
    assert b"Your name" in page.content
    response = client.post(f"/live/{live.code}/", {"display_name": "Ada"}, follow=True)
    assert b"You are in" in response.content

    host_client = type(client)()
    host_client.force_login(host)
    host_client.post(f"/live/host/{live.code}/next/")
    session = LiveSession.objects.get(pk=live.pk)
    version = live_version(session=session)
    page = client.get(f"/live/{live.code}/").content.decode()
    assert (
        version.title in page and SECRET_FEEDBACK not in page and "SECRET-explanation" not in page
    )

    client.post(f"/live/{live.code}/answer/", right_answer(version, live.seed))
    second = client.post(f"/live/{live.code}/answer/", {"choice": "0"}, follow=True)
    assert "already answered" in second.content.decode()
    assert Response.objects.count() == 1
    page = client.get(f"/live/{live.code}/").content.decode()
    assert "Answer recorded" in page and SECRET_FEEDBACK not in page

    host_client.post(f"/live/host/{live.code}/reveal/")
    page = client.get(f"/live/{live.code}/").content.decode()
    assert "Right" in page and SECRET_FEEDBACK in page


def test_a_poll_with_nothing_new_is_204_and_a_change_sends_the_stage(client, live, host):
    client.post(f"/live/{live.code}/", {"display_name": "Ada"})
    headers = {"HX-Request": "true"}
    url = f"/live/{live.code}/?rev={live.revision}&a=0"
    assert client.get(url, headers=headers).status_code == 204
    host_client = type(client)()
    host_client.force_login(host)
    host_client.post(f"/live/host/{live.code}/next/")
    changed = client.get(url, headers=headers)
    assert changed.status_code == 200
    assert b'id="live-stage"' in changed.content and b"<html" not in changed.content


def test_without_javascript_the_waiting_page_refreshes_itself_and_the_form_does_not(
    client, live, host
):
    client.post(f"/live/{live.code}/", {"display_name": "Ada"})
    assert b'http-equiv="refresh"' in client.get(f"/live/{live.code}/").content
    host_client = type(client)()
    host_client.force_login(host)
    host_client.post(f"/live/host/{live.code}/next/")
    assert b'http-equiv="refresh"' not in client.get(f"/live/{live.code}/").content


def test_an_ended_session_refuses_new_learners(client, live, host):
    host_client = type(client)()
    host_client.force_login(host)
    host_client.post(f"/live/host/{live.code}/end/")
    response = client.post(f"/live/{live.code}/", {"display_name": "Late"})
    assert response.status_code == 403 and b"has ended" in response.content


def test_an_unknown_code_is_404(client, db):
    assert client.get("/live/NOPE22/").status_code == 404


def test_the_host_screen_survives_a_reload_mid_question(client, live, host):
    learner = type(client)()
    learner.post(f"/live/{live.code}/", {"display_name": "Ada"})
    client.force_login(host)
    client.post(f"/live/host/{live.code}/next/", {"seconds": "30"})
    session = LiveSession.objects.get(pk=live.pk)
    version = live_version(session=session)
    learner.post(f"/live/{live.code}/answer/", right_answer(version, live.seed))
    page = client.get(f"/live/host/{live.code}/").content.decode()
    assert version.title in page and "Reveal the answer" in page
    assert "data-live-answered>1<" in page and "data-deadline" in page
    # The projector shows which option is right only after the reveal.
    assert "is-right" not in page and SECRET_FEEDBACK not in page
    client.post(f"/live/host/{live.code}/reveal/")
    page = client.get(f"/live/host/{live.code}/").content.decode()
    assert "is-right" in page and SECRET_FEEDBACK in page


def test_a_finished_session_is_in_the_assignment_results_and_analysis_csvs(client, live, host):
    learner = type(client)()
    learner.post(f"/live/{live.code}/", {"display_name": "Ada Lovelace"})
    client.force_login(host)
    for _ in range(3):
        client.post(f"/live/host/{live.code}/next/")
        session = LiveSession.objects.get(pk=live.pk)
        learner.post(
            f"/live/{live.code}/answer/", right_answer(live_version(session=session), live.seed)
        )
        client.post(f"/live/host/{live.code}/reveal/")
    client.post(f"/live/host/{live.code}/end/")
    pk = live.assignment_id
    results = client.get(f"/teach/assignments/{pk}/results.csv").content.decode()
    assert "Ada Lovelace" in results
    analysis = client.get(f"/teach/assignments/{pk}/analysis.csv").content.decode()
    assert analysis.count("\n") >= 4  # a header and the three questions
    page = client.get(f"/teach/assignments/{pk}/analysis/").content.decode()
    assert "Question 0" in page
