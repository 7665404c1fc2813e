"""The answer items of a question in our Markdown format: `- [x]` / `- [ ]` checkboxes or
a numbered list, each item with its continuation lines, `> feedback`, and (as the
community banks write them) an unindented code block right under it; and where text
after the last item starts, which is the question's explanation."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .base import ParsedOption

if TYPE_CHECKING:  # md_sections imports this module
    from .md_sections import Lines

FENCE_RE = re.compile(r"^\s*(```+|~~~+)")
CHECKBOX_RE = re.compile(r"^[-*+]\s+\[([ xX])\](?:\s+(.*))?$")
# Looks like a checkbox item but is not one: `- []`, `- [v]`, `-[x]`.
BAD_CHECKBOX_RE = re.compile(r"^(?:[-*+]\s*\[[^\]]{0,3}\]|[-*+]\[[ xX]\])")
NUMBERED_RE = re.compile(r"^(\d+)[.)]\s+(.*)$")


def _fence_end(lines: Lines, j: int) -> int:
    """The line after the fenced block that opens on line j."""
    k = j + 1
    while k < len(lines.lines) and lines.in_fence[k] and not FENCE_RE.match(lines.lines[k]):
        k += 1
    return k + 1


def _next_text(lines: Lines, j: int, end: int) -> str:
    while j < end and not lines.lines[j].strip():
        j += 1
    return lines.lines[j] if j < end else ""


def answer_items(
    lines: Lines, i: int, end: int, numbered: bool, problem, explanation: str
) -> tuple[list[ParsedOption], int | None]:
    """The answer items from line i, and where text after the last one starts (the
    explanation), if any."""
    options: list[ParsedOption] = []
    fence_until = -1  # a code block that belongs to the option above runs to here
    current: list[tuple[str, bool]] | None = None
    indent = 2
    pending_blank = 0

    def close() -> None:
        if not current:
            return
        option = options[-1]
        text, feedback = [], []
        for raw, fenced in current:
            if not fenced and raw.startswith(">"):
                feedback.append(raw[2:] if raw.startswith("> ") else raw[1:])
            else:
                text.append(raw)
        option.text = "\n".join(text).strip()
        option.feedback = "\n".join(feedback).strip()

    expected = 1
    for j in range(i, end):
        raw = lines.lines[j]
        if j < fence_until:
            current.append((raw, True))
            continue
        if not raw.strip():
            pending_blank += 1
            continue
        if current is not None and not raw.startswith(" ") and FENCE_RE.match(raw):
            # An unindented code block right under an option, or between two options,
            # is that option's (the community banks write code answers this way).
            after = _fence_end(lines, j)
            following = _next_text(lines, after, end)
            if not pending_blank or CHECKBOX_RE.match(following) or NUMBERED_RE.match(following):
                current.extend([("", False)] * pending_blank + [(raw, True)])
                pending_blank, fence_until = 0, after
                continue
        starts_item = not raw.startswith(" ")
        if starts_item:
            close()
            current = None
            box = CHECKBOX_RE.match(raw)
            num = NUMBERED_RE.match(raw)
            if numbered and num:
                if int(num.group(1)) != expected:
                    problem(j + 1, f"step numbered {num.group(1)} where {expected} was expected")
                expected += 1
                options.append(ParsedOption(text="", correct=True, line=j + 1))
                current = [(num.group(2), False)]
                indent = len(raw) - len(num.group(2))
            elif not numbered and box:
                options.append(ParsedOption(text="", correct=box.group(1) in "xX", line=j + 1))
                current = [(box.group(2) or "", False)]
                indent = 2
            elif BAD_CHECKBOX_RE.match(raw):
                problem(
                    j + 1, "malformed answer: write `- [x] text` (correct) or `- [ ] text` (wrong)"
                )
            elif box or num:
                problem(j + 1, "an answer list mixes `- [ ]` items and numbered steps")
            elif _more_answers(lines, j, end):
                problem(
                    j + 1,
                    "text between the answers: indent it by two spaces to continue the answer "
                    f"above, or move it after the last answer or under {explanation}",
                )
            else:
                close()
                return options, j
            pending_blank = 0
            continue
        if current is None:
            continue
        current.extend([("", False)] * pending_blank)
        pending_blank = 0
        width = len(raw) - len(raw.lstrip(" "))
        current.append((raw[min(width, indent) :], lines.in_fence[j]))
    close()
    return options, None


def _more_answers(lines: Lines, j: int, end: int) -> bool:
    return any(
        not lines.in_fence[k] and CHECKBOX_RE.match(lines.lines[k]) for k in range(j + 1, end)
    )
