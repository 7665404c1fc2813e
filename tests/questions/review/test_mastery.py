"""The mastery rule: 8 of the last 10 right, over at least 2 days."""

from datetime import UTC, datetime, timedelta

from questions.review.mastery import mastery_of

DAY0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def answers(pattern: str, start: datetime = DAY0) -> list[tuple[datetime, bool]]:
    """'1' right, '0' wrong, one minute apart, oldest first."""
    return [(start + timedelta(minutes=i), c == "1") for i, c in enumerate(pattern)]


def test_eight_of_ten_on_one_day_is_not_mastery_yet():
    topic = mastery_of(topic="gil", answers=answers("1111111100"))
    assert (topic.recent_right, topic.days, topic.mastered) == (8, 1, False)
    assert "another day" in topic.next_step


def test_eight_of_ten_over_two_days_is_mastery():
    two_days = answers("11110") + answers("11110", DAY0 + timedelta(days=1))
    topic = mastery_of(topic="gil", answers=two_days)
    assert (topic.recent_right, topic.days, topic.mastered) == (8, 2, True)


def test_only_the_last_ten_count_and_seven_is_not_enough():
    old_misses = answers("0000000000")
    recent = answers("0001111111", DAY0 + timedelta(days=1))
    topic = mastery_of(topic="gil", answers=old_misses + recent)
    assert (topic.answered, topic.recent, topic.recent_right) == (20, 10, 7)
    assert not topic.mastered and "answer 1 more right" in topic.next_step
    late = answers("11", DAY0 + timedelta(days=2))
    assert mastery_of(topic="gil", answers=old_misses + recent + late).mastered


def test_fewer_than_eight_answers_never_master_and_nothing_is_not_started():
    assert not mastery_of(topic="gil", answers=answers("1111111")).mastered
    assert mastery_of(topic="gil", answers=[]).next_step.startswith("Not started")
