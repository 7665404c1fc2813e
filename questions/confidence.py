"""How sure a learner is of an answer: three levels, as Moodle's certainty-based marking
asks them (C=1 below about 67%, C=2 above 67%, C=3 above 80%). Asked with the answer,
before any feedback; optional in practice, required in a review session."""

from __future__ import annotations

from dataclasses import dataclass

from .grading import AnswerInvalid

UNSURE, FAIRLY_SURE, SURE = 1, 2, 3
LEVELS = {UNSURE: "Unsure", FAIRLY_SURE: "Fairly sure", SURE: "Sure"}


def confidence_from_form(*, data, required: bool) -> int | None:
    value = data.get("confidence")
    if value in (None, ""):
        if required:
            raise AnswerInvalid("Say how sure you are: Unsure, Fairly sure or Sure.")
        return None
    try:
        level = int(value)
    except (TypeError, ValueError):
        level = 0
    if level not in LEVELS:
        raise AnswerInvalid("How sure you are is one of Unsure, Fairly sure or Sure.")
    return level


@dataclass(frozen=True)
class CalibrationLine:
    level: int
    label: str
    answered: int
    right: int

    @property
    def percent(self) -> int:
        return round(100 * self.right / self.answered)


def calibration(*, answers: list[tuple[int | None, bool]]) -> list[CalibrationLine]:
    """For each level the learner used, from (confidence, correct) pairs: how often they
    were right when they said it."""
    lines = []
    for level, label in LEVELS.items():
        said = [correct for confidence, correct in answers if confidence == level]
        if said:
            lines.append(CalibrationLine(level, label, len(said), sum(said)))
    return lines
