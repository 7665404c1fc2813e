"""What our Markdown format adds for GIFT's kinds and weights (the README has the spec).

- A weight, in percent, opens an answer: `- [x] %50% half marks`, `- [ ] %-100% wrong`.
  A weight of 0 is no weight: `- [ ] %0% %50%` is an answer whose text is "%50%".
- `kind: numerical`: each answer is a number, `number:tolerance` or `low..high`.
- `kind: matching`: each answer is `item -> its match`; `- [x] -> text` is a match
  that goes with no item (a distractor).
- `kind: essay` and `kind: description` have no answers; an essay's explanation is its
  model answer.
"""

from __future__ import annotations

import re

from .base import DESCRIPTION, ESSAY, MATCHING, ParsedOption, ParsedQuestion

WEIGHT_RE = re.compile(r"^%(-?\d+(?:\.\d+)?)%\s+")
NO_ANSWERS = (ESSAY, DESCRIPTION)


def read_weights_and_matches(question: ParsedQuestion, problem) -> None:
    """Take weights (and matching pairs) out of the option texts the list gave."""
    for option in question.options:
        match = WEIGHT_RE.match(option.text)
        if match:
            option.weight = float(match.group(1)) or None
            option.text = option.text[match.end() :]
            if option.weight is not None and abs(option.weight) > 100:
                problem(option.line, f"answer weight {option.weight:g}% is outside -100%..100%")
        if question.kind == MATCHING:
            if "->" not in option.text:
                problem(option.line, "a matching answer needs '->': item -> its match")
            left, _, right = option.text.rpartition("->")
            option.text, option.match = left.strip(), right.strip()


def option_text(option: ParsedOption, kind: str) -> str:
    """An answer's text as the list writes it: its weight first, a pair with its arrow."""
    text = f"{option.text} -> {option.match}".strip() if kind == MATCHING else option.text
    if option.weight is not None:
        return f"%{option.weight:g}% {text}"
    # Text that would read as a weight is guarded by a weight of 0, which is none.
    return f"%0% {text}" if WEIGHT_RE.match(text) else text
