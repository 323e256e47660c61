"""GitHub Actions workflow commands: one annotation per finding, then a plain summary line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scanner.findings import Finding, Severity, severity_rank
from scanner.report.wording import annotation, shown, summary

if TYPE_CHECKING:
    from scanner.findings import ScanResult

COMMANDS: dict[Severity, str] = {
    "critical": "error",
    "high": "error",
    "medium": "warning",
    "low": "notice",
}


def render(result: ScanResult, show_secrets: bool, color: bool) -> str:
    del show_secrets, color  # annotations are public on public repositories: never a value
    # GitHub shows only the first few annotations of each type: the blocking and gravest first.
    ordered = sorted(result.findings, key=lambda f: (not f.blocking, -severity_rank(f.severity)))
    lines = [_command(f, result) for f in ordered]
    lines.extend(
        f"::error file={workflow_property(u.path)},title=jwtscan unreadable::"
        f"{_data(f'cannot read the file: {u.error}; the scan is incomplete')}"
        for u in result.stats.unreadable
    )
    lines.append(f"jwtscan: {summary(result)}")
    return "\n".join(lines) + "\n"


def _command(finding: Finding, result: ScanResult) -> str:
    properties = {"file": finding.path, **_region(finding), "title": f"jwtscan {finding.rule_id}"}
    listed = ",".join(f"{key}={workflow_property(value)}" for key, value in properties.items())
    command = COMMANDS[finding.severity] if finding.blocking else "notice"
    return f"::{command} {listed}::{_data(annotation(finding, result.findings))}"


def _region(finding: Finding) -> dict[str, str]:
    if finding.line is None:
        return {}  # a file-level finding (.env): the annotation is on the file
    region = {"line": finding.line, "endLine": finding.end_line}
    # GitHub takes columns only for an annotation within one line.
    if finding.end_line in (None, finding.line):
        region |= {"col": finding.column, "endColumn": finding.end_column}
    return {key: str(value) for key, value in region.items() if value is not None}


def _data(text: str) -> str:
    """Escape a command's message as the runner expects; other control characters inert."""
    return shown(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def workflow_property(text: str) -> str:
    """Escape a property value: the message escapes plus ':' and ','."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")
