"""Our Markdown question-set format (content/question-sets/README.md is the spec).

`parse_markdown` reads the front matter here and each question section through
md_sections, collecting every problem before it raises, so an author fixes a file in
one pass. `export_markdown` writes the same format back: parse(export(s)) == s.
"""

from __future__ import annotations

import re
from pathlib import PurePath

import yaml

from .base import ORDER, ParsedSet, ParseError, Problem, disambiguate_ids, validate_set
from .gift_text import slugify
from .md_kinds import option_text
from .md_sections import (
    FENCE_RE,
    ID_RE,
    Lines,
    parse_question,
    question_level,
)

SET_KEYS = {"slug", "title", "description", "tags", "difficulty", "explainer"}


def parse_markdown(text: str, *, path: str) -> ParsedSet:
    """Parse one question-set file; raise ParseError with every problem found."""
    parsed, problems = collect_markdown(text, path=path)
    if problems:
        raise ParseError(problems)
    return parsed


def collect_markdown(text: str, *, path: str) -> tuple[ParsedSet, list[Problem]]:
    """(what parsed, every problem found): nothing raised."""
    problems: list[Problem] = []
    # A BOM before `---` would hide the front matter, and with it the set's slug.
    lines = Lines(text.lstrip("\ufeff"))

    def problem(line: int, message: str) -> None:
        problems.append(Problem(path, line, message))

    # The file name, made a slug (a Cyrillic name gets a short hash, never nothing).
    parsed = ParsedSet(
        slug=slugify(PurePath(path).stem, prefix="set"), title="", path=path, format="md"
    )
    body_start = _front_matter(lines, parsed, problem)
    if lines.unclosed_fence:
        start = max(i for i, f in enumerate(lines.in_fence) if f and FENCE_RE.match(lines.lines[i]))
        problem(start + 1, "a code block opened here is never closed")

    level = question_level(lines, body_start)
    starts = []
    for i in range(body_start, len(lines.lines)):
        heading = lines.heading(i)
        if heading is None:
            continue
        if heading[0] == 1 and not parsed.title:
            parsed.title = heading[1]
            parsed.lines.setdefault("title", i + 1)
        if heading[0] == level:
            starts.append(i)
            parsed.blocks.append(i + 1)
        elif heading[0] < level:
            starts.append(-i - 1)  # a topic heading above the questions ends a section
    if not parsed.title:
        # No `#` title: the community banks' `## Django` above `####` questions names it.
        second = next(
            (i for i in range(body_start, len(lines.lines)) if (lines.heading(i) or (0,))[0] == 2),
            None,
        )
        if second is not None and level > 2:
            parsed.title = lines.heading(second)[1]
            parsed.lines.setdefault("title", second + 1)
        else:
            parsed.title = parsed.slug

    bounds = starts
    for n, start in enumerate(bounds):
        if start < 0:
            continue
        end = len(lines.lines)
        if n + 1 < len(bounds):
            nxt = bounds[n + 1]
            end = nxt if nxt >= 0 else -nxt - 1
        question = parse_question(lines, start, end, level, problem)
        if question is not None:
            parsed.questions.append(question)

    disambiguate_ids(parsed)
    # A question without answers is reported once, not again as "no correct answer".
    silent = {p.line for p in problems if "has no answers" in p.message}
    problems.extend(
        p
        for p in validate_set(parsed)
        if not (p.line in silent and ("correct answer" in p.message or "at least two" in p.message))
    )
    return parsed, sorted(set(problems))


def _front_matter(lines: Lines, parsed: ParsedSet, problem) -> int:
    """Read the `---` block, if any; return the index of the first body line."""
    if not lines.lines or lines.lines[0].strip() != "---":
        return 0
    try:
        end = next(i for i in range(1, len(lines.lines)) if lines.lines[i].strip() == "---")
    except StopIteration:
        problem(1, "the front matter opened here is never closed with ---")
        return len(lines.lines)
    block = "\n".join(lines.lines[1:end])
    try:
        data = yaml.safe_load(block) if block.strip() else {}
    except yaml.YAMLError as exc:
        # The context mark is where the broken construct began (an unclosed `[`), which
        # is where the author must look; the problem mark is where YAML gave up.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        reason = getattr(exc, "problem", None) or "invalid YAML"
        problem(line, f"front matter is not valid YAML: {reason}")
        return end + 1
    if not isinstance(data, dict):
        problem(2, "front matter must be `key: value` lines")
        return end + 1
    key_lines = {}
    for i in range(1, end):
        match = re.match(r"^([A-Za-z_][\w-]*)\s*:", lines.lines[i])
        if match:
            key_lines.setdefault(match.group(1), i + 1)
    for key, value in data.items():
        line = key_lines.get(str(key), 2)
        parsed.lines[str(key)] = line
        if key not in SET_KEYS:
            problem(
                line, f"unknown front matter key {key!r} (known: {', '.join(sorted(SET_KEYS))})"
            )
        elif key == "tags":
            if isinstance(value, str):
                value = [t.strip() for t in value.split(",") if t.strip()]
            if not isinstance(value, list) or not all(isinstance(t, str | int) for t in value):
                problem(line, "tags must be a list, for example [asyncio, gil]")
            else:
                parsed.tags = [str(t) for t in value]
        elif value is None:
            continue
        elif not isinstance(value, str | int | float):
            problem(line, f"{key} must be plain text")
        else:
            setattr(parsed, key, str(value).strip())
    if "slug" in data and parsed.slug and not ID_RE.match(parsed.slug):
        problem(
            key_lines.get("slug", 2),
            f"slug {parsed.slug!r} must be lower-case letters, digits and hyphens",
        )
    return end + 1


# --- Export ---------------------------------------------------------------------------
def _indent(text: str, first: str, rest: str) -> str:
    out = []
    for n, line in enumerate(text.splitlines() or [""]):
        prefix = first if n == 0 else rest
        out.append((prefix + line) if line else prefix.rstrip())
    return "\n".join(out)


def _yaml_scalar(value: str) -> str:
    dumped = yaml.safe_dump(value, default_flow_style=True, width=10**6, allow_unicode=True)
    return dumped.removesuffix("\n...\n").strip()


def export_markdown(parsed: ParsedSet) -> str:
    """Write a ParsedSet in our Markdown format."""
    front = ["---", f"slug: {parsed.slug}", f"title: {_yaml_scalar(parsed.title)}"]
    if parsed.description:
        front.append(f"description: {_yaml_scalar(parsed.description)}")
    if parsed.tags:
        front.append(f"tags: [{', '.join(_yaml_scalar(t) for t in parsed.tags)}]")
    front.append(f"difficulty: {parsed.difficulty}")
    if parsed.explainer:
        front.append(f"explainer: {parsed.explainer}")
    front.append("---")
    parts = ["\n".join(front)]
    for q in parsed.questions:
        meta = [f"kind: {q.kind}"]
        if q.difficulty:
            meta.append(f"difficulty: {q.difficulty}")
        if q.tags:
            meta.append(f"tags: {', '.join(q.tags)}")
        if q.explainer:
            meta.append(f"explainer: {q.explainer}")
        block = [f"## {q.title} {{#{q.id}}}", "\n".join(meta)]
        if q.prompt and q.prompt != q.title:
            block.append(q.prompt)
        answers = []
        for n, option in enumerate(q.options, start=1):
            marker = f"{n}. " if q.kind == ORDER else f"- [{'x' if option.correct else ' '}] "
            rest = " " * (len(marker) if q.kind == ORDER else 2)
            item = _indent(option_text(option, q.kind), marker, rest)
            if option.feedback:
                item += "\n" + _indent(option.feedback, rest + "> ", rest + "> ")
            answers.append(item)
        if answers:
            block.append("\n".join(answers))
        if q.explanation:
            block.append("### Explanation\n\n" + q.explanation)
        parts.append("\n\n".join(block))
    return "\n\n".join(parts) + "\n"
