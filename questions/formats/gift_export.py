"""Moodle GIFT export: the other half of gift.py (whose docstring gives the mapping).

A set exported here and read back by parse_gift is the same set; the only addition is
an equal weight on each right answer of a multiple-answer question, which Moodle needs.
"""

from __future__ import annotations

from .base import (
    DESCRIPTION,
    ESSAY,
    MATCHING,
    MULTIPLE,
    NUMERICAL,
    ORDER,
    SHORT,
    SINGLE,
    TRUE_FALSE,
    ParsedOption,
    ParsedQuestion,
    ParsedSet,
)
from .gift import BLANK
from .gift_text import FORMAT_RE, WEIGHT_RE

ESCAPE_OUT = str.maketrans({c: "\\" + c for c in "\\~=#{}:"} | {"\n": "\\n", "\r": ""})


def _escape(text: str) -> str:
    return text.strip().translate(ESCAPE_OUT)


def _escape_answer(text: str) -> str:
    # An answer that itself starts like a weight or a format marker is protected by an
    # explicit marker, which the parser strips after reading the weight.
    guard = "[markdown]" if WEIGHT_RE.match(text) or FORMAT_RE.match(text.strip()) else ""
    return guard + _escape(text)


def _weight(weight: float) -> str:
    text = repr(float(weight))
    return text.removesuffix(".0")


def _comment(key: str, value: str) -> str:
    return f"// {key}: " + value.replace("\\", "\\\\").replace("\n", "\\n")


def export_gift(parsed: ParsedSet) -> str:
    """The set as a GIFT file that parse_gift reads back as the same set."""
    head = [_comment("title", parsed.title)]
    if parsed.description:
        head.append(_comment("description", parsed.description))
    if parsed.tags:
        head.append(_comment("tags", ", ".join(parsed.tags)))
    head.append(_comment("difficulty", parsed.difficulty))
    if parsed.explainer:
        head.append(_comment("explainer", parsed.explainer))
    head.append(f"$CATEGORY: {parsed.slug}")
    return "\n\n".join(["\n".join(head)] + [_export_question(q) for q in parsed.questions]) + "\n"


def _export_question(q: ParsedQuestion) -> str:
    lines = [_comment("id", q.id)]
    if q.kind == ORDER or (q.kind == SHORT and any("->" in o.text for o in q.options)):
        lines.append(_comment("kind", q.kind))
    if q.difficulty:
        lines.append(_comment("difficulty", q.difficulty))
    if q.tags:
        lines.append(_comment("tags", ", ".join(q.tags)))
    if q.explainer:
        lines.append(_comment("explainer", q.explainer))
    title = f"::{_escape(q.title)}::" if q.title else ""
    explanation = f"####{_escape(q.explanation)}" if q.explanation else ""
    prompt = f"{title}[markdown]{_escape(q.prompt)}"
    if q.kind == DESCRIPTION:
        lines.append(prompt)
        return "\n".join(lines)
    if q.kind in (TRUE_FALSE, ESSAY):
        answer = _true_false_answer(q) if q.kind == TRUE_FALSE else ""
        lines.append(f"{prompt} {{{answer}{explanation}}}")
        return "\n".join(lines)
    opening, closing = f"{prompt} {{", "}"
    parts = q.prompt.split(BLANK)
    if q.kind in (SINGLE, MULTIPLE, SHORT) and len(parts) == 2 and parts[1].strip():
        # Missing word: the answers go where the blank is, as Moodle writes them.
        opening = f"{title}[markdown]{parts[0].translate(ESCAPE_OUT)}{{"
        closing = "}" + parts[1].translate(ESCAPE_OUT)
    lines.append(opening + ("#" if q.kind == NUMERICAL else ""))
    for option in q.options:
        feedback = f"#{_escape(option.feedback)}" if option.feedback else ""
        text = _escape_answer(option.text)
        if q.kind == MATCHING:
            text = f"{_escape(option.text)} -> {_escape(option.match)}"
        lines.append(f"\t{_mark(q, option)}{text}{feedback}")
    if explanation:
        lines.append(f"\t{explanation}")
    lines.append(closing)
    return "\n".join(lines)


def _true_false_answer(q: ParsedQuestion) -> str:
    true = next((o for o in q.options if o.text.strip().lower() in ("true", "t")), q.options[0])
    false = next((o for o in q.options if o is not true), true)
    right, wrong = (true, false) if true.correct else (false, true)
    answer = "TRUE" if true.correct else "FALSE"
    if wrong.feedback or right.feedback:
        answer += f"#{_escape(wrong.feedback)}"
    if right.feedback:
        answer += f"#{_escape(right.feedback)}"
    return answer


def _mark(q: ParsedQuestion, option: ParsedOption) -> str:
    if q.kind == SINGLE:
        if option.correct:
            return "="
        return "~" if option.weight is None else f"~%{_weight(option.weight)}%"
    if q.kind == MULTIPLE:
        if option.weight is not None:
            return f"~%{_weight(option.weight)}%"
        if not option.correct:
            return "~"
        # Moodle needs a weight on every right answer: share what the others leave.
        unweighted = [o for o in q.options if o.correct and o.weight is None]
        given = sum(o.weight for o in q.options if o.correct and o.weight is not None)
        return f"~%{_weight(round((100 - given) / len(unweighted), 5))}%"
    if option.weight is not None:
        return f"=%{_weight(option.weight)}%"
    if q.kind == NUMERICAL and not option.correct:
        return "~"
    return "=" if option.correct else "=%0%"
