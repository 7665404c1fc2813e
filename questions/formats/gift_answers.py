"""What is inside a GIFT answer block `{...}`: its kind, and its answers as our options.

The general feedback (`####...`) is taken off before these run. Kinds, as Moodle tells
them apart (question/format/gift/format.php): empty is an essay, `#` first is numerical,
`=a -> b` is matching, `~` anywhere is multiple choice (single when one answer has `=`,
multiple answers when none has), T/TRUE/F/FALSE is true/false, `=a =b` is short answer.
"""

from __future__ import annotations

import re

from .base import (
    ESSAY,
    KINDS,
    MATCHING,
    MULTIPLE,
    NUMERICAL,
    ORDER,
    SHORT,
    SINGLE,
    TRUE_FALSE,
    ParsedOption,
)
from .gift_text import (
    WEIGHT_RE,
    as_markdown,
    find,
    find_all,
    split_feedback,
    text_format,
    unescape,
)

TRUE_FALSE_ANSWERS = {"T": True, "TRUE": True, "F": False, "FALSE": False}
WEIGHT_TOLERANCE = 0.01  # percent: 3 x 33.33333 is 100
# Answers that are typed, not shown: kept as the plain text the learner types.
TYPED = (SHORT, NUMERICAL)


def answer_kind(answers: str, declared: tuple[int, str], qline: int, problem) -> str | None:
    """Our kind for an answer block (None after reporting a problem)."""
    body = answers.strip()
    if not body:
        kind = ESSAY
    elif body.startswith("#"):
        kind = NUMERICAL
    elif find(body, "~") != -1:
        kind = SINGLE if find(body, "=") != -1 else MULTIPLE
    elif declared[1] in (SHORT, ORDER):
        kind = declared[1]  # a step may contain "->" without making a matching question
    elif find(body, "=") != -1 and find(body, "->") != -1:
        kind = MATCHING
    elif split_feedback(body)[0].strip().upper() in TRUE_FALSE_ANSWERS:
        kind = TRUE_FALSE
    elif find(body, "=") == -1:
        # Moodle reads an answer with neither = nor ~ as true/false, and anything but
        # T or TRUE as False: a typo would silently become the wrong key.
        value = unescape(split_feedback(body)[0]).strip()
        problem(
            qline,
            f"{{{value}}} is not a true/false answer: write {{T}} or {{F}} (or {{TRUE}}, "
            f"{{FALSE}}), or {{={value}}} to accept it as a typed answer",
        )
        return None
    else:
        kind = SHORT
    if declared[1] and declared[1] != kind:
        if declared[1] not in KINDS:
            problem(declared[0], f"unknown kind {declared[1]!r} (one of {', '.join(KINDS)})")
        else:
            problem(
                declared[0], f"'// kind: {declared[1]}' but the answers make it a {kind} question"
            )
        return None
    return kind


def true_false(answers: str, line: int, fmt: str) -> list[ParsedOption]:
    head, rest = split_feedback(answers)
    wrong, right = split_feedback(rest)
    value = TRUE_FALSE_ANSWERS[head.strip().upper()]
    wrong, right = as_markdown(wrong, fmt), as_markdown(right, fmt)
    return [
        ParsedOption("True", value, right if value else wrong, line=line),
        ParsedOption("False", not value, wrong if value else right, line=line),
    ]


def options(answers: str, kind: str, line_of, problem, fmt: str) -> list[ParsedOption]:
    """Every answer of a choice, short-answer, numerical, ordering or matching block."""
    offset = 0
    if kind == NUMERICAL:
        offset = answers.index("#") + 1
        answers = answers[offset:]
        if find(answers, "=") == -1 and find(answers, "~") == -1:
            answers = "=" + answers  # the one-answer form {#3:0.5}
            offset -= 1
    if kind in (SINGLE, MULTIPLE):
        # `~=right` (a dialect some generators write) is a right answer, not an empty one.
        answers = re.sub(r"(?<!\\)~=", "=", answers)
    marks = find_all(answers, "~=" if kind in (SINGLE, MULTIPLE, NUMERICAL) else "=")
    leading = answers[: marks[0] if marks else len(answers)]
    if leading.strip() and kind == SHORT:
        marks.insert(0, -1)  # Moodle's {answer =other}: a first answer needs no '='
    elif leading.strip():
        problem(
            line_of(offset + len(leading) - len(leading.lstrip())),
            "answer text before the first '~' or '=': start each answer with = (right) or ~ (wrong)",
        )
    found = []
    for i, mark in enumerate(marks):
        raw = answers[mark + 1 : marks[i + 1] if i + 1 < len(marks) else len(answers)]
        line = line_of(offset + max(mark, 0))
        right = mark < 0 or answers[mark] == "="
        weight = None
        match = WEIGHT_RE.match(raw)
        if match and not (kind == SINGLE and right):  # Moodle: `=` is 100%
            weight, raw = float(match.group(1)), raw[match.end() :]
            if abs(weight) > 100:
                problem(line, f"answer weight {weight:g}% is outside -100%..100%")
        text, feedback = split_feedback(raw)
        if kind == SINGLE:
            correct = right
        elif kind == MULTIPLE:
            correct = (weight or 0) > 0
        else:
            correct = right and (weight is None or weight > 0)
        option = ParsedOption("", correct, as_markdown(feedback, fmt), weight or None, line=line)
        if kind == MATCHING:
            left, _, pair = text.partition("->")
            option.text, option.match = as_markdown(left, fmt), unescape(pair).strip()
            if find(text, "->") == -1:
                problem(line, "a matching answer needs '->': =question -> its match")
        elif kind in TYPED:
            option.text = unescape(text_format(text)[1]).strip()
        else:
            option.text = as_markdown(text, fmt)
        # 0% is what a wrong answer without a weight earns anyway: one spelling for both
        # keeps a round trip exact whichever format the set came from.
        found.append(option)
    positive = sum(o.weight for o in found if o.weight and o.weight > 0)
    if kind == MULTIPLE and positive and abs(positive - 100) > WEIGHT_TOLERANCE:
        problem(found[0].line, f"the right answers' weights add up to {positive:g}%, not 100%")
    return found
