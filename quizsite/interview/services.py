"""Writes of the mock interview. The choice of questions leans on the learner's weak
topics (questions.review's mastery): a topic's weight grows with its share of recent
wrong answers, and a topic never tried weighs as much as one half right."""

from __future__ import annotations

import random
import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from questions.models import Attempt, Question
from questions.review.mastery import TopicMastery
from questions.services import Owner

from .models import ExplainerRead, InterviewSession, OpenAnswer

OPEN_COUNT = 2
QUICK_COUNT = 6
TIME_LIMIT = 15 * 60
MIN_QUICK_SECONDS = 60  # the quick-fire round gets at least this, even after a slow start


class InterviewRefused(Exception):
    """What the learner sent cannot be recorded; the message says why."""


def topic_weight(mastery: TopicMastery | None) -> float:
    if mastery is None or not mastery.recent:
        return 3.0
    return 1.0 + 4.0 * (1 - mastery.recent_right / mastery.recent)


def _weighted_pick(
    rng: random.Random, pools: dict[str, list], weights: dict[str, float], count: int
) -> list:
    """Up to `count` items, each from a topic drawn by weight; without repeats."""
    pools = {topic: list(items) for topic, items in pools.items() if items}
    picked = []
    while pools and len(picked) < count:
        topics = sorted(pools)
        topic = rng.choices(topics, weights=[weights.get(t, 3.0) for t in topics])[0]
        items = pools[topic]
        picked.append(items.pop(rng.randrange(len(items))))
        if not items:
            del pools[topic]
    return picked


def interview_start(
    *, owner: Owner, open_pools: dict[str, list[str]], mastery: dict[str, TopicMastery]
) -> InterviewSession:
    """`open_pools`: topic -> explainer slugs that have a model answer."""
    rng = random.Random(secrets.randbits(48))
    weights = {topic: topic_weight(mastery.get(topic)) for topic in set(mastery) | set(open_pools)}
    rows = (
        Question.objects.filter(retired=False, question_set__published=True)
        .exclude(current_version=None)
        .values_list("question_set__tags", "current_version_id")
    )
    quick_pools: dict[str, list[int]] = {}
    for tags, version_id in rows:
        quick_pools.setdefault(tags[0] if tags else "general", []).append(version_id)
    return InterviewSession.objects.create(
        user_id=owner.user_id,
        owner_token="" if owner.user_id else owner.token,
        explainers=_weighted_pick(rng, open_pools, weights, OPEN_COUNT),
        version_ids=_weighted_pick(rng, quick_pools, weights, QUICK_COUNT),
        time_limit=TIME_LIMIT,
    )


def open_answer_record(*, session: InterviewSession, index: int, text: str) -> OpenAnswer:
    text = text.strip()
    if not text:
        raise InterviewRefused("Write your answer first: a sentence or two is enough.")
    if len(text) > 5000:
        raise InterviewRefused("Keep the answer under 5000 characters: say it as you would aloud.")
    try:
        with transaction.atomic():
            return OpenAnswer.objects.create(session=session, index=index, text=text)
    except IntegrityError:
        raise InterviewRefused("You have already answered this question.") from None


def open_answer_rate(*, session: InterviewSession, index: int, rating: int) -> OpenAnswer:
    if rating not in OpenAnswer.RATINGS:
        raise InterviewRefused("Rate your answer with one of the three buttons.")
    answer = OpenAnswer.objects.filter(session=session, index=index).first()
    if answer is None:
        raise InterviewRefused("Answer the question before rating it.")
    answer.rating = rating
    answer.save(update_fields=["rating"])
    return answer


def quickfire_start(*, session: InterviewSession) -> Attempt | None:
    """The quick-fire round: an exam-mode attempt of the quiz engine over the chosen
    questions, with what is left of the interview's time (at least a minute)."""
    if session.attempt_id:
        return session.attempt
    if not session.version_ids:
        return None
    left = (session.deadline - timezone.now()) // timedelta(seconds=1)
    with transaction.atomic():
        fresh = InterviewSession.objects.select_for_update().get(pk=session.pk)
        if fresh.attempt_id:
            return fresh.attempt
        fresh.attempt = Attempt.objects.create(
            question_set=None,
            user_id=fresh.user_id,
            owner_token=fresh.owner_token,
            mode=Attempt.EXAM,
            time_limit=max(MIN_QUICK_SECONDS, int(left)),
            seed=secrets.randbits(48),
            version_ids=list(fresh.version_ids),
        )
        fresh.save(update_fields=["attempt"])
    return fresh.attempt


def interviews_claim(*, token: str, user_id: int) -> int:
    """Give an anonymous learner's interviews and reading marks to the account they
    logged in to (a mark the account already has stays as it is)."""
    if not token:
        return 0
    anonymous = {"user": None, "owner_token": token}
    with transaction.atomic():
        known = ExplainerRead.objects.filter(user_id=user_id).values("slug")
        ExplainerRead.objects.filter(slug__in=known, **anonymous).delete()
        ExplainerRead.objects.filter(**anonymous).update(user_id=user_id, owner_token="")
        return InterviewSession.objects.filter(**anonymous).update(user_id=user_id, owner_token="")


def explainer_read_set(*, owner: Owner, slug: str, read: bool) -> None:
    """Mark the explainer read, or unmark it; marking twice is harmless."""
    lookup = (
        {"user_id": owner.user_id, "owner_token": ""}
        if owner.user_id
        else {"user_id": None, "owner_token": owner.token}
    )
    if not read:
        ExplainerRead.objects.filter(slug=slug, **lookup).delete()
        return
    try:
        with transaction.atomic():
            ExplainerRead.objects.get_or_create(slug=slug, **lookup)
    except IntegrityError:
        pass  # a double click raced the first: it is marked either way
