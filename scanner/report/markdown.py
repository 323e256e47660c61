"""Markdown summary (GitHub's job summary): counts and a table of findings, never a value."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from scanner.findings import SEVERITIES, Finding, severity_rank
from scanner.report.wording import also, location, scrub, shown, summary

if TYPE_CHECKING:
    from scanner.findings import ScanResult

MAX_ROWS = 50
MAX_FIX = 240
_MAX_PLACES = 5  # other places of a value listed in its row
# GitHub Flavored Markdown: any ASCII punctuation may be backslash-escaped.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$])")


def render(result: ScanResult, show_secrets: bool, color: bool) -> str:
    del show_secrets, color  # a job summary is readable by everyone who can see the run
    findings = result.findings
    out = [f"## jwtscan: {summary(result)}", ""]
    if not result.complete:
        unreadable = ", ".join(escape(u.path) for u in result.stats.unreadable)
        out += [f"**Incomplete:** cannot read {unreadable}; no verdict (exit 2).", ""]
    if findings:
        kinds = Counter[str](f.kind for f in findings)
        out += _counts("severity", Counter(f.severity for f in findings), reversed(SEVERITIES))
        out += _counts("kind", kinds, sorted(kinds))
        out += _table(findings)
        out += [
            "Secret values are never shown here. Rotate every reported key: removing it from "
            "the code does not remove it from the git history.",
            "",
        ]
    return "\n".join(out)


def append_step_summary(path: Path, result: ScanResult) -> None:
    """Append the summary to ``$GITHUB_STEP_SUMMARY``; raises OSError when it cannot."""
    with path.open("a", encoding="utf-8") as summary:
        summary.write(render(result, False, False) + "\n")


def escape(text: str) -> str:
    """Text for a Markdown table cell: markup and control characters escaped, on one line."""
    return _SPECIAL.sub(r"\\\1", shown(" ".join(text.split())))


def _counts(label: str, counts: Counter[str], order: Iterable[str]) -> list[str]:
    rows = [f"| {escape(name)} | {counts[name]} |" for name in order if counts[name]]
    return [f"| {label} | findings |", "|---|---:|", *rows, ""]


def _table(findings: tuple[Finding, ...]) -> list[str]:
    gravest = sorted(findings, key=lambda f: -severity_rank(f.severity))[:MAX_ROWS]
    rows = [
        "| severity | kind | location | context | rule | fix |",
        "|---|---|---|---|---|---|",
        *(_row(f) for f in gravest),
        "",
    ]
    if len(findings) > MAX_ROWS:
        rows += [
            f"Showing the {MAX_ROWS} gravest of {len(findings)} findings; the full list is in "
            "the report (`--format sarif` or `--format json`).",
            "",
        ]
    return rows


def _row(finding: Finding) -> str:
    where = location(finding)
    if finding.commit is not None:
        where += f" (commit {finding.commit.sha[:7]})"
    if finding.at_head is False:
        where += ", history only"
    if finding.occurrences:
        where += f"; also at {', '.join(also(finding, _MAX_PLACES))}"
    fix = scrub(finding.remediation.summary, finding.secret)
    if len(fix) > MAX_FIX:
        fix = fix[:MAX_FIX].rsplit(" ", 1)[0] + " …"
    context = finding.context + ("" if finding.blocking else ", reported only")
    cells = (finding.severity, finding.kind, where, context, finding.rule_id, fix)
    return "| " + " | ".join(escape(cell) for cell in cells) + " |"
