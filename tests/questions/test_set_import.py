"""Staged imports: new rows go in by batches no learner can see, then one short
transaction switches to them; a failure anywhere leaves the database as it was."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from questions import set_import
from questions.formats.base import ParsedOption, ParsedQuestion, ParsedSet
from questions.models import Option, Question, QuestionSet, QuestionVersion
from questions.services import Owner, attempt_start

pytestmark = pytest.mark.django_db


def bank(n: int, *, edit: str = "") -> ParsedSet:
    return ParsedSet(
        slug="bank",
        title="Bank",
        format="gift",
        questions=[
            ParsedQuestion(
                id=f"q{i}",
                kind="single",
                title=f"Q{i}",
                prompt=f"Prompt {i}{edit}",
                options=[ParsedOption("right", True), ParsedOption("wrong", False)],
            )
            for i in range(n)
        ],
    )


def snapshot():
    return (
        list(QuestionSet.objects.values_list("slug", "published")),
        list(Question.objects.order_by("pk").values_list("stable_id", "current_version_id")),
        QuestionVersion.objects.count(),
        Option.objects.count(),
    )


def test_a_big_import_writes_in_batches_plus_one_switch(monkeypatch):
    monkeypatch.setattr(set_import, "BATCH", 100)
    with CaptureQueriesContext(connection) as queries:
        set_import.questionset_import(parsed=bank(250))
    # Per batch of 100 questions 3 bulk inserts, not 5 statements per question.
    inserts = [q for q in queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1 + 3 * 3  # the set, then questions, versions, options x 3
    assert Question.objects.filter(current_version__isnull=False).count() == 250
    assert QuestionSet.objects.get(slug="bank").published


@pytest.mark.parametrize("where", ["staging", "switch"])
def test_a_failure_leaves_the_database_as_it_was(monkeypatch, where):
    set_import.questionset_import(parsed=bank(30))
    before = snapshot()
    monkeypatch.setattr(set_import, "BATCH", 10)
    calls = {"n": 0}
    real = set_import.Option.objects.bulk_create

    def failing_bulk_create(objs, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:  # the third staging batch
            raise RuntimeError("disk full")
        return real(objs, *args, **kwargs)

    if where == "staging":
        monkeypatch.setattr(set_import.Option.objects, "bulk_create", failing_bulk_create)
    else:
        monkeypatch.setattr(
            set_import.Staged, "_update_set", lambda self: (_ for _ in ()).throw(RuntimeError())
        )
    edited = bank(45, edit=" (edited)")
    with pytest.raises(RuntimeError):
        set_import.questionset_import(parsed=edited)
    assert snapshot() == before


def test_staged_questions_are_not_asked_before_the_switch(monkeypatch):
    seen = {}

    def peek(self):
        # Mid-import, just before the switch: a learner starting now gets none of it.
        seen["asked"] = len(
            attempt_start(question_set=self.question_set, owner=Owner(None, "t")).version_ids
        )
        seen["published"] = QuestionSet.objects.get(pk=self.question_set.pk).published
        return real(self)

    real = set_import.Staged.switch
    monkeypatch.setattr(set_import.Staged, "switch", peek)
    set_import.questionset_import(parsed=bank(20))
    assert seen == {"asked": 0, "published": False}
