"""SARIF 2.1.0 for code scanning: one rule per rule id, one result per finding."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from scanner import __version__
from scanner.findings import KIND_FACTS, Finding, Occurrence, Severity, severity_rank
from scanner.report.json import dumps
from scanner.report.wording import annotation, judged, location, public_reasons, scrub

if TYPE_CHECKING:
    from scanner.findings import ScanResult

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
FINGERPRINT_KEY = "jwtscan/v2"
LEVELS: dict[Severity, str] = {
    "critical": "error",
    "high": "error",
    "medium": "warning",
    "low": "note",
}
# GitHub code scanning ranks security alerts by this score (CVSS scale, as a string).
SECURITY_SEVERITY: dict[Severity, str] = {
    "critical": "9.5",
    "high": "8.0",
    "medium": "5.0",
    "low": "3.0",
}


def render(result: ScanResult, show_secrets: bool, color: bool) -> str:
    del color
    run: dict[str, Any] = {
        "tool": {"driver": _driver(result.findings)},
        "columnKind": "unicodeCodePoints",
        "invocations": [_invocation(result)],
        "results": [_result(f, result.findings, show_secrets) for f in result.findings],
    }
    document = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return dumps(document)


def _representatives(findings: Sequence[Finding]) -> dict[str, Finding]:
    """The gravest finding of each rule id (the first on ties) speaks for its rule."""
    chosen: dict[str, Finding] = {}
    for finding in findings:
        best = chosen.get(finding.rule_id)
        if best is None or severity_rank(finding.severity) > severity_rank(best.severity):
            chosen[finding.rule_id] = finding
    return dict(sorted(chosen.items()))


def _driver(findings: Sequence[Finding]) -> dict[str, Any]:
    return {
        "name": "jwtscan",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": [_rule(rule_id, f) for rule_id, f in _representatives(findings).items()],
    }


def _rule(rule_id: str, finding: Finding) -> dict[str, Any]:
    facts = KIND_FACTS[finding.kind]
    severity = facts.severity or finding.severity
    return {
        "id": rule_id,
        "name": "".join(word.capitalize() for word in re.split(r"[^A-Za-z0-9]+", rule_id)),
        "shortDescription": {"text": facts.title},
        "fullDescription": {"text": facts.description},
        "help": {
            "text": scrub(finding.remediation.text(), finding.secret),
            "markdown": _help_markdown(finding),
        },
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": {
            "tags": [*facts.tags, *(f"external/cwe/cwe-{n}" for n in facts.cwes)],
            "security-severity": SECURITY_SEVERITY[severity],
            "precision": "high",
        },
    }


def _help_markdown(finding: Finding) -> str:
    fix = finding.remediation
    parts = [f"**Fix:** {fix.summary}"]
    if fix.code:
        parts.append(f"```\n{fix.code}\n```")
    if fix.command:
        parts.append(f"Generate a new key:\n\n```sh\n{fix.command}\n```")
    if fix.rotate:
        parts.append(f"**Rotate:** {fix.rotate}")
    return scrub("\n\n".join(parts), finding.secret)


def _result(finding: Finding, findings: Sequence[Finding], show_secrets: bool) -> dict[str, Any]:
    # One result per value, its other places as related locations linked from the message:
    # GitHub shows a result's related locations only through such links, and keys an alert on
    # the fingerprint, which for a value no one can guess is the value's, whatever the place.
    # So the alert stays open until every place is fixed, and it lists them all.
    message = annotation(finding, findings)
    if finding.occurrences:
        message = f"{message} {_also_links(finding)}"
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        # a finding reported only (a test, docs, ... context) is a note: it fails no gate
        "level": LEVELS[finding.severity] if finding.blocking else "note",
        "message": {"text": message},
        "locations": [{"physicalLocation": _physical(finding)}],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": _properties(finding, show_secrets),
    }
    related = [
        {
            "id": index,
            "physicalLocation": _physical(seen),
            "message": {"text": _seen(seen)},
        }
        for index, seen in enumerate(finding.occurrences, start=1)
    ]
    if related:
        result["relatedLocations"] = related
    return result


_MAX_LINKS = 10


def _also_links(finding: Finding) -> str:
    """``The same value is also at [tests/a.py:4](1) (test, reported only), ...``: SARIF
    embedded links to the related locations."""
    links = []
    for index, seen in enumerate(finding.occurrences[:_MAX_LINKS], start=1):
        text = re.sub(r"([\\\[\]])", r"\\\1", location(seen))
        note = judged(seen)
        links.append(f"[{text}]({index})" + (f" ({note})" if note else ""))
    more = len(finding.occurrences) - len(links)
    tail = f" and {more} more place(s) (related locations)" if more else ""
    return f"The same value is also at {', '.join(links)}{tail}. Fix every place."


def _seen(occurrence: Occurrence) -> str:
    commit = occurrence.commit
    text = "the same value, seen here" + (f" in commit {commit.sha[:12]}" if commit else "")
    note = judged(occurrence)
    return f"{text} ({note})" if note else text


def _physical(where: Finding | Occurrence) -> dict[str, Any]:
    # File-level findings (.env files) get line 1: GitHub requires a startLine.
    region: dict[str, int] = {"startLine": where.line or 1}
    if where.line is not None:
        optional = {
            "startColumn": where.column,
            "endLine": where.end_line,
            "endColumn": where.end_column,
        }
        region.update({k: v for k, v in optional.items() if v is not None})
    return {"artifactLocation": {"uri": _uri(where.path)}, "region": region}


def _uri(path: str) -> str:
    """A relative URI reference: '/'-separated, percent-encoded (original bytes kept)."""
    return quote(path.encode("utf-8", "surrogateescape"), safe="/")


def _properties(finding: Finding, show_secrets: bool) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "kind": finding.kind,
        "severity": finding.severity,
        "reasons": list(public_reasons(finding)),
        "context": finding.context,
        "contextReasons": list(finding.context_reasons),
        "blocking": finding.blocking,
    }
    if finding.occurrences:
        properties["places"] = finding.places
    if finding.strength is not None:
        strength = finding.strength
        properties["strength"] = {
            "length": strength.length,
            "bits": strength.bits,
            "algorithm": strength.algorithm,
            "meetsRfc7518": strength.meets_rfc7518,
        }
    if finding.commit is not None:
        commit = finding.commit
        properties["commit"] = {"sha": commit.sha, "author": commit.author, "date": commit.date}
    if finding.at_head is not None:
        properties["atHead"] = finding.at_head
    if finding.signs:
        properties["signs"] = list(finding.signs)
    if finding.token:
        properties["token"] = dict(finding.token)
    if show_secrets and finding.secret:
        properties["secret"] = finding.secret
    return properties


def _invocation(result: ScanResult) -> dict[str, Any]:
    notifications = [
        {
            "level": "error",
            "message": {"text": f"cannot read the file: {u.error}"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(u.path)}}}],
        }
        for u in result.stats.unreadable
    ]
    return {"executionSuccessful": result.complete, "toolExecutionNotifications": notifications}
