"""CSRF on page-cached forms: the token comes from the cookie (static/js/csrf.js), and a
same-origin form sent without one (JavaScript off) gets a page that asks to confirm."""

import re

import pytest
from django.test import Client

from questions.models import Attempt
from tests.questions.factories import make_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client(enforce_csrf_checks=True)


def test_csrf_endpoint_sets_the_cookie_and_says_nothing(client):
    response = client.get("/csrf/")
    assert response.status_code == 204
    assert response.cookies["csrftoken"].value
    assert "no-cache" in response["Cache-Control"]


def test_the_cookie_s_value_is_a_valid_token_for_a_form(client):
    make_set("demo", n=2)
    client.get("/csrf/")
    token = client.cookies["csrftoken"].value
    response = client.post("/quiz/demo/start/", {"csrfmiddlewaretoken": token, "mode": "exam"})
    assert response.status_code == 302
    assert Attempt.objects.get().mode == "exam"


def test_same_origin_form_without_token_gets_a_confirmation_with_its_fields(client):
    make_set("demo", n=2)
    response = client.post(
        "/quiz/demo/start/",
        {"mode": "exam", "time_limit": "300"},
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert "One more click" in html
    assert 'action="/quiz/demo/start/"' in html
    assert '<input type="hidden" name="mode" value="exam">' in html
    assert '<input type="hidden" name="time_limit" value="300">' in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert Attempt.objects.count() == 0  # nothing happened yet
    confirmed = client.post(
        "/quiz/demo/start/", {"csrfmiddlewaretoken": token, "mode": "exam", "time_limit": "300"}
    )
    assert confirmed.status_code == 302
    assert Attempt.objects.get().time_limit == 300


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://evil.example"},
        {},  # says nothing about where it comes from
    ],
)
def test_a_form_from_elsewhere_is_refused_without_a_way_to_confirm(client, headers):
    make_set("demo", n=2)
    response = client.post("/quiz/demo/start/", {"mode": "exam"}, headers=headers)
    html = response.content.decode()
    assert response.status_code == 403
    assert "csrfmiddlewaretoken" not in html
    assert "refused" in html
    assert Attempt.objects.count() == 0
