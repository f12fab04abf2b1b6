"""axe-core, injected from node_modules into a page loaded by Playwright."""

from pathlib import Path

# WCAG 2.0/2.1 A and AA (what RGAA 4.1 builds on), 2.2 AA, and axe's best practices
# (landmarks, heading order, one h1, ...).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def run_axe(page, axe_source: Path) -> list[dict]:
    """The axe-core violations of the page currently loaded."""
    # Through the DevTools protocol, which the Content-Security-Policy does not govern:
    # the portal refuses inline <script> tags (add_script_tag), as visitors' browsers do.
    page.evaluate(axe_source.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return result["violations"]


def describe_violations(violations: list[dict], max_nodes: int = 5) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"  [{violation['impact']}] {violation['id']}: {violation['help']}"
            f" ({violation['helpUrl']})"
        )
        for node in violation["nodes"][:max_nodes]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"      {' '.join(map(str, node['target']))}: {summary}")
        if len(violation["nodes"]) > max_nodes:
            lines.append(f"      ... and {len(violation['nodes']) - max_nodes} more")
    return "\n".join(lines)
