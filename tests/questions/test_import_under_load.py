"""While a big import runs on the real server's database, learners' answers keep being
recorded: no server error, and every answer the server accepted is in the database.
(How long they wait is measured by quizsite/bench/import_under_load.py, not asserted here.)"""

import threading
import time

from tests.questions.load import Answers, big_gift, learner, true_false_gift
from tests.servers import manage

SIZE = 20


def count(env, model: str, **filters) -> int:
    code = (
        f"from questions.models import {model}; "
        f"print({model}.objects.filter(**{filters!r}).count())"
    )
    return int(manage(env, "shell", "--no-imports", "-c", code).stdout.strip().splitlines()[-1])


def test_answers_keep_being_recorded_during_a_big_import(site_server, site_server_env, tmp_path):
    small = tmp_path / "under-load.gift"
    small.write_text(true_false_gift(SIZE, slug="under-load"), encoding="utf-8")
    manage(site_server_env, "import_questions", str(small))
    big = tmp_path / "big-under-load.gift"
    big.write_text(big_gift(3000, slug="big-under-load"), encoding="utf-8")
    answers, stop = Answers(), threading.Event()
    threads = [
        threading.Thread(
            target=learner, args=(site_server.base_url, "under-load", SIZE, stop, answers)
        )
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    try:
        deadline = time.monotonic() + 60
        while len(answers.statuses) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)  # learners under way first
        assert answers.statuses, "no learner got an answer in"
        before = len(answers.statuses)
        manage(site_server_env, "import_questions", str(big))
        during = len(answers.statuses) - before
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert during > 0
    assert not [s for s in answers.statuses if s >= 500]
    accepted = sum(1 for s in answers.statuses if s == 302)
    assert accepted == count(site_server_env, "Response", attempt__question_set__slug="under-load")
    assert count(site_server_env, "Question", question_set__slug="big-under-load") == 3000
