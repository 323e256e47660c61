"""JUnit XML for GitLab and Jenkins: each blocking finding a failed test case; a finding
reported only (a test, docs, ... context) a passing case with its details; a clean scan one
pass."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from scanner.findings import Finding
from scanner.report.wording import (
    also,
    context_note,
    location,
    public_message,
    public_reasons,
    scrub,
    shown,
)

if TYPE_CHECKING:
    from scanner.findings import ScanResult

# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def render(result: ScanResult, show_secrets: bool, color: bool) -> str:
    del color
    cases = [_case(f, result, show_secrets) for f in result.findings]
    cases.extend(_unreadable(u.path, u.error) for u in result.stats.unreadable)
    if not cases:
        cases.append(ET.Element("testcase", name="jwtscan", classname="jwtscan"))
    counts = {
        "tests": str(len(cases)),
        "failures": str(sum(f.blocking for f in result.findings)),
        "errors": str(len(result.stats.unreadable)),
        "time": f"{result.stats.seconds:.3f}",
    }
    suites = ET.Element("testsuites", {"name": "jwtscan", **counts})
    suite = ET.SubElement(suites, "testsuite", {"name": "jwtscan", "skipped": "0", **counts})
    suite.extend(cases)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _case(finding: Finding, result: ScanResult, show_secrets: bool) -> ET.Element:
    case = ET.Element(
        "testcase",
        name=_xml(f"{finding.rule_id} at {location(finding)}"),
        classname=f"jwtscan.{finding.kind}",
        file=_xml(shown(finding.path)),
    )
    if finding.line is not None:
        case.set("line", str(finding.line))
    if not finding.blocking:
        out = ET.SubElement(case, "system-out")
        out.text = _xml(_details(finding, show_secrets))
        return case
    failure = ET.SubElement(
        case,
        "failure",
        type=finding.rule_id,
        message=_xml(public_message(finding, result.findings)),
    )
    failure.text = _xml(_details(finding, show_secrets))
    return case


def _details(finding: Finding, show_secrets: bool) -> str:
    fix = finding.remediation
    lines = [
        f"{finding.severity} {finding.kind} [{finding.rule_id}] at {location(finding)}",
        *(f"why: {reason}" for reason in public_reasons(finding)),
    ]
    if note := context_note(finding):
        lines.append(note)
    if finding.commit is not None:
        commit = finding.commit
        lines.append(f"commit: {commit.sha[:12]} {shown(commit.author)} {commit.date}")
    if finding.at_head is False:
        lines.append("history-only: gone from HEAD, still in every clone; rotate it")
    if finding.signs:
        lines.append(f"signs the token(s) at {shown(', '.join(finding.signs))}: verified")
    if finding.occurrences:
        lines.append(f"the same value at {len(finding.occurrences)} other place(s); fix each:")
        lines.extend(f"also at: {place}" for place in also(finding))
    if show_secrets and finding.secret:
        lines.append(f"secret: {finding.secret}")
    lines.extend(
        f"{label}: {scrub(text, finding.secret)}"
        for label, text in (
            ("fix", fix.summary),
            ("code", fix.code),
            ("run", fix.command),
            ("rotate", fix.rotate),
        )
        if text
    )
    return "\n".join(lines)


def _unreadable(path: str, error: str) -> ET.Element:
    case = ET.Element("testcase", name=_xml(f"read {shown(path)}"), classname="jwtscan")
    ET.SubElement(case, "error", type="unreadable", message=_xml(f"cannot read: {shown(error)}"))
    return case


def _xml(text: str) -> str:
    """Text whose repository parts are already :func:`shown`; what XML cannot carry dropped."""
    return _NOT_XML.sub("\ufffd", text)
