"""GitHub Actions workflow commands: one annotation per finding, then a plain summary line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scanner.findings import KIND_FACTS, Finding, Occurrence, Severity, severity_rank
from scanner.report.wording import annotation, judged, location, shown, summary

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
    # One annotation per place where someone must act: a finding's own, then each other place
    # of the same value (a history audit's places are in old commits: its finding lists them).
    # GitHub shows only the first few annotations of each type: the blocking and gravest
    # first, a finding before the other places of its value.
    annotations = [(f.blocking, f.severity, 0, _command(f, result)) for f in result.findings] + [
        (_blocks(f, o), o.severity or f.severity, 1, _also(f, o))
        for f in result.findings
        if f.at_head is None
        for o in f.occurrences
    ]
    annotations.sort(key=lambda a: (not a[0], -severity_rank(a[1]), a[2]))
    lines = [command for *_, command in annotations]
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


def _blocks(finding: Finding, occurrence: Occurrence) -> bool:
    return finding.blocking if occurrence.blocking is None else occurrence.blocking


def _also(finding: Finding, occurrence: Occurrence) -> str:
    """Another place of a finding's value: where it is, what it is, and where the finding is."""
    rule = occurrence.rule_id or finding.rule_id
    properties = {"file": occurrence.path, **_region(occurrence), "title": f"jwtscan {rule}"}
    listed = ",".join(f"{key}={workflow_property(value)}" for key, value in properties.items())
    severity = occurrence.severity or finding.severity
    command = COMMANDS[severity] if _blocks(finding, occurrence) else "notice"
    title = KIND_FACTS[finding.kind].title
    message = (
        f"{title}: the same value as at {location(finding)}, reported there with the fix "
        f"({finding.places} places in all); fix every place."
    )
    if note := judged(occurrence):
        message += f" Context: {note}."
    return f"::{command} {listed}::{_data(message)}"


def _region(where: Finding | Occurrence) -> dict[str, str]:
    if where.line is None:
        return {}  # a file-level finding (.env): the annotation is on the file
    region = {"line": where.line, "endLine": where.end_line}
    # GitHub takes columns only for an annotation within one line.
    if where.end_line in (None, where.line):
        region |= {"col": where.column, "endColumn": where.end_column}
    return {key: str(value) for key, value in region.items() if value is not None}


def _data(text: str) -> str:
    """Escape a command's message as the runner expects; other control characters inert."""
    return shown(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def workflow_property(text: str) -> str:
    """Escape a property value: the message escapes plus ':' and ','."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")
