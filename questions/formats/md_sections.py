"""The question sections of our Markdown format: heading, metadata, prompt, answers,
explanation. Lines are read outside fenced code blocks only, so a `# comment` or a
`> quote` inside a code example is never taken for a heading or for feedback."""

from __future__ import annotations

import re

from .base import (
    DIFFICULTIES,
    KINDS,
    MATCHING,
    MULTIPLE,
    NUMERICAL,
    ORDER,
    SINGLE,
    TRUE_FALSE,
    ParsedQuestion,
)
from .gift_text import slugify
from .md_answers import (
    BAD_CHECKBOX_RE,
    CHECKBOX_RE,
    FENCE_RE,
    NUMBERED_RE,
    answer_items,
)
from .md_kinds import NO_ANSWERS, read_weights_and_matches

QUESTION_KEYS = {"kind", "difficulty", "tags", "explainer"}
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
HEADING_ID_RE = re.compile(r"\s*\{#([^}]*)\}\s*$")
META_RE = re.compile(r"^([a-z][a-z_]*)\s*:\s*(.*)$")
COMMUNITY_PREFIX_RE = re.compile(r"^(?:Q\s*\d+|\d+)[.):]\s*", re.IGNORECASE)
COMMUNITY_NUMBER_RE = re.compile(r"^Q\s*(\d+)[.):]", re.IGNORECASE)
TRUE_FALSE_TEXTS = {"true", "false"}


def slugify_title(title: str) -> str:
    return slugify(title)


class Lines:
    """The file's lines, each knowing whether it sits inside a fenced code block."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.in_fence: list[bool] = []
        fence = ""
        for line in self.lines:
            match = FENCE_RE.match(line)
            if fence:
                self.in_fence.append(True)
                if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                    fence = ""
            else:
                self.in_fence.append(bool(match))
                if match:
                    fence = match.group(1)
        self.unclosed_fence = bool(fence)

    def heading(self, i: int) -> tuple[int, str] | None:
        if self.in_fence[i]:
            return None
        match = HEADING_RE.match(self.lines[i])
        return (len(match.group(1)), match.group(2)) if match else None


def question_level(lines: Lines, start: int) -> int:
    """The heading level of questions: that of the first heading whose section holds
    answer items (the community style puts questions under `####`)."""
    current = None
    for i in range(start, len(lines.lines)):
        heading = lines.heading(i)
        if heading is not None:
            if heading[1].strip().lower() != "explanation" or current is None:
                current = heading[0]
            continue
        if current is not None and current > 1 and not lines.in_fence[i]:
            if CHECKBOX_RE.match(lines.lines[i]) or NUMBERED_RE.match(lines.lines[i]):
                return current
    return 2


def parse_question(
    lines: Lines, start: int, end: int, level: int, problem
) -> ParsedQuestion | None:
    lineno = start + 1
    _, heading_text = lines.heading(start)
    match = HEADING_ID_RE.search(heading_text)
    title = heading_text[: match.start()].strip() if match else heading_text.strip()
    number = COMMUNITY_NUMBER_RE.match(title) if not match else None
    title = COMMUNITY_PREFIX_RE.sub("", title).strip() if not match else title
    if match:
        qid = match.group(1).strip().lstrip("#")
        if not ID_RE.match(qid):
            problem(lineno, f"question id {qid!r} must be lower-case letters, digits and hyphens")
    elif number:
        qid = f"q{number.group(1)}"  # the bank's own number: `#### Q12.` is q12
    else:
        qid = slugify_title(title)
        if not qid:
            problem(lineno, "the question heading has no title to make an id from: add {#id}")
    question = ParsedQuestion(
        id=qid, kind="", title=title, prompt="", line=lineno, explicit_id=bool(match)
    )

    # The explanation sub-section, if any, ends the question's own body.
    body_end = end
    explanation_at = None
    for i in range(start + 1, end):
        heading = lines.heading(i)
        if heading and heading[0] == level + 1 and heading[1].strip().lower() == "explanation":
            explanation_at = i
            body_end = i
            break
    if explanation_at is not None:
        question.explanation = "\n".join(lines.lines[explanation_at + 1 : end]).strip()

    i = _metadata(lines, start + 1, body_end, question, problem)
    answers_at = _answers_start(lines, i, body_end)
    if answers_at is None:
        question.prompt = "\n".join(lines.lines[i:body_end]).strip()
        if question.kind in NO_ANSWERS:
            return question
        if question.kind == "":
            problem(
                lineno,
                f"question {qid!r} has no answers: add `- [x]` / `- [ ]` items or a numbered list",
            )
            question.kind = SINGLE
        else:
            problem(lineno, f"question {qid!r} has no answers")
        return question
    # In the community style (and for a short ordering question) the heading is the
    # question: it becomes the prompt.
    question.prompt = "\n".join(lines.lines[i:answers_at]).strip() or title
    numbered = bool(NUMBERED_RE.match(lines.lines[answers_at]))
    explanation = "#" * (level + 1) + " Explanation"
    question.options, trailing = answer_items(
        lines, answers_at, body_end, numbered, problem, explanation
    )
    if trailing is not None:
        # The community style's `**Explanation:**`, code or References after the options.
        after = "\n".join(lines.lines[trailing:body_end]).strip()
        question.explanation = "\n\n".join(t for t in (after, question.explanation) if t)
    _infer_kind(question, numbered, problem)
    read_weights_and_matches(question, problem)
    return question


def _metadata(lines: Lines, i: int, end: int, question: ParsedQuestion, problem) -> int:
    while i < end and not lines.lines[i].strip():
        i += 1
    block = []
    j = i
    while j < end and lines.lines[j].strip() and not lines.in_fence[j]:
        match = META_RE.match(lines.lines[j].strip())
        if not match:
            break
        block.append((j, match.group(1), match.group(2).strip()))
        j += 1
    # Only a block of `key: value` lines that names a known key is metadata; a prompt
    # that happens to begin "Note: ..." stays a prompt.
    complete = j >= end or not lines.lines[j].strip()
    if not block or not complete or not any(key in QUESTION_KEYS for _, key, _ in block):
        return i
    for at, key, value in block:
        if key not in QUESTION_KEYS:
            problem(
                at + 1, f"unknown question key {key!r} (known: {', '.join(sorted(QUESTION_KEYS))})"
            )
        elif key == "kind":
            if value not in KINDS:
                problem(at + 1, f"unknown kind {value!r} (known: {', '.join(KINDS)})")
            else:
                question.kind = value
        elif key == "difficulty":
            if value not in DIFFICULTIES:
                problem(at + 1, f"difficulty {value!r} is not one of {', '.join(DIFFICULTIES)}")
            else:
                question.difficulty = value
        elif key == "tags":
            question.tags = [t.strip() for t in value.strip("[]").split(",") if t.strip()]
        elif key == "explainer":
            question.explainer = value
    return j


def _answers_start(lines: Lines, i: int, end: int) -> int | None:
    first_numbered = None
    for j in range(i, end):
        if lines.in_fence[j]:
            continue
        text = lines.lines[j]
        if CHECKBOX_RE.match(text) or BAD_CHECKBOX_RE.match(text):
            return j
        if NUMBERED_RE.match(text):
            # The last numbered list is the answers: a prompt may number things too.
            prev_blank = (
                j == i
                or not lines.lines[j - 1].strip()
                or not NUMBERED_RE.match(lines.lines[j - 1])
            )
            if NUMBERED_RE.match(text).group(1) == "1" and prev_blank:
                first_numbered = j
    return first_numbered


def _infer_kind(question: ParsedQuestion, numbered: bool, problem) -> None:
    if question.kind in (NUMERICAL, MATCHING, *NO_ANSWERS) and not numbered:
        return  # said by `kind:`, and checked by validate_set
    correct = sum(o.correct for o in question.options)
    texts = {o.text.strip().lower() for o in question.options}
    if numbered:
        if question.kind and question.kind != ORDER:
            problem(
                question.line,
                f"question {question.id!r} is {question.kind} but its answers are a numbered list (numbered steps are for kind: order)",
            )
        question.kind = ORDER
        return
    if question.kind == ORDER:
        problem(
            question.line,
            f"question {question.id!r} is an ordering question: list the steps as `1.`, `2.`, ... in the right order",
        )
        return
    if question.kind == TRUE_FALSE and texts != TRUE_FALSE_TEXTS:
        problem(
            question.line,
            f"question {question.id!r} is true/false: its answers must be True and False",
        )
    if question.kind:
        return
    if len(question.options) == 2 and texts == TRUE_FALSE_TEXTS:
        question.kind = TRUE_FALSE
    elif correct > 1:
        question.kind = MULTIPLE
    else:
        question.kind = SINGLE
