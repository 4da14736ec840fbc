"""Rule documentation, generated from the rules' metadata: `seslint explain` and docs/rules.md.

Regenerate the reference with: python -m seslint.rules.docs > docs/rules.md
"""

from __future__ import annotations

from collections.abc import Sequence

from seslint.rules.base import Rule

SOURCE_LETTERS = (("terraform", "T"), ("plan", "P"), ("aws", "A"), ("dns", "D"))
SOURCE_NAMES = {"terraform": "Terraform source", "plan": "plan JSON", "aws": "live AWS", "dns": "DNS"}


def sources_text(rule: Rule) -> str:
    have = {s.value for s in rule.meta.sources}
    return ", ".join(SOURCE_NAMES[name] for name, _ in SOURCE_LETTERS if name in have)


def render_rule(rule: Rule) -> str:
    """One rule's documentation as text for the terminal (markdown-flavoured, readable as is)."""
    meta = rule.meta
    lines = [
        f"{meta.id} {meta.slug}: {meta.summary}",
        "",
        f"Default severity: {meta.severity.value}",
        f"Judged from: {sources_text(rule)}",
    ]
    if meta.permissions:
        lines.append(f"IAM permissions (live): {', '.join(meta.permissions)}")
    for heading, body in (("What it does", meta.what), ("Why", meta.why)):
        lines += ["", f"## {heading}", "", body]
    for heading, body in (("Example", meta.example), ("Fix", meta.fix)):
        lines += ["", f"## {heading}", "", "```", body, "```"]
    return "\n".join(lines) + "\n"


def render_markdown(rules: Sequence[Rule]) -> str:
    """docs/rules.md: a table of every rule, then each rule's documentation."""
    out = [
        "# seslint rules",
        "",
        "<!-- Generated from the rule metadata by `python -m seslint.rules.docs > docs/rules.md`. "
        "Do not edit by hand. -->",
        "",
        "Sources: T = Terraform source, P = plan JSON, A = live AWS, D = DNS.",
        "",
        "| id | name | default | sources | summary |",
        "|---|---|---|---|---|",
    ]
    for rule in rules:
        have = {s.value for s in rule.meta.sources}
        letters = " ".join(letter for name, letter in SOURCE_LETTERS if name in have)
        summary = rule.meta.summary.replace("|", "\\|")
        out.append(
            f"| [{rule.id}](#{rule.id.lower()}) | {rule.meta.slug} | {rule.meta.severity.value} "
            f"| {letters} | {summary} |"
        )
    for rule in rules:
        body = render_rule(rule).splitlines()
        out += ["", f"## {rule.id}", "", f"**{rule.meta.slug}**: {rule.meta.summary}", ""]
        out += [line.replace("## ", "### ", 1) if line.startswith("## ") else line for line in body[2:]]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    import sys

    from seslint.rules import ALL_RULES

    sys.stdout.write(render_markdown(ALL_RULES))
