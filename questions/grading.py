"""Pure functions: the shuffled order an attempt shows options in, reading an answer
from a form, and grading it to a score, the fraction of the marks earned (0..1), or
None for an essay (the learner rates it; the site never does). No database access here.

Form values are display indices ("0", "1", ...), never option ids or positions: option
ids are created in file order, so for an ordering question they would give the answer
away in the page source.
"""

from __future__ import annotations

import math
import random
import re

from .formats.base import (
    ESSAY,
    MATCHING,
    MULTIPLE,
    NUMERICAL,
    ORDER,
    SHORT,
    SINGLE,
    TRUE_FALSE,
    numeric_range,
)

RIGHT = 1 - 1e-9  # a score this close to 1 is full marks (33.3% x 3 is 100%)


class AnswerInvalid(ValueError):
    """The form does not hold a usable answer (nothing chosen, a bad order...)."""


def display_order(*, seed: int, version_id: int, count: int, kind: str) -> list[int]:
    """Option positions in the order this attempt shows them; stable across reloads."""
    positions = list(range(count))
    if kind != TRUE_FALSE:  # True above False reads best
        random.Random(f"{seed}:{version_id}").shuffle(positions)
    return positions


def match_choices(*, seed: int, version_id: int, options) -> list[str]:
    """The texts a matching question offers for every item, once each, shuffled."""
    choices = sorted({o.match.strip() for o in options if o.match.strip()})
    random.Random(f"{seed}:{version_id}:matches").shuffle(choices)
    return choices


def parse_number(text: str) -> float | None:
    """A typed number: `2.5`, `-3`, `1e3`, and `2,5` where a comma is the decimal mark."""
    text = text.strip().replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def normalise_text(text: str) -> str:
    text = " ".join(text.split()).casefold()
    return re.sub(r"^[`'\"]+|[`'\"]+$", "", text).strip()


def answer_from_form(*, version, seed: int, data) -> dict:
    """Turn the posted form into {"choices": [...]}, {"order": [...]} or {"text": ...},
    in the question's own option positions."""
    options = list(version.options.all())
    order = display_order(seed=seed, version_id=version.pk, count=len(options), kind=version.kind)

    def position(value: str) -> int:
        try:
            index = int(value)
        except (TypeError, ValueError):
            raise AnswerInvalid("That is not one of the options.") from None
        if not 0 <= index < len(order):
            raise AnswerInvalid("That is not one of the options.")
        return order[index]

    if version.kind in (SINGLE, TRUE_FALSE):
        value = data.get("choice")
        if value in (None, ""):
            raise AnswerInvalid("Choose an answer first.")
        return {"choices": [position(value)]}
    if version.kind == MULTIPLE:
        values = data.getlist("choice")
        if not values:
            raise AnswerInvalid("Choose at least one answer.")
        return {"choices": sorted({position(v) for v in values})}
    if version.kind in (SHORT, ESSAY):
        text = (data.get("text") or "").strip()
        if not text:
            raise AnswerInvalid(
                "Type an answer first." if version.kind == SHORT else "Write your answer first."
            )
        return {"text": text[: 500 if version.kind == SHORT else 10_000]}
    if version.kind == NUMERICAL:
        text = (data.get("text") or "").strip()[:100]
        value = parse_number(text)
        if value is None:
            raise AnswerInvalid("Type a number, like 4 or 2.5.")
        return {"text": text, "value": value}
    if version.kind == MATCHING:
        choices = match_choices(seed=seed, version_id=version.pk, options=options)
        matches = {}
        for index, position in enumerate(order):
            if not options[position].text.strip():
                continue  # a distractor: offered as a match, never asked
            try:
                matches[str(position)] = choices[int(data.get(f"match-{index}", ""))]
            except (ValueError, IndexError):
                raise AnswerInvalid("Choose a match for every item.") from None
        return {"matches": matches}
    if version.kind == ORDER:
        ranks = []
        for index in range(len(order)):
            try:
                ranks.append(int(data.get(f"rank-{index}", "")))
            except ValueError:
                raise AnswerInvalid("Give every step a place.") from None
        if sorted(ranks) != list(range(1, len(order) + 1)):
            raise AnswerInvalid("Give every step a different place, from 1 to the last.")
        # The learner's sequence of positions: the step they ranked 1st, 2nd, ...
        by_rank = sorted(range(len(order)), key=lambda index: ranks[index])
        return {"order": [order[index] for index in by_rank]}
    raise AnswerInvalid(f"Unknown kind of question {version.kind!r}.")


def grade(*, version, answer: dict) -> float | None:
    """The fraction of the marks this answer earns, or None (an essay)."""
    options = list(version.options.all())
    kind = version.kind
    if kind == ESSAY:
        return None
    if kind in (SHORT, NUMERICAL):
        match = matched_option(version=version, answer=answer)
        return fraction(match, options) if match is not None else 0.0
    if kind == ORDER:
        return 1.0 if answer.get("order") == list(range(len(options))) else 0.0
    if kind == MATCHING:
        pairs = {str(n): o.match.strip() for n, o in enumerate(options) if o.text.strip()}
        chosen = answer.get("matches", {})
        return sum(chosen.get(n) == right for n, right in pairs.items()) / (len(pairs) or 1)
    chosen = set(answer.get("choices", []))
    if kind == MULTIPLE and not any(o.weight is not None for o in options):
        # Without weights (our Markdown's checkboxes) it is all or nothing.
        right = {n for n, o in enumerate(options) if o.correct}
        return 1.0 if chosen == right else 0.0
    earned = sum(fraction(options[n], options, kind) for n in chosen if 0 <= n < len(options))
    return min(max(earned, 0.0), 1.0)  # Moodle: a question never scores below 0


def fraction(option, options, kind: str = "") -> float:
    """What choosing (or typing) this option earns: its weight, or for a right answer
    without one, 1 (in a multiple-answer question, its share of what weights leave)."""
    if option.weight is not None:
        return option.weight / 100
    if not option.correct:
        return 0.0
    unweighted = [o for o in options if o.correct and o.weight is None]
    if kind == MULTIPLE and len(unweighted) > 1:
        given = sum(o.weight for o in options if o.correct and o.weight is not None)
        return (100 - given) / 100 / len(unweighted)
    return 1.0


def is_right(score: float | None) -> bool:
    return score is not None and score >= RIGHT


def _short_matches(accepted: str, typed: str) -> bool:
    accepted = normalise_text(accepted)
    if "*" not in accepted:  # Moodle's wildcard: * stands for any text
        return accepted == typed
    pattern = ".*".join(re.escape(part) for part in accepted.split("*"))
    return re.fullmatch(pattern, typed, re.S) is not None


def matched_option(*, version, answer: dict):
    """For a typed answer: the option (right or known-wrong) it matches, the best one
    when several do (`=%50%*` catches what the right answers did not)."""
    options = list(version.options.all())
    if version.kind == NUMERICAL:
        value = answer.get("value")
        found = [
            o
            for o in options
            if value is not None
            and (span := numeric_range(o.text)) is not None
            and span[0] - 1e-12 <= value <= span[1] + 1e-12
        ]
    else:
        typed = normalise_text(answer.get("text", ""))
        found = [o for o in options if _short_matches(o.text, typed)]
    return max(found, key=lambda o: fraction(o, options), default=None)
