"""Instructors see leeches and sure-but-wrong questions on the set's teach page."""

import pytest

from questions.models import Attempt
from questions.review.models import ReviewCard
from questions.review.selectors import LEECH_LAPSES
from tests.questions.factories import make_set, wrong_answer
from tests.questions.test_views import post_answer, start, version_at

pytestmark = pytest.mark.django_db


def test_the_teach_page_lists_leeches_and_sure_wrong_answers_linked_to_the_question(
    client, django_user_model
):
    make_set(n=3)
    attempt = start(client)
    post_answer(client, attempt, 1, lambda v, s: {**wrong_answer(v, s), "confidence": "3"})
    post_answer(client, attempt, 2, wrong_answer)  # wrong but unsure: not listed
    leech = version_at(attempt, 3).question
    ReviewCard.objects.create(
        owner_token="someone",
        question=leech,
        state=2,
        due=attempt.started_at,
        lapses=LEECH_LAPSES,
    )
    teacher = django_user_model.objects.create_user("grace", password="x")
    from django.contrib.auth.models import Group

    from questions.teach.permissions import INSTRUCTORS

    teacher.groups.add(Group.objects.get_or_create(name=INSTRUCTORS)[0])
    client.force_login(teacher)
    page = client.get("/teach/sets/demo/").content.decode()
    sure_wrong = version_at(attempt, 1).question
    assert f'href="#q-{sure_wrong.stable_id}"' in page
    assert f'href="#q-{leech.stable_id}"' in page
    assert f'href="#q-{version_at(attempt, 2).question.stable_id}"' not in page
    assert Attempt.objects.count() == 1
