"""{% url %} worked out once (quizsite/urltag.py): it renders what Django's tag renders,
errors included, and is the one the site's templates use."""

import pytest
from django.template import Context, Engine, engines
from django.urls import NoReverseMatch

from quizsite import urltag

DJANGO = Engine()  # Django's own builtins only: its {% url %}
CASES = [
    "{% url 'home' %}",
    "{% url 'questions:question' 7 3 %}",
    "{% url 'questions:question' pk=7 n=3 %}",
    "{% url 'questions:question' pk n %}",
    "{% url name pk 1 %}",
    "{% url 'questions:detail' 'the-gil' %}",
    "{% url 'questions:question' 7 3 as there %}[{{ there }}]",
    "{% url 'no-such-view' as there %}[{{ there }}]",
]


@pytest.mark.parametrize("source", CASES)
def test_it_renders_what_django_s_tag_renders(source):
    context = {"pk": 12, "n": 4, "name": "questions:answer"}
    site = engines["django"].from_string(source)
    for _ in range(2):  # worked out, then kept
        assert site.render(context) == DJANGO.from_string(source).render(Context(context))


def test_a_url_that_does_not_reverse_raises_as_django_s_does():
    for _ in range(2):
        with pytest.raises(NoReverseMatch):
            engines["django"].from_string("{% url 'questions:question' 'x' %}").render({})


def test_it_is_kept_per_arguments(monkeypatch):
    calls = []
    real = urltag.reverse
    monkeypatch.setattr(urltag, "reverse", lambda *a, **k: calls.append(a) or real(*a, **k))
    urltag._kept.clear()
    template = engines["django"].from_string("{% url 'questions:question' pk 1 %}")
    assert [template.render({"pk": pk}) for pk in (5, 5, 6, 5)] == [
        "/quiz/attempts/5/q/1/",
        "/quiz/attempts/5/q/1/",
        "/quiz/attempts/6/q/1/",
        "/quiz/attempts/5/q/1/",
    ]
    assert len(calls) == 2  # once for 5, once for 6


def test_the_site_s_templates_use_it():
    template = engines["django"].from_string("{% url 'home' %}")
    assert isinstance(template.template.nodelist[0], urltag.KeptURLNode)
