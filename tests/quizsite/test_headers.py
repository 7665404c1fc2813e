"""Permissions-Policy on every response; `private, no-store` on every page that holds a
learner's or an instructor's data, and not on the anonymous pages the page cache keeps."""

import pytest
from django.test import Client

from questions.models import Attempt
from tests.questions.factories import make_set
from tests.questions.teach.conftest import make_user

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    value = response.get("Cache-Control", "")
    return "private" in value and "no-store" in value


@pytest.fixture
def learner_attempt(client):
    make_set(n=2)
    client.post("/quiz/demo/start/", {"mode": "practice"})
    return Attempt.objects.get()


def test_learner_pages_are_private_and_not_stored(client, learner_attempt):
    pk = learner_attempt.pk
    for url in (
        f"/quiz/attempts/{pk}/q/1/",
        f"/quiz/attempts/{pk}/",
        f"/quiz/attempts/{pk}/results/",
        "/quiz/progress/",
        f"/report/{learner_attempt.version_ids[0]}/",
    ):
        response = client.get(url, follow=False)
        assert no_store(response), (url, response.get("Cache-Control"))
        assert "Permissions-Policy" in response


def test_teach_pages_are_private_and_not_stored(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ada = make_user("ada", instructor=True)
    make_set(n=1, owner=ada)
    client.force_login(ada)
    for url in ("/teach/", "/teach/sets/demo/", "/teach/sets/demo/analysis/", "/teach/upload/"):
        response = client.get(url)
        assert response.status_code == 200
        assert no_store(response), url


def test_every_response_has_a_permissions_policy_public_pages_stay_cacheable():
    client = Client()
    for url in ("/", "/quiz/", "/learn/", "/no-such-page/", "/lab/api/experiments/"):
        response = client.get(url)
        policy = response["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy
        if url in ("/", "/quiz/"):
            assert not no_store(response)  # the page cache may keep them
