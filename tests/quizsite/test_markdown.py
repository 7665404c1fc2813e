"""The one Markdown pipeline: what it renders, and what it never lets through."""

import re
from pathlib import Path

import pytest

from quizsite.explainers.pygments_css import (
    DARK_BACKGROUND,
    LIGHT_BACKGROUND,
    contrast,
    pygments_css,
)
from quizsite.markdown import render_document, render_markdown
from tests.quizsite.hostile import HOSTILE_MARKDOWN

REPO = Path(__file__).resolve().parent.parent.parent


def test_hostile_markdown_loses_every_script_handler_and_javascript_url():
    html = render_markdown(HOSTILE_MARKDOWN)
    lowered = html.lower()
    assert "<script" not in lowered
    assert "javascript:" not in lowered
    assert not re.search(r"\son\w+\s*=", lowered), html
    assert " style=" not in lowered
    for tag in ("<iframe", "<svg", "<form", "<object", "<math", "<style"):
        assert tag not in lowered
    # The harmless parts are still there.
    assert '<h2 id="md-harmless-heading">Harmless heading</h2>' in html
    assert "click me" in html
    # Code shows the text of a script tag, escaped, instead of running it.
    assert "&lt;script&gt;" in html


def test_code_is_highlighted_with_classes_not_inline_styles():
    html = render_markdown("```python\nimport asyncio\n```\n")
    assert '<div class="highlight">' in html
    assert '<span class="kn">import</span>' in html
    assert "style=" not in html


@pytest.mark.parametrize(
    ("fence", "css_class", "label"),
    [
        ("{.python .wrong}", "wrong", "Wrong"),
        ("{.python .illustrative}", "illustrative", "Illustrative, not run"),
        ("{.text .output}", "output", "Output"),
    ],
)
def test_marked_code_blocks_show_their_mark(fence, css_class, label):
    html = render_markdown(f"```{fence}\nx = 1\n```\n")
    assert f'<div class="{css_class} highlight">' in html
    assert f'<p class="code-label code-label-{css_class}">{label}</p>' in html


def test_a_plain_block_has_no_label():
    assert "code-label" not in render_markdown("```python\nx = 1\n```\n")


def test_callouts_footnotes_and_tables_render():
    html = render_markdown(
        '!!! myth "Myth: Django is synchronous"\n    It is both.\n\n'
        '!!! interview-tip "In an interview"\n    Say so.\n\n'
        "Claim.[^1]\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[^1]: Source.\n",
        trusted=True,
    )
    assert '<div class="admonition myth">' in html
    assert '<p class="admonition-title">Myth: Django is synchronous</p>' in html
    assert '<div class="admonition interview-tip">' in html
    assert 'href="#fn:1"' in html and 'id="fn:1"' in html
    assert '<table tabindex="0">' in html and "<td>2</td>" in html


def test_document_has_a_toc_of_h2_and_h3_with_stable_anchors():
    document = render_document(
        "Intro.\n\n## The event loop\n\nA.\n\n### `await` & friends\n\nB.\n\n#### Deep\n\nC.\n"
    )
    assert [(e.level, e.anchor, e.title) for e in document.toc] == [
        (2, "the-event-loop", "The event loop"),
        (3, "await-friends", "await & friends"),
    ]
    assert 'id="the-event-loop"' in document.html
    assert document.anchors == {"the-event-loop", "await-friends"}


def test_document_sections_hold_their_own_text_only():
    document = render_document(
        "Intro words.\n\n## First\n\nalpha beta\n\n```{.python .wrong}\ngamma()\n```\n\n"
        "## Second\n\ndelta[^n]\n\n[^n]: epsilon\n"
    )
    sections = {s.anchor: s for s in document.sections}
    assert sections[""].text == "Intro words."
    assert sections["first"].text == "alpha beta gamma()"  # the "Wrong" label is not prose
    assert sections["second"].title == "Second"
    assert sections["second"].text == "delta epsilon"  # no footnote number glued on
    assert document.word_count == 2 + 1 + 3 + 1 + 2  # intro, First, its text, Second, its text


def test_a_heading_the_sanitiser_drops_is_not_in_the_toc():
    document = render_document('<h2 id="x" onclick="alert(1)">Raw</h2>\n\n## Real\n')
    assert "onclick" not in document.html
    assert [e.anchor for e in document.toc] == ["x", "real"]


def test_committed_pygments_css_is_what_the_generator_writes():
    committed = (REPO / "static" / "css" / "pygments.css").read_text()
    assert committed == pygments_css(), (
        "static/css/pygments.css is stale: "
        "python -m quizsite.explainers.pygments_css > static/css/pygments.css"
    )


def test_pygments_css_has_a_dark_theme_and_readable_colours():
    css = pygments_css()
    light, dark = css.split("@media (prefers-color-scheme: dark)")
    assert ".highlight .k {" in light and ".highlight .k {" in dark
    site = (REPO / "static" / "css" / "site.css").read_text()
    site_light, site_dark = site.split("@media (prefers-color-scheme: dark)", 1)
    assert f"--code-bg: {LIGHT_BACKGROUND};" in site_light
    assert f"--code-bg: {DARK_BACKGROUND};" in site_dark
    for block, background in ((light, LIGHT_BACKGROUND), (dark, DARK_BACKGROUND)):
        for rule in re.findall(r"\.highlight \.(\w+) \{([^}]*)\}", block):
            css_class, body = rule
            colour = re.search(r"(?<!-)color: (#[0-9a-f]{6})", body)
            if colour and css_class != "err":
                assert contrast(colour.group(1), background) >= 4.5, rule


def test_untrusted_markdown_cannot_set_the_sites_ids_or_classes():
    from tests.quizsite.hostile import SPOOFING_MARKDOWN

    html = render_markdown(SPOOFING_MARKDOWN)
    ids = re.findall(r'\sid="([^"]*)"', html)
    classes = {c for value in re.findall(r'\sclass="([^"]*)"', html) for c in value.split()}
    assert ids and all(i.startswith("md-") for i in ids), ids
    assert not {"message", "message-error", "visually-hidden", "site-nav", "lab-down"} & classes
    # What the pipeline itself writes still works: admonitions, footnotes and their links.
    assert {"admonition", "warning", "footnote-ref"} <= classes
    for href in re.findall(r'href="#([^"]*)"', html):
        assert href in ids  # in-document links follow their prefixed ids


def test_the_sites_own_explainers_keep_their_anchors_and_classes():
    html = render_document(SPOOFING_MARKDOWN_TRUSTED).html
    assert '<h2 id="the-event-loop">' in html
    assert '<p class="lead">' in html


SPOOFING_MARKDOWN_TRUSTED = "Intro.\n{: .lead}\n\n## The event loop\n\nText.\n"
