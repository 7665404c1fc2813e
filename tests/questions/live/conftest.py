"""A set, its host and a live session, for the in-process tests of live sessions."""

import pytest

from questions.live.services import live_create, live_join
from questions.services import Owner
from tests.questions.factories import make_set
from tests.questions.teach.conftest import make_user


@pytest.fixture
def host(db):
    return make_user("hostess", instructor=True)


@pytest.fixture
def live(host):
    """A session on three questions: single choice, select all, short answer."""
    question_set = make_set("live-demo", n=3, kinds=("single", "multiple", "short"))
    session, left_out = live_create(host_id=host.pk, question_set=question_set)
    assert left_out == []
    return session


def join(session, name: str, token: str | None = None):
    return live_join(session=session, owner=Owner(None, token or f"tok-{name}"), display_name=name)
