"""Versions kept in process (questions.cache): read once, then forgotten when the
content may have changed, here at once, from another process within the re-check."""

import pytest
from django.db import connection
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext

from questions.cache import VERSIONS
from questions.models import Option, QuestionSet
from questions.selectors import version_get
from tests.questions.factories import make_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    question_set = make_set("demo", n=2)
    return question_set.questions.order_by("position").first().current_version


def test_a_version_is_read_once_then_served_from_the_process(version):
    with CaptureQueriesContext(connection) as first:
        shown = version_get(pk=version.pk)
    with CaptureQueriesContext(connection) as again:
        assert version_get(pk=version.pk) is shown
    assert len(first) == 2  # the version (set and description joined) and its options
    assert len(again) == 0


def test_an_edit_in_this_process_is_seen_on_the_next_read(version):
    before = [o.text for o in version_get(pk=version.pk).options.all()]
    option = Option.objects.filter(version=version).order_by("position").first()
    option.text = "Edited in the admin"
    option.save()
    after = [o.text for o in version_get(pk=version.pk).options.all()]
    assert after[0] == "Edited in the admin" and after[1:] == before[1:]


def test_an_edit_in_another_process_is_seen_after_the_recheck(version):
    VERSIONS.checked_at = float("-inf")
    shown = version_get(pk=version.pk)  # takes the content stamp of now, and the version
    # The admin saves an option in another worker: its signals run there (touching the
    # set), but this process's memo hears nothing.
    uid = f"versions-save-{Option}"
    post_save.disconnect(VERSIONS.clear, sender=Option, dispatch_uid=uid)
    try:
        option = Option.objects.filter(version=version).order_by("position").first()
        option.text = "Edited elsewhere"
        option.save()
    finally:
        post_save.connect(VERSIONS.clear, sender=Option, dispatch_uid=uid)
    assert version_get(pk=version.pk) is shown  # within the re-check interval: kept
    VERSIONS.checked_at = float("-inf")  # the interval has passed
    fresh = version_get(pk=version.pk)
    assert fresh is not shown
    assert fresh.options.all()[0].text == "Edited elsewhere"


def test_a_stale_version_is_kept_until_the_stamp_moves(version, settings):
    settings.CONTENT_RECHECK_SECONDS = 0  # compare the stamp on every read
    shown = version_get(pk=version.pk)
    # A bulk update sends no signal and leaves the stamp alone: still the kept copy...
    Option.objects.filter(version=version).update(text="Bulk")
    assert version_get(pk=version.pk) is shown
    # ...until the set changes (an import, a publish, a save of one of its questions).
    QuestionSet.objects.get().save()
    assert version_get(pk=version.pk) is not shown
    assert {o.text for o in version_get(pk=version.pk).options.all()} == {"Bulk"}
