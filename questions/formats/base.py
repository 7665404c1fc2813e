"""What every question-set format parses into and exports from.

A parser turns a file into a ParsedSet, or raises ParseError carrying every problem it
found (not just the first), each with its file and line. The importer writes a ParsedSet
to the database in one transaction; the exporters turn one back into a file.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace

SINGLE = "single"  # exactly one correct option
MULTIPLE = "multiple"  # select all that apply
TRUE_FALSE = "true_false"  # two options, True and False
SHORT = "short"  # typed answer; correct options are the accepted answers
ORDER = "order"  # options listed in their correct order; shown shuffled
NUMERICAL = "numerical"  # options are accepted numbers: "3", "3:0.5" (tolerance), "1..5"
MATCHING = "matching"  # option text -> option match; an empty text is a distractor
ESSAY = "essay"  # open answer: no options; the explanation is the model answer
DESCRIPTION = "description"  # text shown before the questions after it; not a question
KINDS = (SINGLE, MULTIPLE, TRUE_FALSE, SHORT, ORDER, NUMERICAL, MATCHING, ESSAY, DESCRIPTION)
# Kinds a learner answers (a description is not), and those graded by the site (an
# essay is rated by the learner against the model answer, never auto-graded).
ASKED_KINDS = tuple(k for k in KINDS if k != DESCRIPTION)
GRADED_KINDS = tuple(k for k in ASKED_KINDS if k != ESSAY)
DIFFICULTIES = ("beginner", "intermediate", "advanced")


@dataclass
class ParsedOption:
    text: str  # Markdown
    correct: bool
    feedback: str = ""  # Markdown: why this option is right or wrong
    # GIFT answer weight in percent (-100..100); None when the format has none.
    weight: float | None = None
    match: str = ""  # matching questions: what this option's text goes with
    # Where the thing was found: useful in messages, meaningless for equality (a set
    # exported and parsed again is the same set, on other lines).
    line: int = field(default=0, compare=False)


@dataclass
class ParsedQuestion:
    id: str  # stable inside the set: re-imports update by id
    kind: str
    title: str
    prompt: str  # Markdown
    options: list[ParsedOption] = field(default_factory=list)
    explanation: str = ""  # Markdown
    difficulty: str = ""  # "" inherits the set's
    tags: list[str] = field(default_factory=list)
    explainer: str = ""  # "slug" or "slug#section-anchor"
    line: int = field(default=0, compare=False)
    # Written by the author (`// id:`, `{#id}`), not made from the title: a repeat of
    # one is a problem, a repeat of a made one gets a suffix and a warning.
    explicit_id: bool = field(default=False, compare=False, repr=False)


@dataclass
class ParsedSet:
    slug: str
    title: str
    description: str = ""
    tags: list[str] = field(default_factory=list)
    difficulty: str = "intermediate"
    explainer: str = ""
    questions: list[ParsedQuestion] = field(default_factory=list)
    path: str = field(default="", compare=False)
    format: str = ""  # "md" or "gift"
    # Line of each set-level key in the file ("difficulty" -> 3), so set problems point
    # at the right line; sets without it are reported on line 1.
    lines: dict[str, int] = field(default_factory=dict, compare=False)
    # First line of every question block, parsed or not: a problem belongs to the block
    # it falls in, which is how a partial import knows which questions to leave out.
    blocks: list[int] = field(default_factory=list, compare=False)
    # Things changed on the way in that the author should know about (a repeated title
    # given a suffix): reported, never refused.
    warnings: list[Problem] = field(default_factory=list, compare=False)


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ParseError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


# The database's column sizes (questions/models.py): checked when a file is parsed, so a
# dry run that passes is an import that succeeds, on PostgreSQL too.
MAX_SLUG = 100
MAX_SET_TITLE = 200
MAX_EXPLAINER = 200
MAX_ID = 100
MAX_TITLE = 300
# Characters no text field may hold: PostgreSQL refuses NUL outright, and the other C0
# controls (tab, newline and carriage return aside) are invisible in every page.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def control_problems(text: str, *, path: str) -> list[Problem]:
    """One problem per line that holds a NUL byte or another control character."""
    problems = []
    for number, line in enumerate(text.split("\n"), 1):
        found = CONTROL_RE.search(line)
        if found:
            char = found.group()
            name = "a NUL byte" if char == "\x00" else f"the control character U+{ord(char):04X}"
            problems.append(Problem(path, number, f"this line holds {name}: remove it"))
    return problems


def _too_long(problem, line: int, what: str, value: str, limit: int) -> None:
    if len(value) > limit:
        problem(line, f"{what} is {len(value)} characters long: at most {limit}")


def validate_set(parsed: ParsedSet) -> list[Problem]:
    """Checks every format shares; a parser adds its own syntax problems to these."""
    problems: list[Problem] = []

    def problem(line: int, message: str) -> None:
        problems.append(Problem(parsed.path, line, message))

    if not parsed.slug:
        problem(parsed.lines.get("slug", 1), "the set has no slug")
    if not parsed.title:
        problem(parsed.lines.get("title", 1), "the set has no title")
    _too_long(problem, parsed.lines.get("slug", 1), "the slug", parsed.slug, MAX_SLUG)
    _too_long(problem, parsed.lines.get("title", 1), "the title", parsed.title, MAX_SET_TITLE)
    _too_long(
        problem, parsed.lines.get("explainer", 1), "the explainer", parsed.explainer, MAX_EXPLAINER
    )
    if parsed.difficulty not in DIFFICULTIES:
        problem(
            parsed.lines.get("difficulty", 1),
            f"difficulty {parsed.difficulty!r} is not one of {', '.join(DIFFICULTIES)}",
        )
    if not any(q.kind != DESCRIPTION for q in parsed.questions):
        problem(1, "the set has no questions")
    seen: dict[str, int] = {}
    for q in parsed.questions:
        if q.id in seen:
            problem(q.line, f"question id {q.id!r} is used twice (first on line {seen[q.id]})")
        seen.setdefault(q.id, q.line)
        if q.kind not in KINDS:
            problem(q.line, f"question {q.id!r}: unknown kind {q.kind!r}")
            continue
        _too_long(problem, q.line, f"question id {q.id[:20]!r}...", q.id, MAX_ID)
        _too_long(problem, q.line, f"the title of question {q.id[:40]!r}", q.title, MAX_TITLE)
        _too_long(
            problem, q.line, f"question {q.id[:40]!r}'s explainer", q.explainer, MAX_EXPLAINER
        )
        if q.difficulty and q.difficulty not in DIFFICULTIES:
            problem(
                q.line,
                f"question {q.id!r}: difficulty {q.difficulty!r} is not one of "
                f"{', '.join(DIFFICULTIES)}",
            )
        if not q.prompt.strip():
            problem(q.line, f"question {q.id!r} has no prompt")
        problems.extend(Problem(parsed.path, line, m) for line, m in _kind_problems(q))
    return problems


def _kind_problems(q: ParsedQuestion) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []

    def problem(line: int, message: str) -> None:
        found.append((line, message))

    correct = [o for o in q.options if o.correct]
    if q.kind in (ESSAY, DESCRIPTION):
        if q.options:
            problem(
                q.line,
                f"question {q.id!r} is {'an' if q.kind == ESSAY else 'a'} {q.kind}: it has no answers",
            )
        return found
    if q.kind in (SINGLE, MULTIPLE, TRUE_FALSE) and len(q.options) < 2:
        problem(q.line, f"question {q.id!r} needs at least two options")
    if q.kind == ORDER and len(q.options) < 2:
        problem(q.line, f"question {q.id!r} needs at least two steps to order")
    if q.kind in (SINGLE, TRUE_FALSE, MULTIPLE, SHORT, NUMERICAL) and not correct:
        problem(q.line, f"question {q.id!r} has no correct answer")
    if q.kind in (SINGLE, TRUE_FALSE) and len(correct) > 1:
        problem(
            q.line,
            f"question {q.id!r} is single choice but marks {len(correct)} "
            "options correct (use kind: multiple)",
        )
    if q.kind == TRUE_FALSE and len(q.options) != 2:
        problem(q.line, f"question {q.id!r} is true/false but has {len(q.options)} options")
    if q.kind == NUMERICAL:
        for o in q.options:
            if numeric_range(o.text) is None:
                problem(
                    o.line or q.line,
                    f"question {q.id!r}: {o.text!r} is not a number, number:tolerance or low..high",
                )
    if q.kind == MATCHING:
        pairs = [o for o in q.options if o.text.strip()]
        if len(pairs) < 2:
            problem(q.line, f"question {q.id!r} needs at least two pairs to match")
        for o in q.options:
            if not o.match.strip():
                problem(o.line or q.line, f"question {q.id!r}: {o.text!r} matches nothing")
    # Exactly, not ignoring case: `-d` and `-D` are two different options.
    texts = [o.text.strip() for o in q.options]
    for i, text in enumerate(texts):
        if not text and q.kind != MATCHING:
            problem(q.options[i].line or q.line, f"question {q.id!r} has an empty option")
        elif text and text in texts[:i]:
            problem(
                q.options[i].line or q.line,
                f"question {q.id!r} repeats the option {q.options[i].text.strip()!r}",
            )
    return found


NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
NUMERIC_RE = re.compile(
    rf"^\s*(?:(?P<low>{NUMBER})\s*\.\.\s*(?P<high>{NUMBER})|(?P<value>{NUMBER})(?:\s*:\s*(?P<tol>{NUMBER}))?)\s*$"
)


def numeric_range(text: str) -> tuple[float, float] | None:
    """The closed interval a numerical answer accepts: "3" is [3, 3], "3:0.5" is
    [2.5, 3.5], "1..5" is [1, 5]; None when the text is none of these."""
    match = NUMERIC_RE.match(text)
    if not match:
        return None
    if match.group("low") is not None:
        low, high = float(match.group("low")), float(match.group("high"))
        return (min(low, high), max(low, high))
    value, tolerance = float(match.group("value")), abs(float(match.group("tol") or 0))
    return (value - tolerance, value + tolerance)


def disambiguate_ids(parsed: ParsedSet) -> None:
    """Questions whose ids were made from alike titles get -2, -3...: a warning, where
    a repeated id the author wrote stays a problem."""
    first = {q.id: q.line for q in reversed(parsed.questions) if q.explicit_id}
    taken = set(first)
    for q in parsed.questions:
        if q.explicit_id:
            continue
        base, n = q.id, 1
        while q.id in taken:
            n += 1
            q.id = f"{base[: MAX_ID - 1 - len(str(n))]}-{n}"
        if n > 1:
            parsed.warnings.append(
                Problem(
                    parsed.path,
                    q.line,
                    f"the id {base!r} is also on line {first[base]}: "
                    f"this question's id is {q.id!r} (give it an id of its own to choose one)",
                )
            )
        first.setdefault(base, q.line)
        taken.add(q.id)


def split_partial(parsed: ParsedSet, problems: list[Problem]):
    """Leave out the questions with problems: (the set with the rest, the problems that
    refuse the whole file, the problems of left-out questions, how many were left out).
    A problem before the first question (the set's own keys) refuses the file."""
    blocks = sorted(set(parsed.blocks))
    fatal, refused, bad = [], [], set()
    for p in problems:
        at = bisect_right(blocks, p.line) - 1
        if at < 0 or not blocks:
            fatal.append(p)
        else:
            bad.add(blocks[at])
            refused.append(p)
    kept = [
        q for q in parsed.questions if blocks[max(bisect_right(blocks, q.line) - 1, 0)] not in bad
    ]
    result = replace(parsed, questions=kept)
    if not fatal and not refused and not any(q.kind != DESCRIPTION for q in kept):
        fatal.append(Problem(parsed.path, 1, "no question in this file can be imported"))
    return result, fatal, refused, len(bad)
