"""Moodle GIFT question sets: `parse_gift` here, `export_gift` in gift_export.py; the
text formats in gift_text.py, what is inside `{...}` in gift_answers.py.

GIFT as Moodle reads it (question/format/gift/format.php), mapped onto our types:

- One file is one set. Questions are separated by blank lines; a line starting with
  `//` is a comment. `$CATEGORY: a/b/c` names the set: slug = "c" slugified (default:
  the file name stem). Comments before the first question carry set metadata:
  `// title:` (default: the category or stem, humanised), `// description:`,
  `// tags:` (comma-separated), `// difficulty:`, `// explainer:`. Later categories
  are ignored: our sets have no sub-categories. An empty `$CATEGORY:` is a problem.
- Comments inside a question's block (directly above it) carry question metadata:
  `// id:`, `// difficulty:`, `// tags:`, `// explainer:`, `// kind:`. Moodle's own
  `[id:...]` and `[tag:...]` after the answer block say the same. Without an id, the
  id is the `::title::` slugified, else the prompt's first words: from the content, so
  adding a question never changes another's id. A repeated id that was not written
  (two questions titled alike) gets a suffix `-2`, `-3`, with a warning.
- `::title::` is the title (default: the prompt's first line). Texts are in Moodle's
  formats `[moodle]` (the default), `[html]`, `[plain]` or `[markdown]` (gift_text.py).
- Kinds: see gift_answers.py. Partial credit `~%50%` keeps its weight; multiple answers
  (`~%50%a ~%50%b ~%-100%c`) need right answers' weights adding up to 100%. Numerical
  `{#3:0.5}`, `{#1..5}` or `{#=%100%3 =%50%3:1}`; matching `{=a -> b =c -> d}`; essay
  `{}`; an item with no answer block is a description, shown before what follows it.
  `#` after an answer is its feedback; `####` is the general feedback: our explanation
  (for an essay, the model answer). `\\~ \\= \\# \\{ \\} \\: \\\\` are literal characters,
  `\\n` a newline. An answer block in mid-text (missing word) leaves `_____` in the prompt.
- Ordering questions have no GIFT form: they are written `// kind: order` above a
  short-answer block `{=step1 =step2 ...}`, steps in the right order.
- Cloze (`{1:MC:...}`, Moodle's embedded answers) is not GIFT: refused, naming it, or
  left out with `skip_unsupported`.

Export writes every text on one line (newlines as `\\n`, like Moodle's exporter), so
parse_gift(export_gift(s)) == s, except where GIFT cannot say what our types can: a
right answer of a multiple-answer question without a weight (our Markdown format has
none) is written with an equal share of 100% and comes back with it; true/false
options come back True first; a single-choice right answer's weight is not written
(`=` is 100%). A weight of 0% is read as no weight (None): it earns the same.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from pathlib import PurePath

from .base import (
    DESCRIPTION,
    ESSAY,
    TRUE_FALSE,
    ParsedQuestion,
    ParsedSet,
    ParseError,
    Problem,
    disambiguate_ids,
    validate_set,
)
from .gift_answers import answer_kind, options, true_false
from .gift_text import as_markdown, find, find_all, plain_text, slugify, text_format, unescape

SKIP_HINT = "(use --skip-unsupported to skip them)"
BLANK = "_____"
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
META_RE = re.compile(r"^//\s*([a-z]+)\s*:\s*(.*?)\s*$")
# Moodle's own id and tags, written after the answer block (or anywhere in the text).
MOODLE_META_RE = re.compile(r"\[(id|tag):((?:[^\]\\]|\\.)*)\]")
CLOZE_RE = re.compile(r"\{\d*:[A-Z_]+:")
SET_ONLY_KEYS = {"title", "description"}
SET_KEYS = SET_ONLY_KEYS | {"tags", "difficulty", "explainer"}
QUESTION_KEYS = {"id", "kind", "difficulty", "tags", "explainer"}
MISPLACED = "'// {key}:' must sit directly above its question, with no blank line between"


def slugify_title(title: str) -> str:
    return slugify(title)


def _tags(value: str) -> list[str]:
    return [t.strip() for t in value.split(",") if t.strip()]


def _humanise(name: str) -> str:
    name = re.sub(r"[-_]+", " ", name).strip()
    return name[:1].upper() + name[1:]


def _blocks(text: str) -> list[list[tuple[int, str]]]:
    """Numbered lines grouped into blank-line-separated blocks."""
    blocks: list[list[tuple[int, str]]] = [[]]
    # split(), not splitlines(): U+2028 and friends are not line breaks to an editor.
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            blocks[-1].append((number, line.rstrip()))
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def parse_gift(text: str, *, path: str, skip_unsupported: bool = False) -> ParsedSet:
    """Parse one GIFT file; raise ParseError with every problem found."""
    parsed, problems, unsupported = collect_gift(text, path=path)
    if not skip_unsupported:
        problems += unsupported
    if problems:
        raise ParseError(problems)
    return parsed


def list_unsupported_gift(text: str, *, path: str) -> list[Problem]:
    """The questions `skip_unsupported` leaves out, so an importer can say which."""
    return collect_gift(text, path=path)[2]


def collect_gift(text: str, *, path: str) -> tuple[ParsedSet, list[Problem], list[Problem]]:
    """(what parsed, its problems, the unsupported questions): nothing raised."""
    problems: list[Problem] = []
    unsupported: list[Problem] = []
    stem = PurePath(path).stem
    parsed = ParsedSet(slug=slugify(stem, prefix="set"), title="", path=path, format="gift")
    lines: dict[str, int] = {}
    category = title = ""
    number = 0
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    for block in _blocks(text):
        content = [(n, ln) for n, ln in block if not ln.lstrip().startswith(("//", "$CATEGORY:"))]
        for n, line in block:
            if line.lstrip().startswith("$CATEGORY:"):
                value = line.split(":", 1)[1].strip()
                if not value.strip("/"):
                    problems.append(Problem(path, n, "$CATEGORY: names no category"))
                elif not category:
                    lines["slug"], category = n, value
        meta: dict[str, tuple[int, str]] = {}
        for n, line in block:
            if content and line.lstrip().startswith("//"):
                _moodle_meta(line, meta, n)  # Moodle writes `// [id:x] [tag:y]`
            match = META_RE.match(line.strip())
            if not match:
                continue
            key, value = match.group(1).lower(), unescape(match.group(2))
            header = number == 0 and (not content or n < content[0][0])
            if header and (key in SET_ONLY_KEYS or (not content and key in SET_KEYS)):
                lines[key] = n
                if key == "title":
                    title = value
                else:
                    setattr(parsed, key, _tags(value) if key == "tags" else value)
            elif key in QUESTION_KEYS and not content:
                problems.append(Problem(path, n, MISPLACED.format(key=key)))
            elif key in QUESTION_KEYS:
                meta[key] = (n, value)
        if content:
            number += 1
            parsed.blocks.append(block[0][0])
            question = _question(content, meta, path, problems, unsupported)
            if question:
                parsed.questions.append(question)
    if category:
        parsed.slug = slugify(category.rstrip("/").rsplit("/", 1)[-1], prefix="set")
    parsed.title = title or _humanise(category.rstrip("/").rsplit("/", 1)[-1] or stem)
    parsed.lines.update(lines)
    disambiguate_ids(parsed)
    problems += validate_set(parsed)
    return parsed, problems, unsupported


class _Block:
    """A question's lines joined into one text, able to say which line an offset is on."""

    def __init__(self, content: list[tuple[int, str]]):
        self.text = "\n".join(line for _, line in content)
        self.numbers = [n for n, _ in content]
        self.starts, offset = [], 0
        for _, line in content:
            self.starts.append(offset)
            offset += len(line) + 1

    def line(self, offset: int) -> int:
        return self.numbers[max(bisect_right(self.starts, offset) - 1, 0)]


def _moodle_meta(text: str, meta: dict, qline: int) -> str:
    """Take `[id:...]` and `[tag:...]` out of the text into `meta`."""
    tags = []
    for match in MOODLE_META_RE.finditer(text):
        value = unescape(match.group(2)).strip()
        if match.group(1) == "id":
            meta.setdefault("id", (qline, value))
        else:
            tags.append(value)
    if tags and "tags" not in meta:
        meta["tags"] = (qline, ", ".join(tags))
    return MOODLE_META_RE.sub("", text)


def _question(content, meta, path, problems, unsupported) -> ParsedQuestion | None:
    block = _Block(content)
    text, qline = block.text, content[0][0]

    def problem(line: int, message: str) -> None:
        problems.append(Problem(path, line, message))

    if CLOZE_RE.search(text):
        unsupported.append(
            Problem(
                path,
                qline,
                "Cloze (embedded answers, {1:MC:...}) is Moodle's Cloze format, not GIFT: "
                f"import it in Moodle as Cloze {SKIP_HINT}",
            )
        )
        return None
    start = len(text) - len(text.lstrip())
    title = ""
    if text.startswith("::", start):
        end = find(text, "::", start + 2)
        if end == -1:
            return problem(qline, "the title opened with '::' is never closed with '::'")
        title, start = unescape(text[start + 2 : end]).strip(), end + 2
    found = _answer_block(text, start, block.line, problem)
    if found is None:
        return None
    fmt, _ = text_format(text[start:])
    if found == DESCRIPTION:
        prompt_raw, answers, kind = _moodle_meta(text[start:], meta, qline), "", DESCRIPTION
    else:
        opening, closing = found
        after = _moodle_meta(text[closing + 1 :], meta, qline)
        prompt_raw = text[start:opening] + (BLANK + after if after.strip() else "")
        answers = text[opening + 1 : closing]
    explanation = ""
    general = [i for i in find_all(answers, "#") if answers.startswith("####", i)]
    if general:
        explanation, answers = as_markdown(answers[general[-1] + 4 :], fmt), answers[: general[-1]]
    if kind := (DESCRIPTION if found == DESCRIPTION else None):
        found_options = []
    else:
        kind = answer_kind(answers, meta.get("kind", (qline, "")), qline, problem)
        if kind is None:
            return None
        if kind == TRUE_FALSE:
            found_options = true_false(answers, block.line(opening), fmt)
        elif kind == ESSAY:
            found_options = []
        else:
            line_of = lambda i: block.line(opening + 1 + i)  # noqa: E731
            found_options = options(answers, kind, line_of, problem, fmt)
    prompt = as_markdown(prompt_raw, fmt)
    first_line = plain_text(prompt_raw)
    qid = meta["id"][1] if "id" in meta else slugify(title or first_line[:60])
    if "id" in meta and not ID_RE.match(qid):
        problem(
            meta["id"][0], f"question id {qid!r} must be lower-case letters, digits and hyphens"
        )
    return ParsedQuestion(
        id=qid,
        kind=kind,
        title=title or (first_line[:77] + "..." if len(first_line) > 80 else first_line),
        prompt=prompt,
        options=found_options,
        explanation=explanation,
        difficulty=meta.get("difficulty", (0, ""))[1],
        tags=_tags(meta.get("tags", (0, ""))[1]),
        explainer=meta.get("explainer", (0, ""))[1],
        line=qline,
        explicit_id="id" in meta,
    )


def _answer_block(text: str, start: int, line_of, problem) -> tuple[int, int] | str | None:
    """Where the one `{...}` is: its offsets, DESCRIPTION if none, None if malformed."""
    opening, closing = find(text, "{", start), find(text, "}", start)
    if closing != -1 and (opening == -1 or closing < opening):
        return problem(
            line_of(closing), "'}' without an opening '{' (write \\} for a literal brace)"
        )
    if opening == -1:
        return DESCRIPTION
    closing = find(text, "}", opening)
    if closing == -1:
        return problem(
            line_of(opening),
            "the answer block opened here is never closed with '}' (a blank line ends a question)",
        )
    nested = find(text, "{", opening + 1)
    if nested != -1 and nested < closing:
        return problem(
            line_of(nested), "'{' inside an answer block (write \\{ for a literal brace)"
        )
    extra = next((i for i in find_all(text, "{}") if i > closing), -1)
    if extra != -1:
        return problem(
            line_of(extra),
            "a second answer block: separate questions with a blank line (or write \\{ and \\})",
        )
    return opening, closing
