"""GIFT text: escapes, weights, and Moodle's four text formats turned into our Markdown.

Moodle reads a GIFT text in the format its marker names, `[moodle]` when there is none:
`[html]` is HTML, `[moodle]` is HTML whose line breaks are kept, `[plain]` is text shown
as typed, `[markdown]` is Markdown. We store Markdown, so a text in any of the first three
that Markdown would read differently (`__init__` is not bold, `#` is no heading, a line
break is kept) is stored as one raw HTML block, which Markdown passes through untouched
to the sanitiser; text Markdown reads the same way is stored as it is.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from functools import lru_cache

ESCAPES = {"\\": "\\", "~": "~", "=": "=", "#": "#", "{": "{", "}": "}", ":": ":", "n": "\n"}
FORMAT_RE = re.compile(r"^\s*\[(markdown|html|plain|moodle)\]", re.IGNORECASE)
WEIGHT_RE = re.compile(r"^\s*%(-?\d+(?:\.\d+)?)%")
TAG_RE = re.compile(r"<[^>]*>")
# Text Markdown would not show as typed: its punctuation, or a line that starts a list,
# a heading, a quote or a definition.
MARKDOWN_SPECIAL_RE = re.compile(r"[\\`*_\[\]{}|~!#]|^\s*(?:[-+>:]|\d+[.)])\s", re.MULTILINE)
MARKDOWN = "markdown"
MOODLE = "moodle"


@lru_cache(maxsize=32)
def _scanner(targets: str, one_of: bool) -> re.Pattern:
    # An escape pair is matched (and skipped) as a whole, so `\\{` is never a brace.
    wanted = f"[{re.escape(targets)}]" if one_of else re.escape(targets)
    return re.compile(rf"\\.|{wanted}", re.S)


def find(text: str, target: str, start: int = 0) -> int:
    """Index of the first `target` at or after `start` that is not escaped, or -1."""
    for match in _scanner(target, False).finditer(text, start):
        if match.group() == target:
            return match.start()
    return -1


def find_all(text: str, chars: str) -> list[int]:
    """Indexes of every unescaped character of `chars`, in one pass."""
    return [m.start() for m in _scanner(chars, True).finditer(text) if m.group()[0] != "\\"]


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(0)), text, flags=re.S)


def split_feedback(raw: str) -> tuple[str, str]:
    hash_at = find(raw, "#")
    return (raw, "") if hash_at == -1 else (raw[:hash_at], raw[hash_at + 1 :])


def text_format(raw: str) -> tuple[str, str]:
    """(the format a marker names, the text after it); no marker is Moodle's default."""
    marker = FORMAT_RE.match(raw)
    if not marker:
        return MOODLE, raw
    return marker.group(1).lower(), raw[marker.end() :]


def as_markdown(raw: str, fmt: str = MOODLE) -> str:
    """A piece of GIFT text as our Markdown: escapes resolved, its format honoured. A
    marker on the piece itself (an answer written `[plain]...`) wins over `fmt`."""
    marker = FORMAT_RE.match(raw)
    if marker:
        fmt, raw = marker.group(1).lower(), raw[marker.end() :]
    if fmt == MARKDOWN:
        return unescape(raw).strip()
    # A line break in the file is layout; a line break in the text is written `\n`.
    text = unescape(re.sub(r"[ \t]*\n[ \t]*", " ", raw)).strip()
    if not text:
        return text
    if fmt == "plain":
        text = html.escape(text, quote=False)
    outside_tags = TAG_RE.sub(" ", text)
    keeps_breaks = fmt != "html" and "\n" in text
    if not keeps_breaks and not MARKDOWN_SPECIAL_RE.search(outside_tags):
        return text
    if keeps_breaks:
        text = text.replace("\n", "<br>\n")
    # A blank line would end Markdown's raw HTML block early: keep the block whole.
    text = re.sub(r"\n\s*\n", "\n", text)
    return f'<div class="gift-text">{text}</div>'


def plain_text(raw: str) -> str:
    """A text as a title shows it: no marker, escapes resolved, tags dropped."""
    fmt, rest = text_format(raw)
    text = unescape(rest)
    if fmt != MARKDOWN:
        text = html.unescape(TAG_RE.sub(" ", text))
    return " ".join(text.split())


def slugify(text: str, *, limit: int = 80, prefix: str = "q") -> str:
    """An id from any text: accents dropped, other scripts (Cyrillic...) kept out by
    ASCII, and when nothing is left, a short hash of the text: never empty."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")
    if slug or not text.strip():
        return slug
    return f"{prefix}-" + hashlib.sha256(text.strip().encode()).hexdigest()[:8]
