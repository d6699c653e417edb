"""axe-core (pinned dev dependency, docs/decisions/0014) run in a Playwright page: the WCAG 2.0/2.1
A and AA rules, contrast included. Shared by the public and the staff accessibility tests."""

from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[str]:
    """axe-core's WCAG A/AA violations on the page as it is now, one line per rule and element.
    The script is evaluated through the DevTools protocol, so the page's CSP stays on."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does)")
    # Contrast is read from the computed colours: a button still fading into its focus colour
    # would be measured half-way. Reduced motion turns Bootstrap's transitions off; whatever
    # else is running is finished.
    page.emulate_media(reduced_motion="reduce")
    page.evaluate(
        """() => document.getAnimations().forEach((a) => { try { a.finish(); } catch (e) { a.cancel(); } })"""
    )
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA)
    return [
        f"{v['id']} ({v['impact']}): {node['target']} {node['failureSummary']}"
        for v in result["violations"]
        for node in v["nodes"]
    ]


def assert_accessible(page, where: str) -> None:
    problems = axe_violations(page)
    assert problems == [], f"{where}:\n" + "\n".join(problems)
