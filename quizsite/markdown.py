"""The site's one Markdown pipeline: Markdown in, sanitised HTML out.

Whoever wrote the Markdown (us, an instructor uploading a question set), the output is
cleaned by an allow-list sanitiser, so no script, event handler or javascript: URL
survives. Explainers and quiz questions both come through here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import markdown as md
import nh3
from pygments.formatters.html import HtmlFormatter
from pygments.token import STANDARD_TYPES

# Marks a fenced block can carry (```{.python .wrong}), with the label the reader sees.
# The code-example check in the test suite runs every python block without a mark.
CODE_MARKS = {
    "wrong": "Wrong",
    "illustrative": "Illustrative, not run",
    "output": "Output",
}


class MarkedCodeFormatter(HtmlFormatter):
    """Pygments' HTML formatter plus a visible label for marked blocks.

    fenced_code folds a block's extra classes into `cssclass` ("wrong highlight"), so the
    formatter is the one place that knows both the mark and the code; the label is plain
    allow-listed markup, so it survives the sanitiser like the code does.
    """

    def __init__(self, lang_str: str = "", **options):
        super().__init__(**options)
        self.lang = lang_str.removeprefix("language-")

    def _wrap_div(self, inner):
        marks = [name for name in self.cssclass.split() if name in CODE_MARKS]
        wrapped = super()._wrap_div(inner)
        yield next(wrapped)  # the opening <div class="... highlight">
        for name in marks:
            yield 0, f'<p class="code-label code-label-{name}">{CODE_MARKS[name]}</p>'
        yield from wrapped


EXTENSIONS = [
    "tables",
    "fenced_code",
    "codehilite",
    "footnotes",
    "admonition",
    "attr_list",
    "def_list",
    "sane_lists",
    "toc",
]
EXTENSION_CONFIGS = {
    # Pygments emits classes, not inline styles: the CSP forbids style attributes and
    # static/css/pygments.css supplies a light and a dark theme.
    "codehilite": {
        "css_class": "highlight",
        "guess_lang": False,
        "noclasses": False,
        "pygments_formatter": MarkedCodeFormatter,
    },
    # Anchors are the slugified heading text: quiz questions and other explainers link
    # to them, so they must not depend on anything but the words of the heading.
    "toc": {"permalink": False, "toc_depth": "2-3"},
}

ALLOWED_TAGS = set(
    """a abbr b blockquote br caption code dd del details div dl dt em figcaption figure
    h1 h2 h3 h4 h5 h6 hr i img kbd li mark ol p pre s samp small span strong sub summary
    sup table tbody td tfoot th thead tr ul""".split()
)
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}


# Classes the pipeline itself writes, the only ones untrusted Markdown keeps: Pygments'
# token classes, code labels, admonitions, footnotes. A class the site's CSS or JS
# gives meaning to ("message message-error", "visually-hidden") is dropped.
PIPELINE_CLASSES = (
    set(STANDARD_TYPES.values())
    | {"highlight", "code-label", "toc", "footnote", "footnote-ref", "footnote-backref"}
    | set(CODE_MARKS)
    | {f"code-label-{mark}" for mark in CODE_MARKS}
    | {"admonition", "admonition-title", "note", "tip", "hint", "important", "warning"}
    | {"caution", "attention", "danger", "error"}
    | {"myth", "gotcha", "interview-tip"}  # the site's callouts, fine in a question too
)
# Ids written by untrusted Markdown get this prefix, so `{: #quiz-keys}` or a raw
# `<div id="main">` can never take over an id the page's own script or CSS relies on.
USER_ID_PREFIX = "md-"


def _untrusted_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "class":
        kept = [name for name in value.split() if name in PIPELINE_CLASSES]
        return " ".join(kept) or None
    if attribute == "id":
        return USER_ID_PREFIX + value
    if attribute == "href" and value.startswith("#"):  # in-document links follow their ids
        return "#" + USER_ID_PREFIX + value[1:]
    return value


def sanitize_html(html: str, *, trusted: bool = False) -> str:
    """Keep only allow-listed tags, attributes and URL schemes; for untrusted text, only
    the pipeline's own classes and prefixed ids."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=None if trusted else _untrusted_attribute,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


# A code block or table that is wider than the screen scrolls sideways, and a keyboard
# user can scroll only what can take the focus (axe: scrollable-region-focusable). The
# attribute is added after the sanitiser, which allows no tabindex from the author.
_SCROLLERS = re.compile(r"<(pre|table)(?=[\s>])")


def render_markdown(text: str, *, trusted: bool = False) -> str:
    """Markdown to sanitised HTML, safe to mark_safe() in a template.

    trusted=True is for the site's own explainers only: their ids are the anchors other
    pages link to, and their classes style them. Anything a user wrote (an instructor's
    question set) is rendered untrusted, the default."""
    converter = md.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
    html = sanitize_html(converter.convert(text), trusted=trusted)
    return _SCROLLERS.sub(r'<\1 tabindex="0"', html)


# --- Documents: the HTML plus what a page and the search need -------------------------
@dataclass(frozen=True)
class TocEntry:
    level: int
    anchor: str
    title: str


@dataclass(frozen=True)
class Section:
    """The text under one heading, up to the next ## or ### (the intro has level 1)."""

    level: int
    anchor: str
    title: str
    text: str


@dataclass(frozen=True)
class Document:
    html: str
    toc: list[TocEntry]
    sections: list[Section]
    word_count: int

    @property
    def anchors(self) -> set[str]:
        return {entry.anchor for entry in self.toc}


class _Outline(HTMLParser):
    """Reads the sanitised HTML back: what the reader sees is what the TOC and search
    index, so a heading the sanitiser dropped can never be linked to."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        # [level, anchor, title parts, text parts]; the first one is the intro.
        self.sections: list[list] = [[1, "", [], []]]
        self.in_heading = False
        self.skipping: str | None = None  # the tag of a label or back-link being skipped

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in {"h2", "h3"} and attributes.get("id"):
            self.sections.append([int(tag[1]), attributes["id"], [], []])
            self.in_heading = True
        elif _UNREAD & set((attributes.get("class") or "").split()):
            self.skipping = tag
        elif tag not in _INLINE:
            self.handle_data(" ")

    def handle_endtag(self, tag: str) -> None:
        self.in_heading = self.in_heading and tag not in {"h2", "h3"}
        self.skipping = None if tag == self.skipping else self.skipping
        if tag not in _INLINE:
            self.handle_data(" ")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.sections[-1][2 if self.in_heading else 3].append(data)


# Page furniture, not prose: code-block labels and footnote links.
_UNREAD = {"code-label", "footnote-ref", "footnote-backref"}
_INLINE = set("a abbr b code del em i kbd mark s samp small span strong sub sup".split())
_SPACE = re.compile(r"\s+")


def _squash(parts: list[str]) -> str:
    return _SPACE.sub(" ", "".join(parts)).strip()


def render_document(text: str) -> Document:
    """Markdown to a Document: sanitised HTML, its table of contents (## and ###
    headings) and the plain text of each section, for search and reading time."""
    html = render_markdown(text, trusted=True)  # the site's own explainers
    outline = _Outline()
    outline.feed(html)
    outline.close()
    sections = [
        Section(level, anchor, _squash(title), _squash(parts))
        for level, anchor, title, parts in outline.sections
    ]
    if not sections[0].text:
        sections = sections[1:]
    words = sum(len(f"{s.title} {s.text}".split()) for s in sections)
    toc = [TocEntry(s.level, s.anchor, s.title) for s in sections if s.anchor]
    return Document(html=html, toc=toc, sections=sections, word_count=words)
