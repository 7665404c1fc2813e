"""Mastery per topic, one documented rule (in the spirit of Kolibri's "m of n"):

    A topic is mastered when, of the learner's last 10 answers in it, at least 8 are
    right, and those 10 (or fewer) answers were given on at least 2 different days (UTC).

Fewer than 8 answers can never master a topic; the two-day condition is there because
8 right in one sitting shows short-term memory, not learning. A topic is a set's first
tag, as the quiz index groups them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

WINDOW = 10
NEEDED_RIGHT = 8
NEEDED_DAYS = 2
RULE = (
    f"A topic is mastered when at least {NEEDED_RIGHT} of your last {WINDOW} answers in it "
    f"are right, given on at least {NEEDED_DAYS} different days."
)


@dataclass(frozen=True)
class TopicMastery:
    topic: str
    answered: int  # every answer in the topic
    recent: int  # answers in the window (at most WINDOW)
    recent_right: int
    days: int  # different days among the window's answers
    mastered: bool

    @property
    def next_step(self) -> str:
        if self.mastered:
            return "Mastered. Keep it fresh with the review deck."
        if not self.answered:
            return "Not started: take a quiz in this topic."
        if self.recent_right < NEEDED_RIGHT:
            missing = NEEDED_RIGHT - self.recent_right
            return (
                f"{self.recent_right} of your last {self.recent} right; {NEEDED_RIGHT} of "
                f"{WINDOW} are needed. Reread the explainer, then answer {missing} more right."
            )
        return "Right often enough today: answer again on another day to show it stuck."


def mastery_of(*, topic: str, answers: list[tuple[datetime, bool]]) -> TopicMastery:
    """`answers`: (answered_at, correct) in any order."""
    window = sorted(answers, key=lambda a: a[0], reverse=True)[:WINDOW]
    right = sum(1 for _, correct in window if correct)
    days = len({moment.date() for moment, _ in window})
    return TopicMastery(
        topic=topic,
        answered=len(answers),
        recent=len(window),
        recent_right=right,
        days=days,
        mastered=right >= NEEDED_RIGHT and days >= NEEDED_DAYS,
    )
