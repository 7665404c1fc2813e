"""Writes static/css/pygments.css: code colours for light and dark, classes only.

    .venv/bin/python -m quizsite.explainers.pygments_css > static/css/pygments.css

The CSP forbids inline styles, so Pygments emits classes and this file colours them:
one style for light (the default), another under prefers-color-scheme: dark. Every
colour is nudged until it reads at WCAG AA (4.5:1) on the site's own code background,
and a test keeps the committed file equal to this output.
"""

from __future__ import annotations

from pygments.formatters.html import HtmlFormatter
from pygments.styles import get_style_by_name
from pygments.token import Error, Whitespace

LIGHT_STYLE, DARK_STYLE = "xcode", "github-dark"
# --code-bg in static/css/site.css, light and dark.
LIGHT_BACKGROUND, DARK_BACKGROUND = "#f3f1ec", "#23262b"
AA = 4.5
RESETS = {
    "color": "inherit",
    "font-weight": "normal",
    "font-style": "normal",
    "text-decoration": "none",
    "background-color": "transparent",
    "border": "0",
}

# Hand-written: the code block frame and the marks render_markdown adds to marked
# blocks (```{.python .wrong} ...), shared by explainer and quiz pages.
FRAME = """\
.highlight { position: relative; margin: 0 0 1em; }
.highlight pre { margin: 0; }
.code-label {
  margin: 0; padding: 0.3em 1em; font: 600 0.78rem/1.4 var(--font-body);
  letter-spacing: 0.04em; text-transform: uppercase;
  border-radius: var(--radius) var(--radius) 0 0; border: 1px solid var(--border); border-bottom: 0;
  background: var(--surface-2); color: var(--muted);
}
.code-label + pre { border: 1px solid var(--border); border-top: 0; border-radius: 0 0 var(--radius) var(--radius); }
.code-label-wrong { background: var(--bad-bg); color: var(--bad); border-color: var(--bad); }
.code-label-wrong::before { content: "\\2717\\00a0" / ""; }
.highlight.wrong pre { box-shadow: inset 4px 0 0 var(--bad); }
.code-label-illustrative::before { content: "\\270e\\00a0" / ""; }
.code-label-output { background: var(--code-bg); }
.highlight.output pre { --pre-bg: var(--surface); }
.highlight.wrong pre { border-color: var(--bad); }
@media (max-width: 40rem) {
  /* Full-bleed on phones, label and code together (site.css does it for a bare pre). */
  .highlight { margin-left: -1rem; margin-right: -1rem; }
  .highlight pre, .code-label, .code-label + pre { border-radius: 0; border-left: 0; border-right: 0; }
}
"""


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _readable(colour: str, background: str) -> str:
    """`colour`, mixed step by step towards black (or white on a dark background)
    until it reaches AA contrast on `background`."""
    colour = "#" + "".join(c * 2 for c in colour[1:]) if len(colour) == 4 else colour
    colour = colour.lower()
    target = 0 if _luminance(background) > 0.5 else 255
    while contrast(colour, background) < AA:
        channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
        colour = "#" + "".join(f"{round(c + (target - c) * 0.08):02x}" for c in channels)
    return colour


def _rules(style_name: str, background: str) -> dict[str, dict[str, str]]:
    style = get_style_by_name(style_name)
    formatter = HtmlFormatter(style=style)
    rules: dict[str, dict[str, str]] = {}
    for ttype, css_class in sorted(formatter.ttype2class.items(), key=lambda item: item[1]):
        if not css_class or ttype in Whitespace:
            continue
        spec = style.style_for_token(ttype)
        declarations = {}
        if spec["color"]:
            colour = "#" + spec["color"]
            # Error tokens draw on their own background colour.
            declarations["color"] = colour if ttype in Error else _readable(colour, background)
        if spec["bold"]:
            declarations["font-weight"] = "bold"
        if spec["italic"]:
            declarations["font-style"] = "italic"
        if spec["underline"]:
            declarations["text-decoration"] = "underline"
        if spec["bgcolor"]:
            declarations["background-color"] = "#" + spec["bgcolor"]
        if spec["border"]:
            declarations["border"] = "1px solid #" + spec["border"]
        if declarations:
            rules[css_class] = declarations
    return rules


def _block(rules: dict[str, dict[str, str]], indent: str = "") -> str:
    return "".join(
        f"{indent}.highlight .{css_class} {{ "
        + " ".join(f"{name}: {value};" for name, value in declarations.items())
        + " }\n"
        for css_class, declarations in sorted(rules.items())
    )


def pygments_css() -> str:
    light = _rules(LIGHT_STYLE, LIGHT_BACKGROUND)
    dark = _rules(DARK_STYLE, DARK_BACKGROUND)
    # Undo what the light style sets and the dark one leaves alone (bold keywords...).
    for css_class, declarations in light.items():
        undo = dark.setdefault(css_class, {})
        for name in declarations:
            undo.setdefault(name, RESETS[name])
    return (
        "/* Generated by `python -m quizsite.explainers.pygments_css`: do not edit by hand.\n"
        f"   Pygments {LIGHT_STYLE} (light) and {DARK_STYLE} (dark), every colour at least\n"
        f"   {AA}:1 on the site's --code-bg. Include it on any page that shows code. */\n\n"
        + FRAME
        + "\n"
        + _block(light)
        + "\n@media (prefers-color-scheme: dark) {\n"
        + _block(dark, "  ")
        + "}\n"
    )


if __name__ == "__main__":
    print(pygments_css(), end="")
