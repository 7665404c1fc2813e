"""What the browser tests check on any page: it fits the viewport, and axe-core finds no
serious or critical accessibility problem.

axe-core (tests/assets/axe.min.js, MPL-2.0, its licence header kept) is a test asset,
never served by the site; it is injected into the page, so the context that loads it
bypasses the page's CSP (bypass_csp=True), which would otherwise refuse the script."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).parent / "assets" / "axe.min.js"
PHONE = {"width": 390, "height": 844}


def overflow(page) -> int:
    """How many pixels the page is wider than its viewport (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


# Found on this site before (issue 12), though axe rates them below "serious".
ALSO_FAIL = {"page-has-heading-one", "empty-table-header"}


def axe_problems(page) -> list[str]:
    """Serious and critical axe violations (and ALSO_FAIL), one line each, with where."""
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{page.url}: {v['id']} ({v['impact']}): "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:3])
        for v in violations
        if v["impact"] in {"serious", "critical"} or v["id"] in ALSO_FAIL
    ]
