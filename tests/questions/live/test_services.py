"""The session's rules, in the database: who may act, when answers count, and once."""

import pytest
from django.http import QueryDict

from questions.live.models import LiveSession
from questions.live.selectors import live_ranking, live_tally, live_version
from questions.live.services import LiveRefused, live_action, live_answer, live_create
from questions.live.stages import question_view
from questions.models import Attempt, QuestionVersion, Response
from questions.selectors import questions_current
from questions.teach.selectors import assignment_results, item_analysis_for
from tests.questions.factories import make_set, right_answer, wrong_answer
from tests.questions.live.conftest import join
from tests.questions.teach.conftest import make_user


def form(data: dict) -> QueryDict:
    q = QueryDict(mutable=True)
    for key, value in data.items():
        q.setlist(key, value if isinstance(value, list) else [value])
    return q


def act(session, action, user_id=None, seconds=0):
    return live_action(
        session_id=session.pk, user_id=user_id or session.host_id, action=action, seconds=seconds
    )


def current(session):
    return live_version(session=LiveSession.objects.get(pk=session.pk))


def test_a_kind_that_cannot_run_live_is_left_out_with_its_name(host):
    question_set = make_set("mixed", n=2)
    essay = questions_current(question_set=question_set)[1].current_version
    QuestionVersion.objects.filter(pk=essay.pk).update(kind="essay")
    session, left_out = live_create(host_id=host.pk, question_set=question_set)
    assert session.version_ids == [
        questions_current(question_set=question_set)[0].current_version_id
    ]
    assert len(left_out) == 1 and left_out[0].startswith("Question 1 (Essay")


def test_joining_twice_is_the_same_player(live):
    first = join(live, "Ada", token="t1")
    again = join(live, "Ada again", token="t1")
    assert first.pk == again.pk
    assert first.attempt.seed == live.seed and first.attempt.version_ids == live.version_ids


@pytest.mark.parametrize("action", ["start", "reveal", "pause", "end"])
def test_only_the_host_moves_the_session(live, action):
    other = make_user("mallory", instructor=True)
    with pytest.raises(LiveRefused, match="Only the host"):
        act(live, action, user_id=other.pk)
    assert LiveSession.objects.get(pk=live.pk).phase == LiveSession.LOBBY


def test_an_answer_counts_once_and_only_while_the_question_is_open(live):
    player = join(live, "Ada")
    with pytest.raises(LiveRefused, match="closed"):
        live_answer(session=live, attempt=player.attempt, data=form({"choice": "0"}))
    act(live, "start")
    version = current(live)
    live_answer(session=live, attempt=player.attempt, data=form(right_answer(version, live.seed)))
    with pytest.raises(LiveRefused, match="already answered"):
        live_answer(
            session=live, attempt=player.attempt, data=form(wrong_answer(version, live.seed))
        )
    assert Response.objects.filter(attempt=player.attempt).count() == 1
    assert Response.objects.get(attempt=player.attempt).correct
    act(live, "reveal")
    late = join(live, "Late")
    with pytest.raises(LiveRefused, match="closed"):
        live_answer(session=live, attempt=late.attempt, data=form({"choice": "0"}))


def test_pause_refuses_answers_and_keeps_the_countdown(live):
    player = join(live, "Ada")
    act(live, "start", seconds=30)
    paused = act(live, "pause")
    assert paused.paused and 29 <= paused.paused_left <= 31
    with pytest.raises(LiveRefused, match="paused"):
        live_answer(session=live, attempt=player.attempt, data=form({"choice": "0"}))
    resumed = act(live, "resume")
    assert not resumed.paused and resumed.deadline is not None
    live_answer(session=live, attempt=player.attempt, data=form({"choice": "0"}))


def test_an_answer_after_the_countdown_is_refused(live):
    player = join(live, "Ada")
    session = act(live, "start", seconds=10)
    LiveSession.objects.filter(pk=session.pk).update(deadline=session.deadline.replace(year=2000))
    with pytest.raises(LiveRefused, match="Time is up"):
        live_answer(session=live, attempt=player.attempt, data=form({"choice": "0"}))


def test_actions_out_of_turn_are_refused(live):
    with pytest.raises(LiveRefused, match="no open question"):
        act(live, "reveal")
    act(live, "start")
    with pytest.raises(LiveRefused, match="Reveal the current question"):
        act(live, "next")
    with pytest.raises(LiveRefused, match="Unknown action"):
        act(live, "explode")


def test_tally_counts_picks_per_shown_option_without_names(live):
    players = [join(live, name) for name in ("A", "B", "C")]
    act(live, "start")
    session = LiveSession.objects.get(pk=live.pk)
    version = current(live)
    for player, data in zip(players, [right_answer, right_answer, wrong_answer], strict=True):
        live_answer(session=session, attempt=player.attempt, data=form(data(version, live.seed)))
    view = question_view(session=session, version=version)
    tally = live_tally(session=session, version=version, order=view["order"])
    assert (tally.players, tally.answered, tally.right, sum(tally.picks)) == (3, 3, 2, 3)
    assert sorted(tally.picks) == [0, 1, 2]


def test_ranking_is_accuracy_first_and_time_only_breaks_ties(live):
    slow_right, fast_wrong, fast_right = (join(live, n) for n in ("Slow", "Guesser", "Fast"))
    act(live, "start")
    session = LiveSession.objects.get(pk=live.pk)
    version = current(live)
    for player, data in [
        (fast_wrong, wrong_answer),
        (fast_right, right_answer),
        (slow_right, right_answer),
    ]:
        live_answer(session=session, attempt=player.attempt, data=form(data(version, live.seed)))
    session = act(live, "reveal")
    ranking = live_ranking(session=session)
    assert [r.name for r in ranking] == ["Fast", "Slow", "Guesser"]
    assert [r.right for r in ranking] == [1, 1, 0]


def test_the_end_makes_finished_attempts_that_results_and_analysis_read(live):
    players = [join(live, name) for name in ("A", "B")]
    act(live, "start")  # question 1: answered
    version = current(live)
    session = LiveSession.objects.get(pk=live.pk)
    live_answer(
        session=session, attempt=players[0].attempt, data=form(right_answer(version, live.seed))
    )
    live_answer(
        session=session, attempt=players[1].attempt, data=form(wrong_answer(version, live.seed))
    )
    act(live, "reveal")
    act(live, "next")  # question 2: skipped, so never asked
    act(live, "skip")  # goes on to question 3
    act(live, "end")  # question 3 started, nobody answered
    attempts = Attempt.objects.filter(assignment_link__assignment=live.assignment).order_by("pk")
    assert all(a.finished_at is not None for a in attempts)
    asked = [live.version_ids[0], live.version_ids[2]]
    assert [a.version_ids for a in attempts] == [asked, asked]
    assert [a.score for a in attempts] == [0.5, 0.0]
    questions = questions_current(question_set=live.assignment.question_set)
    rows = assignment_results(assignment=live.assignment, questions=questions)
    assert [(r.name, r.right, r.answered) for r in rows] == [("A", 1, 1), ("B", 0, 1)]
    # Item analysis counts attempts that asked every current question: the skipped one
    # means these are left out, and it says so.
    analysis = item_analysis_for(
        question_set=live.assignment.question_set, assignment=live.assignment
    )
    assert analysis.left_out == 2


def test_a_full_session_joins_the_item_analysis(live):
    player = join(live, "A")
    for n in range(3):
        act(live, "start" if n == 0 else "next")
        session = LiveSession.objects.get(pk=live.pk)
        version = current(live)
        live_answer(
            session=session, attempt=player.attempt, data=form(right_answer(version, live.seed))
        )
        act(live, "reveal")
    with pytest.raises(LiveRefused, match="last question"):
        act(live, "next")
    act(live, "end")
    analysis = item_analysis_for(
        question_set=live.assignment.question_set, assignment=live.assignment
    )
    assert analysis.left_out == 0 and analysis.stats.attempts == 1
    assert [q.stats.facility for q in analysis.questions] == [1.0, 1.0, 1.0]
